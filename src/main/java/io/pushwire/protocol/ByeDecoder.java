package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a BYE body (either direction: the sender is closing the connection).
 * <pre>
 *   reason  varint   a CloseReason
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class ByeDecoder extends BodyDecoder
{
    private int reason;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        reason = intVarint();
        return finish();
    }

    public int reason()
    {
        return reason;
    }
}
