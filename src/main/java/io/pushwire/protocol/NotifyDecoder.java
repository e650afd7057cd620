package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a NOTIFY body (server to device: a stream has news; PULL what you lack).
 * <pre>
 *   streamId   varint
 *   newestSeq  varint   the stream's newest seq
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class NotifyDecoder extends BodyDecoder
{
    private long streamId;
    private long newestSeq;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        streamId = varint();
        newestSeq = varint();
        return finish();
    }

    public long streamId()
    {
        return streamId;
    }

    public long newestSeq()
    {
        return newestSeq;
    }
}
