package io.pushwire.gateway;

import io.pushwire.buffer.SingleThreadChunkPool;
import io.pushwire.link.ConnectionId;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One reactor's connections as a struct of arrays indexed by slot: there is no per-connection object
 * of ours, only the JDK's {@link SocketChannel} and {@link SelectionKey}. Single-threaded: owned by
 * its reactor.
 * <p>
 * Per slot, in bytes: channel 4, key 4, attachment 4 + a 16-byte {@link Integer} made once per slot
 * (the key's attachment maps a ready key back to its slot without allocating), generation 4, state 1,
 * timer 4, read chunk 4, write head 4, write tail 4, outbound bytes 4, soft-limit start 4, rate
 * bucket 8, free stack 4: about 69 bytes, allocated for every slot up front.
 * <p>
 * A slot's generation starts at 1 and moves on every close, so a {@link ConnectionId} of a closed
 * connection never matches the slot's next tenant. Times are milliseconds of the reactor's clock
 * truncated to an int; compare them only by subtraction (they wrap after 24 days).
 */
final class ConnectionTable
{
    static final byte FREE = 0;
    static final byte AWAITING_HELLO = 1;
    static final byte OPEN = 2;

    /**
     * Marks a slot whose decoded-but-unsent upstream bytes wait in its read chunk (link back pressure).
     */
    static final byte FLAG_UPSTREAM_BLOCKED = 0x10;
    static final byte STATE_MASK = 0x0F;

    static final int NO_TIMER = -1;

    final SocketChannel[] channels;
    final SelectionKey[] keys;
    final Integer[] attachments;
    final int[] generation;
    final byte[] state;
    final int[] timerId;
    final int[] readChunk;
    final int[] writeHead;
    final int[] writeTail;
    final int[] outboundBytes;
    final int[] softLimitSinceMs;
    /**
     * Token bucket as one number (GCRA): the nanosecond on the reactor's clock at which the connection's
     * bucket would be full again. See {@link DeviceFrameAdapter}.
     */
    final long[] rateTatNs;

    private final int[] freeSlots;
    private final int capacity;
    private int freeCount;
    private int openCount;
    private int authenticatedCount;

    /**
     * @param capacity the most connections this reactor holds.
     */
    ConnectionTable(final int capacity)
    {
        this.capacity = capacity;
        channels = new SocketChannel[capacity];
        keys = new SelectionKey[capacity];
        attachments = new Integer[capacity];
        generation = new int[capacity];
        state = new byte[capacity];
        timerId = new int[capacity];
        readChunk = new int[capacity];
        writeHead = new int[capacity];
        writeTail = new int[capacity];
        outboundBytes = new int[capacity];
        softLimitSinceMs = new int[capacity];
        rateTatNs = new long[capacity];
        freeSlots = new int[capacity];
        for (int slot = 0; slot < capacity; slot++)
        {
            attachments[slot] = slot;
            generation[slot] = 1;
            timerId[slot] = NO_TIMER;
            readChunk[slot] = SingleThreadChunkPool.NONE;
            writeHead[slot] = SingleThreadChunkPool.NONE;
            writeTail[slot] = SingleThreadChunkPool.NONE;
            freeSlots[slot] = capacity - 1 - slot;
        }
        freeCount = capacity;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * @return slots in use (awaiting HELLO or open).
     */
    int openCount()
    {
        return openCount;
    }

    /**
     * @return slots whose device said a good HELLO.
     */
    int authenticatedCount()
    {
        return authenticatedCount;
    }

    /**
     * Takes a free slot for a new connection, in state {@link #AWAITING_HELLO}.
     *
     * @param channel the accepted channel.
     * @return the slot, or -1 if the table is full.
     */
    int allocate(final SocketChannel channel)
    {
        if (0 == freeCount)
        {
            return -1;
        }
        final int slot = freeSlots[--freeCount];
        channels[slot] = channel;
        state[slot] = AWAITING_HELLO;
        outboundBytes[slot] = 0;
        rateTatNs[slot] = 0;
        openCount++;
        return slot;
    }

    /**
     * Marks a slot authenticated.
     *
     * @param slot the slot.
     */
    void open(final int slot)
    {
        state[slot] = OPEN;
        authenticatedCount++;
    }

    /**
     * Frees a slot and moves its generation on. The caller has already closed the channel, cancelled the
     * timer and released the chunks.
     *
     * @param slot the slot.
     */
    void free(final int slot)
    {
        if (OPEN == (state[slot] & STATE_MASK))
        {
            authenticatedCount--;
        }
        channels[slot] = null;
        keys[slot] = null;
        state[slot] = FREE;
        timerId[slot] = NO_TIMER;
        readChunk[slot] = SingleThreadChunkPool.NONE;
        writeHead[slot] = SingleThreadChunkPool.NONE;
        writeTail[slot] = SingleThreadChunkPool.NONE;
        outboundBytes[slot] = 0;
        int next = (generation[slot] + 1) & ConnectionId.GENERATION_MASK;
        if (0 == next)
        {
            next = 1;
        }
        generation[slot] = next;
        freeSlots[freeCount++] = slot;
        openCount--;
    }

    /**
     * @param slot the slot.
     * @return FREE, AWAITING_HELLO or OPEN, without flags.
     */
    int stateOf(final int slot)
    {
        return state[slot] & STATE_MASK;
    }

    boolean isUpstreamBlocked(final int slot)
    {
        return (state[slot] & FLAG_UPSTREAM_BLOCKED) != 0;
    }

    void upstreamBlocked(final int slot, final boolean blocked)
    {
        state[slot] = (byte)(blocked ? state[slot] | FLAG_UPSTREAM_BLOCKED : state[slot] & ~FLAG_UPSTREAM_BLOCKED);
    }

    /**
     * @param slot       the slot.
     * @param generation a generation from a {@link ConnectionId}.
     * @return true if the slot is in use by that generation.
     */
    boolean isLive(final int slot, final int generation)
    {
        return slot >= 0 && slot < capacity && FREE != state[slot] && this.generation[slot] == generation;
    }
}
