package io.pushwire.sender;

import java.util.Arrays;

/**
 * The requests a {@link PushClient} has sent and not yet seen answered, failed or expired, each with its
 * handler (a future or a {@link PushListener}) and its deadline. Allocates nothing per request once it has
 * grown to the largest number in flight.
 * <p>
 * <b>Slots, not a map.</b> A request lives in a slot of parallel arrays, and its correlation id names the slot:
 * <pre>
 *   bit 63     62 ............................. 23   22 .............. 0
 *  +-------+---------------------------------------+--------------------+
 *  |   0   |  sequence (40 bits, never 0, wraps)   |   slot (23 bits)   |
 *  +-------+---------------------------------------+--------------------+
 * </pre>
 * so an answer finds its request by a mask and one comparison (the slot holds the full id, so an answer to a
 * request that has gone, whose slot now holds another request or none, is recognised as late). Free slots are a
 * stack: a slot freed is the next one reused, and stays in cache.
 * <p>
 * <b>Deadlines.</b> Slots in flight are also on one doubly linked list ordered by deadline, earliest first.
 * {@link #add} walks back from the latest: with one timeout for every request (the usual case: the default
 * 5 s) deadlines arrive in order and the insert is O(1); a request with a shorter timeout than those in flight
 * walks past the ones that expire after it. Removal is O(1); {@link #expire} takes from the head only what has
 * expired.
 * <p>
 * Not thread-safe: {@link PushClient} guards it with one lock, and calls handlers outside it.
 */
final class PendingRequests
{
    static final int SLOT_BITS = 23;
    static final int MAX_CAPACITY = 1 << SLOT_BITS;
    static final int NONE = -1;

    private static final long SLOT_MASK = MAX_CAPACITY - 1;
    private static final long SEQUENCE_MASK = (1L << (63 - SLOT_BITS)) - 1;

    private long[] correlationIds;
    private long[] deadlinesNs;
    private long[] timeoutsNs;
    private Object[] handlers;
    private int[] next;
    private int[] previous;
    private int[] free;
    private int freeCount;
    private int head = NONE;
    private int tail = NONE;
    private int size;
    private long sequence;

    /**
     * @param initialCapacity requests in flight before the arrays grow (doubling, up to {@link #MAX_CAPACITY}).
     */
    PendingRequests(final int initialCapacity)
    {
        if (initialCapacity < 1 || initialCapacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("initial capacity out of 1.." + MAX_CAPACITY + ": " + initialCapacity);
        }
        correlationIds = new long[initialCapacity];
        deadlinesNs = new long[initialCapacity];
        timeoutsNs = new long[initialCapacity];
        handlers = new Object[initialCapacity];
        next = new int[initialCapacity];
        previous = new int[initialCapacity];
        free = new int[initialCapacity];
        pushFree(0, initialCapacity);
    }

    /**
     * @return requests in flight.
     */
    int size()
    {
        return size;
    }

    /**
     * @return slots allocated (grows, never shrinks).
     */
    int capacity()
    {
        return correlationIds.length;
    }

    /**
     * Adds a request.
     *
     * @param handler   its future or listener, not null.
     * @param nowNs     {@link System#nanoTime()} now.
     * @param timeoutNs how long it may wait for an answer.
     * @return its correlation id, positive.
     * @throws IllegalStateException when {@link #MAX_CAPACITY} requests are already in flight.
     */
    long add(final Object handler, final long nowNs, final long timeoutNs)
    {
        if (0 == freeCount)
        {
            grow();
        }
        final int slot = free[--freeCount];
        sequence = (sequence + 1) & SEQUENCE_MASK;
        if (0 == sequence)
        {
            sequence = 1;
        }
        final long correlationId = (sequence << SLOT_BITS) | slot;
        final long deadlineNs = nowNs + timeoutNs;
        correlationIds[slot] = correlationId;
        deadlinesNs[slot] = deadlineNs;
        timeoutsNs[slot] = timeoutNs;
        handlers[slot] = handler;

        int before = tail;
        while (NONE != before && deadlinesNs[before] - deadlineNs > 0)
        {
            before = previous[before];
        }
        previous[slot] = before;
        if (NONE == before)
        {
            next[slot] = head;
            head = slot;
        }
        else
        {
            next[slot] = next[before];
            next[before] = slot;
        }
        if (NONE == next[slot])
        {
            tail = slot;
        }
        else
        {
            previous[next[slot]] = slot;
        }
        size++;
        return correlationId;
    }

