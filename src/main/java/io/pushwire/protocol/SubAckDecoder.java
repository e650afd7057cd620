package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a SUB_ACK body (server to device: the answer to SUB or UNSUB).
 * <pre>
 *   requestId  varint   from the SUB/UNSUB
 *   status     varint   0 ok, else an ErrorCode
 *   streamId   varint   the topic's stream id (0 when status is not ok)
 *   headSeq    varint   the stream's newest seq at subscription time
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class SubAckDecoder extends BodyDecoder
{
    private long requestId;
    private int status;
    private long streamId;
    private long headSeq;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        requestId = varint();
        status = intVarint();
        streamId = varint();
        headSeq = varint();
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

    public long streamId()
    {
        return streamId;
    }

    public long headSeq()
    {
        return headSeq;
    }
}
