package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Shared reading of frame bodies for the flyweight decoders: a cursor over the wrapped body that records the first
 * error and reads nothing after it, so a decoder's {@code wrap} reads every field in order and returns
 * {@link #finish()}. Not thread-safe: one decoder per thread.
 */
abstract class BodyDecoder
{
    protected DirectBuffer buffer;
    protected int position;
    protected int limit;
    protected int error;
    protected int fieldLength;

    /**
     * @return the wrapped buffer (valid after a successful {@code wrap}).
     */
    public final DirectBuffer buffer()
    {
        return buffer;
    }

    protected final void begin(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.error = 0;
    }

    protected final long varint()
    {
        if (error != 0)
        {
            return 0;
        }
        final int p = position;
        if (p >= limit)
        {
            error = -ErrorCode.TRUNCATED;
            return 0;
        }
        final byte b = buffer.getByte(p);
        if (b >= 0)
        {
            position = p + 1;
            return b;
        }
        final int length = Varint.length(buffer, p, limit);
        if (length <= 0)
        {
            error = length == 0 ? -ErrorCode.TRUNCATED : length;
            return 0;
        }
        position = p + length;
        return Varint.get(buffer, p);
    }

    /**
     * A varint field the API gives as an {@code int}: a value above {@link Integer#MAX_VALUE} is
     * {@link ErrorCode#MALFORMED}.
     */
    protected final int intVarint()
    {
        final long value = varint();
        if (value < 0 || value > Integer.MAX_VALUE)
        {
            fail(ErrorCode.MALFORMED);
            return 0;
        }
        return (int)value;
    }

    /**
     * A length-prefixed field ({@code str} or {@code bytes}): sets {@link #fieldLength} and returns the offset of
     * its first byte. Checks, in order: length below {@code minLength} ({@link ErrorCode#EMPTY_FIELD}), above
     * {@code maxLength} ({@link ErrorCode#FIELD_TOO_LONG}), past the body end ({@link ErrorCode#TRUNCATED}).
     */
    protected final int lengthPrefixed(final int minLength, final int maxLength)
    {
        final long length = varint();
        if (error != 0)
        {
            fieldLength = 0;
            return 0;
        }
        if (length < minLength)
        {
            return fail(ErrorCode.EMPTY_FIELD);
        }
        if (length > maxLength || length < 0)
        {
            return fail(ErrorCode.FIELD_TOO_LONG);
        }
        final int n = (int)length;
        if (n > limit - position)
        {
            return fail(ErrorCode.TRUNCATED);
        }
        final int offset = position;
        position += n;
        fieldLength = n;
        return offset;
    }

    /**
     * A {@code str} field: as {@link #lengthPrefixed(int, int)}, then strict UTF-8 ({@link ErrorCode#BAD_UTF8}).
     */
    protected final int string(final int minLength, final int maxLength)
    {
        final int offset = lengthPrefixed(minLength, maxLength);
        if (error == 0 && !Utf8.isValid(buffer, offset, fieldLength))
        {
            return fail(ErrorCode.BAD_UTF8);
        }
        return offset;
    }

    /**
     * Records an error unless one is already recorded.
     *
     * @return 0, so field readers can return it.
     */
    protected final int fail(final int errorCode)
    {
        if (error == 0)
        {
            error = -errorCode;
        }
        fieldLength = 0;
        return 0;
    }

    /**
     * @return 0 if every field read well and the body is used up, else the first error or
     * {@code -ErrorCode.TRAILING_BYTES}.
     */
    protected final int finish()
    {
        if (error != 0)
        {
            return error;
        }
        return position == limit ? 0 : -ErrorCode.TRAILING_BYTES;
    }

    /**
     * Marks the rest of the body as consumed ({@code rest} fields).
     *
     * @return the offset of the rest.
     */
    protected final int rest()
    {
        final int offset = position;
        fieldLength = limit - position;
        position = limit;
        return offset;
    }
}
