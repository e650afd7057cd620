package io.pushwire.dispatch;

import org.agrona.collections.Long2LongHashMap;

/**
 * Delivery receipts per message id: targets, delivered (acked), expired (TTL passed, collapsed by a
 * newer message, or trimmed by topic retention before being acked); pending is the rest.
 * <p>
 * Receipts are kept in a growing ring in message id order (ids are monotonic) with a map from id to
 * ring position. The oldest receipt is evicted once it is settled (nothing pending) and older than the
 * retention, or when the ring reaches {@code maxReceipts} (evictions counted). A receipt is rebuilt on
 * restart from the store's MESSAGE and ACKED records. Not thread-safe: the dispatch agent owns it.
 */
public final class Receipts
{
    private static final long MISSING = -1;

    private final Long2LongHashMap positions;
    private final int maxReceipts;
    private long[] ids;
    private long[] createdMs;
    private int[] targets;
    private int[] delivered;
    private int[] expired;
    private long oldest;
    private long next;
    private long forcedEvictions;

    /**
     * Sizes the ring and the map for {@code maxReceipts} up front (about 60 bytes a receipt), so neither
     * ever grows, and so never stalls the agent with a rehash of millions of entries.
     *
     * @param maxReceipts receipts held at most.
     */
    public Receipts(final int maxReceipts)
    {
        this.maxReceipts = maxReceipts;
        final int capacity = org.agrona.BitUtil.findNextPositivePowerOfTwo(Math.max(16, maxReceipts));
        positions = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        ids = new long[capacity];
        createdMs = new long[capacity];
        targets = new int[capacity];
        delivered = new int[capacity];
        expired = new int[capacity];
    }

    public int size()
    {
        return (int)(next - oldest);
    }

    public long forcedEvictions()
    {
        return forcedEvictions;
    }

    /**
     * Starts a receipt (once per message id).
     */
    public void create(final long messageId, final int targetCount, final long nowMs)
    {
        if (positions.containsKey(messageId))
        {
            return;
        }
        if (next - oldest == maxReceipts)
        {
            positions.remove(ids[slot(oldest)]);
            oldest++;
            forcedEvictions++;
        }
        if (next - oldest == ids.length)
        {
            grow();
        }
        final int slot = slot(next);
        ids[slot] = messageId;
        createdMs[slot] = nowMs;
        targets[slot] = targetCount;
        delivered[slot] = 0;
        expired[slot] = 0;
        positions.put(messageId, next);
        next++;
    }

    public boolean contains(final long messageId)
    {
        return positions.containsKey(messageId);
    }

    public void delivered(final long messageId)
    {
        final long position = positions.get(messageId);
        if (position != MISSING)
        {
            final int slot = slot(position);
            if (delivered[slot] + expired[slot] < targets[slot])
            {
                delivered[slot]++;
            }
        }
    }

    public void expired(final long messageId, final int count)
    {
        final long position = positions.get(messageId);
        if (position != MISSING)
        {
            final int slot = slot(position);
            expired[slot] = Math.min(targets[slot] - delivered[slot], expired[slot] + count);
        }
    }

    /**
     * Marks everything still pending of the message expired (a topic message past its TTL).
     */
    public void expireRest(final long messageId)
    {
        final long position = positions.get(messageId);
        if (position != MISSING)
        {
            final int slot = slot(position);
            expired[slot] = targets[slot] - delivered[slot];
        }
    }

    public int targets(final long messageId)
    {
        final long position = positions.get(messageId);
        return position == MISSING ? -1 : targets[slot(position)];
    }

    public int deliveredCount(final long messageId)
    {
        final long position = positions.get(messageId);
        return position == MISSING ? -1 : delivered[slot(position)];
    }

    public int expiredCount(final long messageId)
    {
        final long position = positions.get(messageId);
        return position == MISSING ? -1 : expired[slot(position)];
    }

    /**
     * Evicts settled receipts older than the retention, oldest first; stops at the first that must stay.
     *
     * @return receipts evicted.
     */
    public int evict(final long nowMs, final long retentionMs, final int limit)
    {
        int evicted = 0;
        while (evicted < limit && oldest < next)
        {
            final int slot = slot(oldest);
            final boolean settled = delivered[slot] + expired[slot] >= targets[slot];
            if (!settled || nowMs - createdMs[slot] < retentionMs)
            {
                break;
            }
            positions.remove(ids[slot]);
            oldest++;
            evicted++;
        }
        return evicted;
    }

    private int slot(final long position)
    {
        return (int)(position & (ids.length - 1));
    }

    private void grow()
    {
        final int capacity = ids.length * 2;
        final long[] newIds = new long[capacity];
        final long[] newCreated = new long[capacity];
        final int[] newTargets = new int[capacity];
        final int[] newDelivered = new int[capacity];
        final int[] newExpired = new int[capacity];
        for (long p = oldest; p < next; p++)
        {
            final int from = slot(p);
            final int to = (int)(p & (capacity - 1));
            newIds[to] = ids[from];
            newCreated[to] = createdMs[from];
            newTargets[to] = targets[from];
            newDelivered[to] = delivered[from];
            newExpired[to] = expired[from];
        }
        ids = newIds;
        createdMs = newCreated;
        targets = newTargets;
        delivered = newDelivered;
        expired = newExpired;
    }
}
