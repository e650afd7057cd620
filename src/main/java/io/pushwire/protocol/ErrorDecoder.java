package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an ERROR body (server to device; the server closes after sending a fatal one).
 * <pre>
 *   code    varint   an ErrorCode
 *   reason  str      0..200 bytes of UTF-8, may be empty
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class ErrorDecoder extends BodyDecoder
{
    private int code;
    private int reasonOffset;
    private int reasonLength;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        code = intVarint();
        reasonOffset = string(0, Protocol.MAX_ERROR_REASON_LENGTH);
        reasonLength = fieldLength;
        return finish();
    }

    public int code()
    {
        return code;
    }

    public int reasonOffset()
    {
        return reasonOffset;
    }

    public int reasonLength()
    {
        return reasonLength;
    }

    /**
     * @return the reason as a {@code String}; allocates, so for logs and tests.
     */
    public String reasonAsString()
    {
        return HelloDecoder.utf8(buffer, reasonOffset, reasonLength);
    }
}
