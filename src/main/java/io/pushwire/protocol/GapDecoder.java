package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a GAP body (server to device: this range is gone and will never come).
 * <pre>
 *   streamId  varint
 *   fromSeq   varint   at least 1
 *   toSeq     varint   inclusive, at least fromSeq
 *   reason    varint   1 expired, 2 collapsed, 3 trimmed by retention (others: treat as gone, reason unknown)
 * </pre>
 * A range breaking those rules is {@link ErrorCode#BAD_RANGE}. Not thread-safe: one instance per thread.
 */
public final class GapDecoder extends BodyDecoder
{
    private long streamId;
    private long fromSeq;
    private long toSeq;
    private int reason;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        streamId = varint();
        fromSeq = varint();
        toSeq = varint();
        reason = intVarint();
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

    public int reason()
    {
        return reason;
    }
}
