package io.pushwire.gateway;

import io.pushwire.link.DispatchProxy;

/**
 * SESSION_CLOSED events the dispatch link refused (back pressure, or no dispatch), kept in order in a
 * bounded ring and retried every duty cycle, so dispatch learns of every close once the link moves. A
 * full ring drops the event and counts it in {@link GatewayCounters#upstreamEventsLost} (dispatch then
 * learns from the device's next HELLO, which replaces the stale route). Single-threaded: owned by a reactor.
 */
final class PendingUpstream
{
    private final DispatchProxy dispatch;
    private final GatewayCounters counters;
    private final long[] connectionIds;
    private final int[] reasons;
    private int head;
    private int size;

    /**
     * @param dispatch the reactor's upstream proxy.
     * @param counters where losses and back pressure are counted.
     * @param capacity events kept at most.
     */
    PendingUpstream(final DispatchProxy dispatch, final GatewayCounters counters, final int capacity)
    {
        this.dispatch = dispatch;
        this.counters = counters;
        this.connectionIds = new long[Math.max(16, capacity)];
        this.reasons = new int[connectionIds.length];
    }

    /**
     * Tells dispatch a session closed, now if the link takes it and nothing is waiting, else later.
     *
     * @param connectionId the connection.
     * @param closeReason  why.
     */
    void sessionClosed(final long connectionId, final int closeReason)
    {
        if (0 == size && dispatch.sessionClosed(connectionId, closeReason) > 0)
        {
            return;
        }
        counters.upstreamBackPressure.increment();
        if (size == connectionIds.length)
        {
            counters.upstreamEventsLost.increment();
            return;
        }
        final int tail = (head + size) % connectionIds.length;
        connectionIds[tail] = connectionId;
        reasons[tail] = closeReason;
        size++;
    }

    /**
     * @return events sent now.
     */
    int retry()
    {
        int sent = 0;
        while (size > 0 && dispatch.sessionClosed(connectionIds[head], reasons[head]) > 0)
        {
            head = head + 1 == connectionIds.length ? 0 : head + 1;
            size--;
            sent++;
        }
        return sent;
    }

    int size()
    {
        return size;
    }
}
