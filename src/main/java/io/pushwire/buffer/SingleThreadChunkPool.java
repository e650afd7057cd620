package io.pushwire.buffer;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Fixed-size chunks carved from one direct memory region reserved at construction, handed out from an
 * int free-list stack. <b>Single-threaded</b>: one pool per reactor, used only on that reactor's thread,
 * so there are no locks and no atomics.
 * <p>
 * A chunk is named by its index, {@code 0 .. chunkCount - 1}; {@link #NONE} means no chunk. Each chunk
 * carries three ints of metadata: the next chunk in a chain, and a {@code start}/{@code limit} pair
 * marking its readable bytes {@code [start, limit)} relative to the chunk's first byte. Chains make a
 * FIFO byte queue of any length ({@link #append}); a single chunk holds a partial inbound frame.
 * <p>
 * Exhaustion is a result, never an exception and never growth: {@link #acquire()} returns {@link #NONE}
 * and {@link #exhaustions()} counts it. Memory: {@code chunkCount * chunkLength} bytes of direct memory
 * (touched, hence resident, at construction because the JDK zeroes it) plus 12 bytes of heap per chunk.
 */
public final class SingleThreadChunkPool
{
    /**
     * No chunk: the end of a chain, or an exhausted pool.
     */
    public static final int NONE = -1;

    private final int chunkLength;
    private final int chunkCount;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final int[] freeStack;
    private final int[] next;
    private final int[] start;
    private final int[] limit;
    private int freeCount;
    private long exhaustions;

    /**
     * @param chunkLength bytes in a chunk, at least 64.
     * @param chunkCount  chunks in the pool, at least 1; {@code chunkLength * chunkCount} must fit an int.
     */
    public SingleThreadChunkPool(final int chunkLength, final int chunkCount)
    {
        if (chunkLength < 64 || chunkCount < 1 || (long)chunkLength * chunkCount > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("bad pool size: chunkLength=" + chunkLength + " chunkCount=" + chunkCount);
        }
        this.chunkLength = chunkLength;
        this.chunkCount = chunkCount;
        this.byteBuffer = BufferUtil.allocateDirectAligned(chunkLength * chunkCount, 64);
        this.buffer = new UnsafeBuffer(byteBuffer);
        this.freeStack = new int[chunkCount];
        this.next = new int[chunkCount];
        this.start = new int[chunkCount];
        this.limit = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            freeStack[i] = chunkCount - 1 - i;
        }
        freeCount = chunkCount;
    }

    public int chunkLength()
    {
        return chunkLength;
    }

    public int chunkCount()
    {
        return chunkCount;
    }

    /**
     * @return chunks free now.
     */
    public int available()
    {
        return freeCount;
    }

    /**
     * @return times {@link #acquire()} found the pool empty, since construction.
     */
    public long exhaustions()
    {
        return exhaustions;
    }

    /**
     * @return the whole region; a chunk's bytes start at {@link #offset(int)}.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return a {@link ByteBuffer} over the whole region for channel I/O. The caller sets its position and
     * limit for each call; it is shared by every user of the pool (one thread).
     */
    public ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }

    /**
     * Takes a chunk off the free list, empty ({@code start == limit == 0}) and unlinked.
     *
     * @return the chunk, or {@link #NONE} if the pool is exhausted (counted).
     */
    public int acquire()
    {
        if (0 == freeCount)
        {
            exhaustions++;
            return NONE;
        }
        final int chunk = freeStack[--freeCount];
        next[chunk] = NONE;
        start[chunk] = 0;
        limit[chunk] = 0;
        return chunk;
    }

    /**
     * Returns one chunk to the free list. Releasing a chunk twice corrupts the pool; the caller owns that.
     *
     * @param chunk the chunk.
     */
    public void release(final int chunk)
    {
        freeStack[freeCount++] = chunk;
    }

    /**
     * Releases every chunk of a chain.
     *
     * @param head the first chunk, or {@link #NONE}.
     */
    public void releaseChain(final int head)
    {
        int chunk = head;
        while (NONE != chunk)
        {
            final int following = next[chunk];
            release(chunk);
            chunk = following;
        }
    }

    /**
     * @param chunk the chunk.
     * @return the offset of its first byte in {@link #buffer()}.
     */
    public int offset(final int chunk)
    {
        return chunk * chunkLength;
    }

    public int next(final int chunk)
    {
        return next[chunk];
    }

    public void next(final int chunk, final int nextChunk)
    {
        next[chunk] = nextChunk;
    }

    /**
     * @param chunk the chunk.
     * @return where its readable bytes start, relative to {@link #offset(int)}.
     */
    public int start(final int chunk)
    {
        return start[chunk];
    }

    public void start(final int chunk, final int value)
    {
        start[chunk] = value;
    }

    /**
     * @param chunk the chunk.
     * @return where its readable bytes end, relative to {@link #offset(int)}.
     */
    public int limit(final int chunk)
    {
        return limit[chunk];
    }

    public void limit(final int chunk, final int value)
    {
        limit[chunk] = value;
    }

    /**
     * @param chunk the chunk.
     * @return readable bytes in it: {@code limit - start}.
     */
    public int remaining(final int chunk)
    {
        return limit[chunk] - start[chunk];
    }

    /**
     * Appends bytes at the end of a chain, filling its tail chunk and then linking new ones.
     * On exhaustion the chunks already linked stay linked (the chain holds a prefix of the bytes): the
     * caller releases the chain with {@link #releaseChain(int)} and gives up on it.
     *
     * @param tail      the last chunk of the chain (never {@link #NONE}: acquire the first chunk yourself).
     * @param src       the bytes.
     * @param srcOffset where they start.
     * @param length    how many.
     * @return the new tail, or {@link #NONE} if the pool ran out.
     */
    public int append(final int tail, final DirectBuffer src, final int srcOffset, final int length)
    {
        int chunk = tail;
        int copied = 0;
        while (copied < length)
        {
            int space = chunkLength - limit[chunk];
            if (0 == space)
            {
                final int fresh = acquire();
                if (NONE == fresh)
                {
                    return NONE;
                }
                next[chunk] = fresh;
                chunk = fresh;
                space = chunkLength;
            }
            final int n = Math.min(space, length - copied);
            buffer.putBytes(offset(chunk) + limit[chunk], src, srcOffset + copied, n);
            limit[chunk] += n;
            copied += n;
        }
        return chunk;
    }

    /**
     * Moves a chunk's readable bytes to its start, making room at its end.
     *
     * @param chunk the chunk.
     */
    public void compact(final int chunk)
    {
        final int from = start[chunk];
        if (from > 0)
        {
            final int length = limit[chunk] - from;
            final int base = offset(chunk);
            buffer.putBytes(base, buffer, base + from, length);
            start[chunk] = 0;
            limit[chunk] = length;
        }
    }
}
