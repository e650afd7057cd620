package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an ACK body (device to server, cumulative: everything up to seq on that stream is processed).
 * <pre>
 *   streamId  varint
 *   seq       varint
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class AckDecoder extends BodyDecoder
{
    private long streamId;
    private long seq;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        streamId = varint();
        seq = varint();
        return finish();
    }

    public long streamId()
    {
        return streamId;
    }

    public long seq()
    {
        return seq;
    }
}
