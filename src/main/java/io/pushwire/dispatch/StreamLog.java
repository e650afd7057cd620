package io.pushwire.dispatch;

/**
 * The in-memory index of one stream (a device's unicast stream or a topic): its head seq and, for each
 * seq still held, where the message is in the store, its id, expiry, collapse hash and state. Payloads
 * stay in the store. Seqs are gap-free, so entries live in a power-of-two ring indexed by
 * {@code seq & mask}; seqs in {@code [base, head]} are held, seqs below {@code base} were trimmed
 * (acked, or past a topic's retention bound, or in a deleted store file).
 * <p>
 * A device stream grows as needed (messages stay until acked or expired); a topic stream is bounded by
 * {@code maxEntries}: appending to a full one trims its oldest entry. Growing allocates (amortised, per
 * stream); appending otherwise does not. Not thread-safe: the dispatch agent owns it.
 */
public final class StreamLog
{
    public static final byte LIVE = 0;
    public static final byte EXPIRED = 1;
    public static final byte COLLAPSED = 2;

    private final int maxEntries;
    private long head;
    private long acked;
    private long base = 1;
    private int mask = -1;
    private long[] storeIndexes;
    private long[] messageIds;
    private long[] expiryMs;
    private long[] collapseHashes;
    private int[] payloadLengths;
    private byte[] states;

    /**
     * @param maxEntries most entries held; 0 for no bound.
     */
    public StreamLog(final int maxEntries)
    {
        this.maxEntries = maxEntries;
    }

    /**
     * @return the highest seq assigned, 0 for none yet.
     */
    public long head()
    {
        return head;
    }

    /**
     * @return the cumulative acked seq (device streams).
     */
    public long acked()
    {
        return acked;
    }

    /**
     * @return the lowest seq held; seqs below were trimmed.
     */
    public long base()
    {
        return base;
    }

    public boolean holds(final long seq)
    {
        return seq >= base && seq <= head;
    }

    /**
     * Adds the message with seq {@code head + 1} (or, in replay after deleted files, a later seq: the
     * seqs in between count as trimmed).
     *
     * @return the message id of a live entry trimmed to make room (topic retention), else 0.
     */
    public long append(final long seq, final long storeIndex, final long messageId, final long expiry,
        final long collapseHash, final int payloadLength)
    {
        long trimmed = 0;
        if (seq <= head)
        {
            throw new IllegalStateException("seq " + seq + " not after head " + head);
        }
        if (seq > head + 1)
        {
            advanceHead(seq - 1);
        }
        if (base > head)
        {
            base = seq;
        }
        final long count = seq - base + 1;
        if (maxEntries > 0 && count > maxEntries)
        {
            final int oldSlot = (int)base & mask;
            trimmed = states[oldSlot] == LIVE ? messageIds[oldSlot] : 0;
            base++;
        }
        ensureCapacity((int)(seq - base + 1));
        final int slot = (int)seq & mask;
        storeIndexes[slot] = storeIndex;
        messageIds[slot] = messageId;
        expiryMs[slot] = expiry;
        collapseHashes[slot] = collapseHash;
        payloadLengths[slot] = payloadLength;
        states[slot] = LIVE;
        head = seq;
        return trimmed;
    }

    /**
     * Moves the head on without entries: a snapshot's HEAD record after older files were deleted, or a
     * device whose cursor is beyond the head (seqs the store lost). The seqs in between read as expired
     * when few, else everything held is dropped (trimmed), so a far-off head never allocates.
     */
    public void advanceHead(final long newHead)
    {
        if (newHead <= head)
        {
            return;
        }
        final long limit = maxEntries > 0 ? maxEntries : 65_536;
        if (base > head || newHead - base + 1 > limit)
        {
            base = newHead + 1;
        }
        else
        {
            ensureCapacity((int)(newHead - base + 1));
            for (long s = head + 1; s <= newHead; s++)
            {
                states[(int)s & mask] = EXPIRED;
                messageIds[(int)s & mask] = 0;
                payloadLengths[(int)s & mask] = 0;
            }
        }
        head = newHead;
    }

    /**
     * Cumulative ack: entries up to {@code seq} are dropped.
     */
    public void ack(final long seq)
    {
        if (seq > acked)
        {
            acked = Math.min(seq, head);
            trimThrough(acked);
        }
    }

    public void trimThrough(final long seq)
    {
        if (seq >= base)
        {
            base = Math.min(seq, head) + 1;
        }
    }

    /**
     * The number of held entries, {@code head - base + 1}, or 0.
     */
    public int size()
    {
        return base > head ? 0 : (int)(head - base + 1);
    }

    public long storeIndex(final long seq)
    {
        return storeIndexes[(int)seq & mask];
    }

    public long messageId(final long seq)
    {
        return messageIds[(int)seq & mask];
    }

    public long expiryMs(final long seq)
    {
        return expiryMs[(int)seq & mask];
    }

    public long collapseHash(final long seq)
    {
        return collapseHashes[(int)seq & mask];
    }

    public int payloadLength(final long seq)
    {
        return payloadLengths[(int)seq & mask];
    }

    public byte state(final long seq)
    {
        return states[(int)seq & mask];
    }

    public void state(final long seq, final byte state)
    {
        states[(int)seq & mask] = state;
    }

    /**
     * @return the seq of the newest live entry above {@code afterSeq} with this collapse hash, or 0.
     */
    public long findLiveCollapse(final long collapseHash, final long afterSeq)
    {
        final long from = Math.max(base, afterSeq + 1);
        for (long s = head; s >= from; s--)
        {
            final int slot = (int)s & mask;
            if (collapseHashes[slot] == collapseHash && states[slot] == LIVE)
            {
                return s;
            }
        }
        return 0;
    }

    private void ensureCapacity(final int needed)
    {
        final int capacity = mask + 1;
        if (needed <= capacity)
        {
            return;
        }
        int newCapacity = Math.max(8, capacity);
        while (newCapacity < needed)
        {
            newCapacity <<= 1;
        }
        final int newMask = newCapacity - 1;
        final long[] si = new long[newCapacity];
        final long[] mi = new long[newCapacity];
        final long[] ex = new long[newCapacity];
        final long[] ch = new long[newCapacity];
        final int[] pl = new int[newCapacity];
        final byte[] st = new byte[newCapacity];
        if (capacity > 0)
        {
            for (long s = base; s <= head; s++)
            {
                final int from = (int)s & mask;
                final int to = (int)s & newMask;
                si[to] = storeIndexes[from];
                mi[to] = messageIds[from];
                ex[to] = expiryMs[from];
                ch[to] = collapseHashes[from];
                pl[to] = payloadLengths[from];
                st[to] = states[from];
            }
        }
        storeIndexes = si;
        messageIds = mi;
        expiryMs = ex;
        collapseHashes = ch;
        payloadLengths = pl;
        states = st;
        mask = newMask;
    }
}
