package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a REDIRECT body (server to device: reconnect elsewhere after a delay).
 * <pre>
 *   reason   varint   1 draining, 2 overloaded, 3 rebalance
 *   delayMs  varint   wait this long (plus the client's own jitter) before reconnecting
 *   count    varint   0..8 (more is FIELD_TOO_LONG)
 *   count x (host str 1..255 bytes of UTF-8, port varint 1..65535)
 * </pre>
 * A port outside 1..65535 is {@link ErrorCode#MALFORMED}. Count 0 means "reconnect to the usual addresses".
 * Not thread-safe: one instance per thread.
 */
public final class RedirectDecoder extends BodyDecoder
{
    private final int[] hostOffsets = new int[Protocol.MAX_REDIRECT_TARGETS];
    private final int[] hostLengths = new int[Protocol.MAX_REDIRECT_TARGETS];
    private final int[] ports = new int[Protocol.MAX_REDIRECT_TARGETS];
    private int reason;
    private int delayMs;
    private int count;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        count = 0;
        reason = intVarint();
        delayMs = intVarint();
        final long n = varint();
        if (error == 0 && (n < 0 || n > Protocol.MAX_REDIRECT_TARGETS))
        {
            fail(ErrorCode.FIELD_TOO_LONG);
        }
        if (error == 0)
        {
            for (int i = 0; i < (int)n; i++)
            {
                hostOffsets[i] = string(1, Protocol.MAX_HOST_LENGTH);
                hostLengths[i] = fieldLength;
                final int port = intVarint();
                if (error == 0 && (port < 1 || port > 65535))
                {
                    fail(ErrorCode.MALFORMED);
                }
                ports[i] = port;
            }
            count = error == 0 ? (int)n : 0;
        }
        return finish();
    }

    public int reason()
    {
        return reason;
    }

    public int delayMs()
    {
        return delayMs;
    }

    public int count()
    {
        return count;
    }

    public int hostOffset(final int i)
    {
        return hostOffsets[i];
    }

    public int hostLength(final int i)
    {
        return hostLengths[i];
    }

    public int port(final int i)
    {
        return ports[i];
    }

    /**
     * @return host {@code i} as a {@code String}; allocates, so for the client's reconnect path, logs and tests.
     */
    public String hostAsString(final int i)
    {
        return HelloDecoder.utf8(buffer, hostOffsets[i], hostLengths[i]);
    }
}
