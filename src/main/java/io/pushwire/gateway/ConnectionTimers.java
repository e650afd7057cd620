package io.pushwire.gateway;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Int2IntHashMap;

import java.util.concurrent.TimeUnit;

/**
 * One deadline per connection (the auth deadline, then the heartbeat deadline) on an Agrona
 * {@link DeadlineTimerWheel} in milliseconds. Single-threaded: owned by a reactor.
 * <p>
 * The wheel knows only timer ids, so a primitive map takes a timer id back to its slot; the slot's
 * current timer id lives in {@link ConnectionTable#timerId}. Both are packed into an int: tick index
 * (at most 11 bits, so at most 2,048 ticks a wheel) above a 20-bit index within the tick. Moving a
 * deadline is a cancel plus a schedule: no allocation once the wheel's per-tick arrays and the map have
 * grown to the connection count (the map is sized for the table at construction).
 * <p>
 * Memory: the wheel is {@code ticks x (most timers in one tick, rounded up to a power of two) x 8} bytes,
 * so it has only {@link #TICKS_PER_WHEEL} ticks: a reconnect burst puts most deadlines in one tick, and
 * with 128 ticks the wheel measured 230 bytes per connection; with 8 it is at most 64 and typically 8-16.
 * Each tick then holds more timers, which costs a scan of an eighth of the deadlines per tick: trivial, as
 * long as the spoke is scanned once per tick ({@link #poll} returns at once until the current tick ends).
 */
final class ConnectionTimers implements DeadlineTimerWheel.TimerHandler
{
    /**
     * Called when a connection's deadline has passed.
     */
    @FunctionalInterface
    interface ExpiryHandler
    {
        void onDeadline(int slot);
    }

    static final int TICKS_PER_WHEEL = 8;
    private static final int INDEX_BITS = 20;
    private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    private static final int MISSING = -1;

    private final DeadlineTimerWheel wheel;
    private final Int2IntHashMap slotByTimer;
    private final int[] timerId;
    private final ExpiryHandler handler;

    /**
     * @param table   the table whose {@code timerId} array holds each slot's timer.
     * @param tickMs  wheel tick, a power of two: deadlines fire up to a tick late.
     * @param startMs the clock now.
     * @param handler told of each expired deadline, on the polling thread.
     */
    ConnectionTimers(final ConnectionTable table, final long tickMs, final long startMs, final ExpiryHandler handler)
    {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, startMs, tickMs, TICKS_PER_WHEEL, 16);
        this.slotByTimer = new Int2IntHashMap(Math.max(16, table.capacity() * 2), 0.65f, MISSING);
        this.timerId = table.timerId;
        this.handler = handler;
    }

    /**
     * Sets (or moves) a slot's deadline.
     *
     * @param slot       the connection.
     * @param deadlineMs when it expires, on the reactor's millisecond clock.
     */
    void schedule(final int slot, final long deadlineMs)
    {
        cancel(slot);
        final int id = pack(wheel.scheduleTimer(deadlineMs));
        timerId[slot] = id;
        slotByTimer.put(id, slot);
    }

    /**
     * Removes a slot's deadline, if it has one.
     *
     * @param slot the connection.
     */
    void cancel(final int slot)
    {
        final int id = timerId[slot];
        if (ConnectionTable.NO_TIMER != id)
        {
            wheel.cancelTimer(unpack(id));
            slotByTimer.remove(id);
            timerId[slot] = ConnectionTable.NO_TIMER;
        }
    }

    /**
     * @param slot the connection.
     * @return its deadline in ms, or {@link DeadlineTimerWheel#NULL_DEADLINE}.
     */
    long deadline(final int slot)
    {
        final int id = timerId[slot];
        return ConnectionTable.NO_TIMER == id ? DeadlineTimerWheel.NULL_DEADLINE : wheel.deadline(unpack(id));
    }

    /**
     * Fires every deadline at or before {@code nowMs}, catching up over as many ticks as the clock moved.
     *
     * @param nowMs the clock now.
     * @param limit most expiries to handle.
     * @return expiries handled.
     */
    int poll(final long nowMs, final int limit)
    {
        if (nowMs < wheel.currentTickTime())
        {
            // The current tick has not ended. The wheel's poll scans every entry of the tick's spoke on
            // each call (the spoke holds the deadlines of all later rotations too: thousands of entries per
            // reactor), so scanning it on every duty cycle cost most of a busy reactor's CPU. Deadlines fire
            // at the end of their tick instead: up to one tick late, as documented.
            return 0;
        }
        if (0 == wheel.timerCount())
        {
            if (wheel.currentTickTime() < nowMs)
            {
                wheel.currentTickTime(nowMs);
            }
            return 0;
        }
        int expired = 0;
        while (expired < limit)
        {
            final long tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowMs, this, limit - expired);
            if (wheel.currentTickTime() == tickTime)
            {
                break;
            }
        }
        return expired;
    }

    long timerCount()
    {
        return wheel.timerCount();
    }

    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long wheelTimerId)
    {
        final int id = pack(wheelTimerId);
        final int slot = slotByTimer.remove(id);
        if (MISSING != slot && timerId[slot] == id)
        {
            timerId[slot] = ConnectionTable.NO_TIMER;
            handler.onDeadline(slot);
        }
        return true;
    }

    private static int pack(final long wheelTimerId)
    {
        return (int)((wheelTimerId >>> 32) << INDEX_BITS) | (int)(wheelTimerId & INDEX_MASK);
    }

    private static long unpack(final int id)
    {
        return ((long)(id >>> INDEX_BITS) << 32) | (id & INDEX_MASK);
    }
}
