package io.pushwire.link;

import org.agrona.collections.Long2LongHashMap;

/**
 * The nonces of signed commands seen recently, so a replayed command is refused. Bounded: each nonce is
 * kept for a fixed retention (twice the clock skew: after that its command's timestamp is refused as stale
 * anyway) and at most {@code capacity} are kept; when full, {@link #add} answers {@link #FULL} rather
 * than grow or forget a nonce early. Eviction is first in, first out, which matches expiry order because
 * every entry has the same retention. Not thread-safe: one per verifying agent.
 */
public final class ReplayCache
{
    public static final int ADDED = 0;
    public static final int SEEN = 1;
    public static final int FULL = 2;

    private final long retentionMs;
    private final int capacity;
    private final Long2LongHashMap expiryByNonce = new Long2LongHashMap(Long.MIN_VALUE);
    private final long[] ringNonces;
    private final long[] ringExpiries;
    private int head;
    private int size;

    /**
     * @param retentionMs how long a nonce is remembered.
     * @param capacity    most nonces remembered.
     */
    public ReplayCache(final long retentionMs, final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.retentionMs = retentionMs;
        this.capacity = capacity;
        this.ringNonces = new long[capacity];
        this.ringExpiries = new long[capacity];
    }

    /**
     * @param nonce a command's nonce.
     * @param nowMs the verifier's clock.
     * @return {@link #ADDED} if new (now remembered), {@link #SEEN} if seen within the retention,
     * {@link #FULL} if new but there is no room.
     */
    public int add(final long nonce, final long nowMs)
    {
        evict(nowMs);
        if (expiryByNonce.containsKey(nonce))
        {
            return SEEN;
        }
        if (size == capacity)
        {
            return FULL;
        }
        final long expiry = nowMs + retentionMs;
        final int tail = (head + size) % capacity;
        ringNonces[tail] = nonce;
        ringExpiries[tail] = expiry;
        size++;
        expiryByNonce.put(nonce, expiry);
        return ADDED;
    }

    public int size()
    {
        return size;
    }

    private void evict(final long nowMs)
    {
        while (size > 0 && ringExpiries[head] <= nowMs)
        {
            expiryByNonce.remove(ringNonces[head]);
            head = (head + 1) % capacity;
            size--;
        }
    }
}
