package io.pushwire.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of a {@link DeviceClient}, for tests, the device simulator and app diagnostics. Written by the client's I/O
 * thread, readable from any thread (each value is individually current; a set of them is not a snapshot).
 */
public final class ClientStats
{
    final AtomicLong messagesDelivered = new AtomicLong();
    final AtomicLong duplicatesDropped = new AtomicLong();
    final AtomicLong gapsReported = new AtomicLong();
    final AtomicLong pullsSent = new AtomicLong();
    final AtomicLong acksSent = new AtomicLong();
    final AtomicLong callbackFailures = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong heartbeatsSent = new AtomicLong();
    final AtomicLong heartbeatFailures = new AtomicLong();
    final AtomicLong redirects = new AtomicLong();

    /**
     * @return messages handed to {@code onMessage} that returned normally.
     */
    public long messagesDelivered()
    {
        return messagesDelivered.get();
    }

    /**
     * @return MSG frames dropped because their seq was at or below the stream's cursor.
     */
    public long duplicatesDropped()
    {
        return duplicatesDropped.get();
    }

    /**
     * @return GAP ranges reported to the listener.
     */
    public long gapsReported()
    {
        return gapsReported.get();
    }

    /**
     * @return PULL frames sent.
     */
    public long pullsSent()
    {
        return pullsSent.get();
    }

    /**
     * @return ACK frames sent.
     */
    public long acksSent()
    {
        return acksSent.get();
    }

    /**
     * @return {@code onMessage} calls that threw (those messages were not acknowledged).
     */
    public long callbackFailures()
    {
        return callbackFailures.get();
    }

    /**
     * @return sessions established (WELCOME received).
     */
    public long connects()
    {
        return connects.get();
    }

    /**
     * @return sessions established after the first one.
     */
    public long reconnects()
    {
        return reconnects.get();
    }

    /**
     * @return PING frames sent.
     */
    public long heartbeatsSent()
    {
        return heartbeatsSent.get();
    }

    /**
     * @return heartbeat failures (a PONG missing, or the connection lost while idle beyond the last good interval).
     */
    public long heartbeatFailures()
    {
        return heartbeatFailures.get();
    }

    /**
     * @return REDIRECT frames obeyed.
     */
    public long redirects()
    {
        return redirects.get();
    }

    public String toString()
    {
        return "ClientStats{delivered=" + messagesDelivered() + ", duplicates=" + duplicatesDropped() +
            ", gaps=" + gapsReported() + ", pulls=" + pullsSent() + ", acks=" + acksSent() +
            ", callbackFailures=" + callbackFailures() + ", connects=" + connects() + ", reconnects=" + reconnects() +
            ", pings=" + heartbeatsSent() + ", heartbeatFailures=" + heartbeatFailures() +
            ", redirects=" + redirects() + '}';
    }
}
