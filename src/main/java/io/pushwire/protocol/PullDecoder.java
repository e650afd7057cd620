package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a PULL body (device to server: send me this range of a stream).
 * <pre>
 *   streamId  varint
 *   fromSeq   varint   first seq wanted, at least 1
 *   toSeq     varint   last seq wanted (inclusive), at least fromSeq
 * </pre>
 * A range breaking those rules is {@link ErrorCode#BAD_RANGE} (seqs compare as unsigned 64-bit).
 * Not thread-safe: one instance per thread.
 */
public final class PullDecoder extends BodyDecoder
{
    private long streamId;
    private long fromSeq;
    private long toSeq;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        streamId = varint();
        fromSeq = varint();
        toSeq = varint();
        final int result = finish();
        if (result == 0 && (fromSeq == 0 || Long.compareUnsigned(toSeq, fromSeq) < 0))
        {
            return -ErrorCode.BAD_RANGE;
        }
        return result;
    }

    public long streamId()
    {
        return streamId;
    }

    public long fromSeq()
    {
        return fromSeq;
    }

    public long toSeq()
    {
        return toSeq;
    }
}