    /**
     * Removes a request.
     *
     * @return its handler, or null when no request with this id is in flight (it was answered, failed or
     * expired already, or the id was never ours).
     */
    Object remove(final long correlationId)
    {
        final int slot = (int)(correlationId & SLOT_MASK);
        if (correlationId <= 0 || slot >= correlationIds.length || correlationIds[slot] != correlationId)
        {
            return null;
        }
        final Object handler = handlers[slot];
        release(slot);
        return handler;
    }

    /**
     * Removes requests whose deadline has passed, earliest first, and hands them out through the arrays given.
     *
     * @param nowNs          {@link System#nanoTime()} now.
     * @param expiredIds     receives their correlation ids.
     * @param expiredHandler receives their handlers.
     * @param expiredTimeout receives the timeouts they were given, in ns.
     * @return how many were removed, at most the arrays' length: call again while it fills them.
     */
    int expire(final long nowNs, final long[] expiredIds, final Object[] expiredHandler, final long[] expiredTimeout)
    {
        int count = 0;
        while (NONE != head && count < expiredIds.length && nowNs - deadlinesNs[head] >= 0)
        {
            final int slot = head;
            expiredIds[count] = correlationIds[slot];
            expiredHandler[count] = handlers[slot];
            expiredTimeout[count] = timeoutsNs[slot];
            count++;
            release(slot);
        }
        return count;
    }

    /**
     * Removes every request, whatever its deadline (on close), handing them out as {@link #expire} does.
     *
     * @return how many were removed: call again while it fills the arrays.
     */
    int drain(final long[] ids, final Object[] drained)
    {
        int count = 0;
        while (NONE != head && count < ids.length)
        {
            final int slot = head;
            ids[count] = correlationIds[slot];
            drained[count] = handlers[slot];
            count++;
            release(slot);
        }
        return count;
    }

    private void release(final int slot)
    {
        final int before = previous[slot];
        final int after = next[slot];
        if (NONE == before)
        {
            head = after;
        }
        else
        {
            next[before] = after;
        }
        if (NONE == after)
        {
            tail = before;
        }
        else
        {
            previous[after] = before;
        }
        correlationIds[slot] = 0;
        handlers[slot] = null;
        free[freeCount++] = slot;
        size--;
    }

    private void grow()
    {
        final int oldCapacity = correlationIds.length;
        if (oldCapacity >= MAX_CAPACITY)
        {
            throw new IllegalStateException("more than " + MAX_CAPACITY + " requests awaiting an answer");
        }
        final int newCapacity = Math.min(MAX_CAPACITY, oldCapacity * 2);
        correlationIds = Arrays.copyOf(correlationIds, newCapacity);
        deadlinesNs = Arrays.copyOf(deadlinesNs, newCapacity);
        timeoutsNs = Arrays.copyOf(timeoutsNs, newCapacity);
        handlers = Arrays.copyOf(handlers, newCapacity);
        next = Arrays.copyOf(next, newCapacity);
        previous = Arrays.copyOf(previous, newCapacity);
        free = Arrays.copyOf(free, newCapacity);
        pushFree(oldCapacity, newCapacity);
    }

    private void pushFree(final int fromSlot, final int toSlot)
    {
        for (int slot = toSlot - 1; slot >= fromSlot; slot--)
        {
            free[freeCount++] = slot;
        }
    }
}
