package io.pushwire.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a gateway's agents share, written by one thread and read by others with volatile semantics: the
 * drain or stop request and which reactors have left the listener group because they are full.
 * Thread-safe.
 */
final class GatewayState
{
    private final AtomicInteger fullReactors = new AtomicInteger();
    private volatile int drainReason;
    private volatile int drainRatePerSec;

    /**
     * Asks every reactor to leave the listener group and move its connections off at the given rate.
     *
     * @param closeReason     {@code CloseReason.DRAINING} or {@code CloseReason.SHUTDOWN}.
     * @param ratePerSecond   connections a second, for the whole gateway.
     */
    void requestDrain(final int closeReason, final int ratePerSecond)
    {
        drainRatePerSec = ratePerSecond;
        drainReason = closeReason;
    }

    /**
     * @return the requested drain's close reason, or 0 if none.
     */
    int drainReason()
    {
        return drainReason;
    }

    int drainRatePerSec()
    {
        return drainRatePerSec;
    }

    void full(final int reactor, final boolean full)
    {
        final int bit = 1 << reactor;
        int mask;
        do
        {
            mask = fullReactors.get();
        }
        while (!fullReactors.compareAndSet(mask, full ? mask | bit : mask & ~bit));
    }

    /**
     * @return true if any reactor has closed its listener because it is full.
     */
    boolean isAnyFull()
    {
        return 0 != fullReactors.get();
    }
}
