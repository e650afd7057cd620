package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an UP body (device to server: an upstream message for an app's back end).
 * <pre>
 *   requestId  varint   echoed in UP_ACK
 *   appId      varint   0..2^31-1
 *   payload    rest     may be empty
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class UpDecoder extends BodyDecoder
{
    private long requestId;
    private int appId;
    private int payloadOffset;
    private int payloadLength;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        requestId = varint();
        appId = intVarint();
        payloadOffset = rest();
        payloadLength = fieldLength;
        return finish();
    }

    public long requestId()
    {
        return requestId;
    }

    public int appId()
    {
        return appId;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }
}
