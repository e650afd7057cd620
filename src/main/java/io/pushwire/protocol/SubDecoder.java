package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a SUB or UNSUB body (device to server).
 * <pre>
 *   requestId  varint   echoed in SUB_ACK
 *   topic      str      1..64 bytes, only [A-Za-z0-9._/-]
 * </pre>
 * Any other byte in the topic, including any non-ASCII one, is {@link ErrorCode#BAD_TOPIC} (the allowed set is ASCII,
 * so it subsumes the UTF-8 check). Not thread-safe: one instance per thread.
 */
public final class SubDecoder extends BodyDecoder
{
    private long requestId;
    private int topicOffset;
    private int topicLength;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        requestId = varint();
        topicOffset = lengthPrefixed(1, Protocol.MAX_TOPIC_LENGTH);
        topicLength = fieldLength;
        if (error == 0 && !isValidTopic(buffer, topicOffset, topicLength))
        {
            fail(ErrorCode.BAD_TOPIC);
        }
        return finish();
    }

    public long requestId()
    {
        return requestId;
    }

    public int topicOffset()
    {
        return topicOffset;
    }

    public int topicLength()
    {
        return topicLength;
    }

    /**
     * @return the topic as a {@code String}; allocates, so for logs and tests.
     */
    public String topicAsString()
    {
        return buffer.getStringWithoutLengthAscii(topicOffset, topicLength);
    }

    /**
     * @param buffer the bytes.
     * @param offset the first topic byte.
     * @param length the topic length.
     * @return true if every byte is one of {@code [A-Za-z0-9._/-]}.
     */
    public static boolean isValidTopic(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final int c = buffer.getByte(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '/' || c == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
