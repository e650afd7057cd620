package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a WELCOME body (server to device, the answer to a good HELLO).
 * <pre>
 *   version       varint   the negotiated version
 *   heartbeatSec  varint   the clamped heartbeat interval
 *   sessionId     varint   64-bit connection id
 *   serverTimeMs  varint   server wall clock, epoch milliseconds
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class WelcomeDecoder extends BodyDecoder
{
    private int version;
    private int heartbeatSec;
    private long sessionId;
    private long serverTimeMs;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        version = intVarint();
        heartbeatSec = intVarint();
        sessionId = varint();
        serverTimeMs = varint();
        return finish();
    }

    public int version()
    {
        return version;
    }

    public int heartbeatSec()
    {
        return heartbeatSec;
    }

    public long sessionId()
    {
        return sessionId;
    }

    public long serverTimeMs()
    {
        return serverTimeMs;
    }
}
