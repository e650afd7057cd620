package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an UP_ACK body (server to device).
 * <pre>
 *   requestId  varint   from the UP
 *   status     varint   0 ok, else an ErrorCode
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class UpAckDecoder extends BodyDecoder
{
    private long requestId;
    private int status;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        requestId = varint();
        status = intVarint();
        return finish();
    }

    public long requestId()
    {
        return requestId;
    }

    public int status()
    {
        return status;
    }
}
