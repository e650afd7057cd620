package io.pushwire.gateway;

import io.pushwire.buffer.SingleThreadChunkPool;
import io.pushwire.protocol.CloseReason;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A reactor's write path, in the manner of Redis: a frame goes straight to the socket; only the unwritten
 * remainder is queued, in pool chunks, and {@code OP_WRITE} is armed only then and disarmed once the queue
 * drains. Single-threaded: owned by the reactor.
 * <p>
 * Slow consumers: queued bytes above the hard limit close the connection at once; above the soft limit
 * for longer than the soft time close it at the next {@link #sweepSoftLimits(int)}. Both closes are
 * {@link CloseReason#SLOW_CONSUMER} and counted; the device's messages stay in dispatch's store.
 * <p>
 * The pool is shared by the reactor's connections, so the reactor stops taking deliveries and fan-outs
 * before it runs dry ({@link PoolBackPressure}); a reactor paused too long sheds its largest queues
 * ({@link #shedLargestQueues(int)}). A pool that runs dry all the same (the reserve below the pause mark used
 * up by control frames and partial reads) closes the connection that needed the chunk with
 * {@link CloseReason#OVERLOADED}: the last resort, counted in {@code chunk pool exhausted}.
 */
final class ConnectionWriter
{
    /**
     * Closes a connection on the reactor's behalf.
     */
    @FunctionalInterface
    interface Closer
    {
        void close(int slot, int closeReason, int errorCode);
    }

    static final int OK = 0;
    static final int CLOSED = -1;

    private final ConnectionTable table;
    private final SingleThreadChunkPool pool;
    private final GatewayCounters counters;
    private final Closer closer;
    private final int hardLimit;
    private final int softLimit;
    private final int softTimeMs;
    private final ByteBuffer scratch;
    private final UnsafeBuffer scratchBuffer;
    private final ByteBuffer fanOut;
    private final UnsafeBuffer fanOutBuffer;
    private final ByteBuffer poolByteBuffer;
    private final ByteBuffer control = BufferUtil.allocateDirectAligned(4096, 64);
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(control);
    private int nowMs;
    private long bytesOut;
    private long framesOut;

    ConnectionWriter(
        final ConnectionTable table,
        final SingleThreadChunkPool pool,
        final GatewayCounters counters,
        final Closer closer,
        final GatewayContext ctx,
        final int scratchLength)
    {
        this.table = table;
        this.pool = pool;
        this.counters = counters;
        this.closer = closer;
        this.hardLimit = ctx.outboundHardLimit();
        this.softLimit = ctx.outboundSoftLimit();
        this.softTimeMs = (int)Math.min(Integer.MAX_VALUE / 2, ctx.outboundSoftTimeMs());
        this.scratch = BufferUtil.allocateDirectAligned(scratchLength, 64);
        this.scratchBuffer = new UnsafeBuffer(scratch);
        this.fanOut = BufferUtil.allocateDirectAligned(scratchLength, 64);
        this.fanOutBuffer = new UnsafeBuffer(fanOut);
        this.poolByteBuffer = pool.byteBuffer().duplicate();
    }

    /**
     * @return the buffer to encode a frame into (at offset 0) before {@link #writeScratch(int, int)}.
     */
    UnsafeBuffer scratchBuffer()
    {
        return scratchBuffer;
    }

    void nowMs(final int nowMs)
    {
        this.nowMs = nowMs;
    }

    /**
     * Writes bytes to a connection, queueing what the socket does not take.
     *
     * @param slot   the connection.
     * @param src    the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return {@link #OK}, or {@link #CLOSED} if the write closed the connection (error or limit).
     */
    int write(final int slot, final DirectBuffer src, final int offset, final int length)
    {
        if (SingleThreadChunkPool.NONE != table.writeHead[slot] || length > scratch.capacity())
        {
            framesOut++;
            return enqueue(slot, src, offset, length);
        }
        scratchBuffer.putBytes(0, src, offset, length);
        return writeScratch(slot, length);
    }

    /**
     * Writes the frame encoded at offset 0 of {@link #scratchBuffer()}.
     *
     * @param slot   the connection.
     * @param length the frame's length.
     * @return {@link #OK} or {@link #CLOSED}.
     */
    int writeScratch(final int slot, final int length)
    {
        return writeDirect(slot, scratch, scratchBuffer, length);
    }

    /**
     * @return the buffer a topic or broadcast frame is kept in (at offset 0) while it is fanned out, apart from
     * {@link #scratchBuffer()} because a fan-out may wait over duty cycles (back pressure) while PONGs and
     * WELCOMEs are encoded in the scratch buffer.
     */
    UnsafeBuffer fanOutBuffer()
    {
        return fanOutBuffer;
    }

    /**
     * Writes the frame held at offset 0 of {@link #fanOutBuffer()}.
     *
     * @param slot   the connection.
     * @param length the frame's length.
     * @return {@link #OK} or {@link #CLOSED}.
     */
    int writeFanOut(final int slot, final int length)
    {
        return writeDirect(slot, fanOut, fanOutBuffer, length);
    }

    private int writeDirect(final int slot, final ByteBuffer src, final UnsafeBuffer srcView, final int length)
    {
        framesOut++;
        if (SingleThreadChunkPool.NONE != table.writeHead[slot])
        {
            return enqueue(slot, srcView, 0, length);
        }
        final int written;
        try
        {
            src.limit(length).position(0);
            written = table.channels[slot].write(src);
        }
        catch (final IOException ex)
        {
            closer.close(slot, CloseReason.CLIENT_CLOSE, 0);
            return CLOSED;
        }
        bytesOut += written;
        if (written < length)
        {
            final int result = enqueue(slot, srcView, written, length - written);
            if (OK == result)
            {
                final SelectionKey key = table.keys[slot];
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
            return result;
        }
        return OK;
    }

    /**
     * @return a buffer apart from {@link #scratchBuffer()} (which may hold a frame being fanned out) to
     * encode the ERROR, BYE or REDIRECT sent as a connection closes.
     */
    UnsafeBuffer controlBuffer()
    {
        return controlBuffer;
    }

    /**
     * Writes a frame only if nothing is queued and ignores what the socket does not take: for the ERROR,
     * BYE or REDIRECT sent just before a close.
     *
     * @param slot   the connection.
     * @param length the frame's length at offset 0 of {@link #controlBuffer()}.
     */
    void writeControlBestEffort(final int slot, final int length)
    {
        if (SingleThreadChunkPool.NONE == table.writeHead[slot])
        {
            try
            {
                control.limit(length).position(0);
                bytesOut += table.channels[slot].write(control);
                framesOut++;
            }
            catch (final IOException ignore)
            {
                // the connection is being closed anyway
            }
        }
    }

    private int enqueue(final int slot, final DirectBuffer src, final int offset, final int length)
    {
        final int queued = table.outboundBytes[slot] + length;
        if (queued > hardLimit)
        {
            counters.slowConsumerCloses.increment();
            closer.close(slot, CloseReason.SLOW_CONSUMER, 0);
            return CLOSED;
        }
        int tail = table.writeTail[slot];
        if (SingleThreadChunkPool.NONE == tail)
        {
            tail = pool.acquire();
            if (SingleThreadChunkPool.NONE == tail)
            {
                counters.chunkPoolExhausted.increment();
                closer.close(slot, CloseReason.OVERLOADED, 0);
                return CLOSED;
            }
            table.writeHead[slot] = tail;
            table.writeTail[slot] = tail;
        }
        final int newTail = pool.append(tail, src, offset, length);
        if (SingleThreadChunkPool.NONE == newTail)
        {
            counters.chunkPoolExhausted.increment();
            closer.close(slot, CloseReason.OVERLOADED, 0);
            return CLOSED;
        }
        table.writeTail[slot] = newTail;
        table.outboundBytes[slot] = queued;
        counters.outboundBytesQueued.getAndAdd(length);
        if (queued > softLimit && 0 == table.softLimitSinceMs[slot])
        {
            table.softLimitSinceMs[slot] = nowMs | 1;
        }
        return OK;
    }

    /**
     * Writes queued bytes when the socket is writable; disarms {@code OP_WRITE} once the queue is empty.
     *
     * @param slot the connection.
     * @return bytes written, or {@link #CLOSED}.
     */
    int flush(final int slot)
    {
        final SocketChannel channel = table.channels[slot];
        int total = 0;
        int chunk = table.writeHead[slot];
        try
        {
            while (SingleThreadChunkPool.NONE != chunk)
            {
                final int base = pool.offset(chunk);
                final int remaining = pool.remaining(chunk);
                poolByteBuffer.limit(base + pool.limit(chunk)).position(base + pool.start(chunk));
                final int written = channel.write(poolByteBuffer);
                total += written;
                if (written < remaining)
                {
                    pool.start(chunk, pool.start(chunk) + written);
                    break;
                }
                final int next = pool.next(chunk);
                pool.release(chunk);
                chunk = next;
            }
        }
        catch (final IOException ex)
        {
            table.writeHead[slot] = chunk;
            dequeued(slot, total);
            closer.close(slot, CloseReason.CLIENT_CLOSE, 0);
            return CLOSED;
        }
        table.writeHead[slot] = chunk;
        dequeued(slot, total);
        if (SingleThreadChunkPool.NONE == chunk)
        {
            table.writeTail[slot] = SingleThreadChunkPool.NONE;
            final SelectionKey key = table.keys[slot];
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
        return total;
    }

    private void dequeued(final int slot, final int bytes)
    {
        bytesOut += bytes;
        final int queued = table.outboundBytes[slot] - bytes;
        table.outboundBytes[slot] = queued;
        counters.outboundBytesQueued.getAndAdd(-bytes);
        if (queued <= softLimit)
        {
            table.softLimitSinceMs[slot] = 0;
        }
    }

    /**
     * Releases a closing connection's queue.
     *
     * @param slot the connection.
     */
    void release(final int slot)
    {
        pool.releaseChain(table.writeHead[slot]);
        table.writeHead[slot] = SingleThreadChunkPool.NONE;
        table.writeTail[slot] = SingleThreadChunkPool.NONE;
        final int queued = table.outboundBytes[slot];
        if (queued > 0)
        {
            counters.outboundBytesQueued.getAndAdd(-queued);
        }
        table.outboundBytes[slot] = 0;
        table.softLimitSinceMs[slot] = 0;
    }

    /**
     * Closes connections that have been over the soft limit for longer than the soft time.
     *
     * @param upToSlot slots to look at, from 0.
     * @return connections closed.
     */
    int sweepSoftLimits(final int upToSlot)
    {
        int closed = 0;
        final int[] since = table.softLimitSinceMs;
        for (int slot = 0; slot < upToSlot; slot++)
        {
            if (0 != since[slot] && nowMs - since[slot] >= softTimeMs)
            {
                counters.slowConsumerCloses.increment();
                closer.close(slot, CloseReason.SLOW_CONSUMER, 0);
                closed++;
            }
        }
        return closed;
    }

    /**
     * Closes the connections with the largest unsent queues, largest first, until the pool has
     * {@code freeChunks} free or no connection has anything queued: a reactor that stayed paused for its pool
     * too long. Counted and closed as {@link CloseReason#SLOW_CONSUMER}: they are the consumers that hold the
     * pool. One scan of the slots per close; runs at most once a second.
     *
     * @param freeChunks free chunks wanted.
     * @return connections closed.
     */
    int shedLargestQueues(final int freeChunks)
    {
        int closed = 0;
        final int[] queued = table.outboundBytes;
        final int capacity = table.capacity();
        while (pool.available() < freeChunks)
        {
            int largest = -1;
            int largestBytes = 0;
            for (int slot = 0; slot < capacity; slot++)
            {
                if (queued[slot] > largestBytes)
                {
                    largestBytes = queued[slot];
                    largest = slot;
                }
            }
            if (largest < 0)
            {
                break;
            }
            counters.slowConsumerCloses.increment();
            closer.close(largest, CloseReason.SLOW_CONSUMER, 0);
            closed++;
        }
        return closed;
    }

    /**
     * Adds the frames and bytes written since the last call to the shared counters.
     */
    void flushCounters()
    {
        if (0 != framesOut)
        {
            counters.framesOut.getAndAdd(framesOut);
            framesOut = 0;
        }
        if (0 != bytesOut)
        {
            counters.bytesOut.getAndAdd(bytesOut);
            bytesOut = 0;
        }
    }
}
