package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a PING or PONG body.
 * <pre>
 *   intervalSec   varint   PING: seconds until the device's next PING; PONG: the clamped interval the server enforces
 * </pre>
 * Not thread-safe: one instance per thread.
 */
public final class PingDecoder extends BodyDecoder
{
    private int intervalSec;

    /**
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        intervalSec = intVarint();
        return finish();
    }

    public int intervalSec()
    {
        return intervalSec;
    }
}
