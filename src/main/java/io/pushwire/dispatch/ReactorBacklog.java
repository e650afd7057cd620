package io.pushwire.dispatch;

/**
 * What waits for one gateway reactor's publication, in the order dispatch made it: answers to devices (SUB_ACK,
 * UP_ACK, ERROR), the rest of PULLs cut short by back pressure, and control messages to the reactor (CLOSE,
 * TOPIC_BIND, TOPIC_UNBIND). One ring for all of them keeps a bind before the SUB_ACK it belongs to, and a close after
 * the answers made before it. A FIFO ring of the fields each entry needs to be encoded again (struct of arrays), so
 * an entry costs no buffer copy and a PULL's remainder can be served from the store when its turn comes.
 * <pre>
 *   kind      connectionId  device  a            b        c         d        reason
 *   SUB_ACK   connection    index   requestId    status   streamId  headSeq  -
 *   UP_ACK    connection    index   requestId    status   -         -        -
 *   ERROR     connection    index   -            code     -         -        reason (a String the caller made)
 *   PULL      connection    index   streamId     nextSeq  toSeq     frames   -    (frames: budget left)
 *   CLOSE     connection    -1      closeReason  -        -         -        -
 *   BIND      connection    -1      topic        -        -         -        -
 *   UNBIND    connection    -1      topic        -        -         -        -
 * </pre>
 * Control entries name no device ({@link #NO_DEVICE}): they are for the connection, whatever its device's route is
 * by the time they are sent (see {@link #isControl(int)}).
 * <p>
 * Starts at {@link #INITIAL_CAPACITY} entries and doubles up to {@code maxEntries} (a power of two): it allocates
 * only when it grows past its largest size so far, never on the steady path. Not thread-safe: the dispatch agent owns
 * it.
 */
final class ReactorBacklog
{
    static final int SUB_ACK = 1;
    static final int UP_ACK = 2;
    static final int ERROR = 3;
    static final int PULL = 4;
    static final int CLOSE = 5;
    static final int BIND = 6;
    static final int UNBIND = 7;
    static final int NO_DEVICE = -1;
    static final int INITIAL_CAPACITY = 64;

    private final int maxEntries;
    private int[] kinds = new int[INITIAL_CAPACITY];
    private long[] connections = new long[INITIAL_CAPACITY];
    private int[] devices = new int[INITIAL_CAPACITY];
    private long[] as = new long[INITIAL_CAPACITY];
    private long[] bs = new long[INITIAL_CAPACITY];
    private long[] cs = new long[INITIAL_CAPACITY];
    private long[] ds = new long[INITIAL_CAPACITY];
    private String[] reasons = new String[INITIAL_CAPACITY];
    private int head;
    private int size;

    /**
     * @param maxEntries most entries held, a power of two of at least {@link #INITIAL_CAPACITY}.
     */
    ReactorBacklog(final int maxEntries)
    {
        if (Integer.bitCount(maxEntries) != 1 || maxEntries < INITIAL_CAPACITY)
        {
            throw new IllegalArgumentException("maxEntries must be a power of two >= " + INITIAL_CAPACITY + ": " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /**
     * @param kind an entry's kind.
     * @return true for a control message (CLOSE, BIND, UNBIND): sent to its connection's reactor even if the
     * connection is no longer its device's route (a close names the connection it closes; a bind or unbind for a
     * connection that is gone is ignored by its gateway).
     */
    static boolean isControl(final int kind)
    {
        return kind >= CLOSE;
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    int size()
    {
        return size;
    }

    /**
     * Appends an entry at the tail.
     *
     * @return false if the ring holds {@code maxEntries} already (nothing was added).
     */
    boolean add(final int kind, final long connectionId, final int device, final long a, final long b, final long c,
        final long d, final String reason)
    {
        if (size == kinds.length)
        {
            if (size >= maxEntries)
            {
                return false;
            }
            grow();
        }
        final int slot = (head + size) & (kinds.length - 1);
        kinds[slot] = kind;
        connections[slot] = connectionId;
        devices[slot] = device;
        as[slot] = a;
        bs[slot] = b;
        cs[slot] = c;
        ds[slot] = d;
        reasons[slot] = reason;
        size++;
        return true;
    }

    int headKind()
    {
        return kinds[slot()];
    }

    long headConnectionId()
    {
        return connections[slot()];
    }

    int headDevice()
    {
        return devices[slot()];
    }

    long headA()
    {
        return as[slot()];
    }

    long headB()
    {
        return bs[slot()];
    }

    long headC()
    {
        return cs[slot()];
    }

    long headD()
    {
        return ds[slot()];
    }

    String headReason()
    {
        return reasons[slot()];
    }

    /**
     * Moves the head PULL on: what is left of it starts at {@code nextSeq} and may send {@code frameBudget} frames.
     */
    void headPullProgress(final long nextSeq, final int frameBudget)
    {
        final int slot = slot();
        bs[slot] = nextSeq;
        ds[slot] = frameBudget;
    }

    /**
     * Removes the head entry.
     */
    void removeHead()
    {
        reasons[slot()] = null;
        head = (head + 1) & (kinds.length - 1);
        size--;
    }

    private int slot()
    {
        return head & (kinds.length - 1);
    }

    private void grow()
    {
        final int capacity = kinds.length * 2;
        final int[] newKinds = new int[capacity];
        final long[] newConnections = new long[capacity];
        final int[] newDevices = new int[capacity];
        final long[] newAs = new long[capacity];
        final long[] newBs = new long[capacity];
        final long[] newCs = new long[capacity];
        final long[] newDs = new long[capacity];
        final String[] newReasons = new String[capacity];
        for (int i = 0; i < size; i++)
        {
            final int from = (head + i) & (kinds.length - 1);
            newKinds[i] = kinds[from];
            newConnections[i] = connections[from];
            newDevices[i] = devices[from];
            newAs[i] = as[from];
            newBs[i] = bs[from];
            newCs[i] = cs[from];
            newDs[i] = ds[from];
            newReasons[i] = reasons[from];
        }
        kinds = newKinds;
        connections = newConnections;
        devices = newDevices;
        as = newAs;
        bs = newBs;
        cs = newCs;
        ds = newDs;
        reasons = newReasons;
        head = 0;
    }
}
