package io.pushwire.gateway;

import io.pushwire.buffer.SingleThreadChunkPool;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A reactor's read path and upstream back pressure. A connection without a partial frame reads into the one
 * scratch buffer and its whole frames are decoded there, in place; only a partial remainder is copied into a
 * pool chunk, and a connection holding one reads straight into it. Invariant: a connection's unconsumed inbound
 * bytes never exceed one chunk ({@code chunk-length >= max-frame-length}).
 * <p>
 * When the dispatch link refuses a frame, the frame stays in the connection's chunk, {@code OP_READ} is removed
 * and {@link #resumeBlocked()} retries it every cycle; if no blocked connection made progress for
 * {@code upstream-stall-timeout}, the blocked connections close as OVERLOADED. Single-threaded: owned by the
 * reactor; allocates nothing per read.
 */
final class ConnectionReader
{
    private final ConnectionTable table;
    private final SingleThreadChunkPool pool;
    private final DeviceFrameAdapter frames;
    private final GatewayCounters counters;
    private final ConnectionWriter.Closer closer;
    private final long stallTimeoutMs;
    private final ByteBuffer scratch;
    private final UnsafeBuffer scratchBuffer;
    private final ByteBuffer poolByteBuffer;
    private long nowMs;
    private long bytesIn;
    private int blockedCount;
    private int deferredCount;
    private int blockedCursor;
    private long lastUpstreamProgressMs;

    ConnectionReader(
        final ConnectionTable table,
        final SingleThreadChunkPool pool,
        final DeviceFrameAdapter frames,
        final GatewayCounters counters,
        final ConnectionWriter.Closer closer,
        final GatewayContext ctx)
    {
        this.table = table;
        this.pool = pool;
        this.frames = frames;
        this.counters = counters;
        this.closer = closer;
        this.stallTimeoutMs = ctx.upstreamStallTimeoutMs();
        this.scratch = BufferUtil.allocateDirectAligned(ctx.chunkLength(), 64);
        this.scratchBuffer = new UnsafeBuffer(scratch);
        this.poolByteBuffer = pool.byteBuffer().duplicate();
    }

    void nowMs(final long nowMs)
    {
        this.nowMs = nowMs;
    }

    /**
     * @return connections waiting for the link.
     */
    int blockedCount()
    {
        return blockedCount;
    }

    /**
     * Leaves a readable connection's bytes in its socket while the link refuses upstream frames: reading them
     * now would park them in a chunk (a chunk per connection that has anything to say, thousands at full
     * rate, until the pool runs dry and connections are closed OVERLOADED). The connection stops being
     * polled for reads like a blocked one and is read again once no connection holds refused bytes.
     *
     * @param slot a readable connection that is not blocked.
     */
    private void deferRead(final int slot)
    {
        deferredCount++;
        block(slot);
    }

    /**
     * Reads what the socket has and handles every whole frame; while another connection holds bytes the link
     * refused, leaves this one's in its socket instead ({@link #deferRead(int)}).
     *
     * @param slot a readable connection that is not blocked.
     */
    void onReadable(final int slot)
    {
        if (blockedCount > 0)
        {
            deferRead(slot);
            return;
        }
        final SocketChannel channel = table.channels[slot];
        int chunk = table.readChunk[slot];
        final int read;
        try
        {
            if (SingleThreadChunkPool.NONE == chunk)
            {
                scratch.clear();
                read = channel.read(scratch);
            }
            else
            {
                pool.compact(chunk);
                final int base = pool.offset(chunk);
                poolByteBuffer.limit(base + pool.chunkLength()).position(base + pool.limit(chunk));
                read = channel.read(poolByteBuffer);
            }
        }
        catch (final IOException ex)
        {
            closer.close(slot, CloseReason.CLIENT_CLOSE, 0);
            return;
        }
        if (read < 0)
        {
            closer.close(slot, CloseReason.CLIENT_CLOSE, 0);
            return;
        }
        if (0 == read)
        {
            return;
        }
        bytesIn += read;

        if (SingleThreadChunkPool.NONE == chunk)
        {
            final int consumed = frames.onBytes(slot, scratchBuffer, 0, read);
            if (DeviceFrameAdapter.CLOSED == consumed)
            {
                return;
            }
            if (consumed < read)
            {
                chunk = pool.acquire();
                if (SingleThreadChunkPool.NONE == chunk)
                {
                    counters.chunkPoolExhausted.increment();
                    closer.close(slot, CloseReason.OVERLOADED, ErrorCode.OVERLOADED);
                    return;
                }
                pool.buffer().putBytes(pool.offset(chunk), scratchBuffer, consumed, read - consumed);
                pool.limit(chunk, read - consumed);
                table.readChunk[slot] = chunk;
            }
        }
        else
        {
            pool.limit(chunk, pool.limit(chunk) + read);
            if (DeviceFrameAdapter.CLOSED == consumeChunk(slot, chunk))
            {
                return;
            }
        }
        if (frames.isBlocked())
        {
            block(slot);
        }
    }

    /**
     * Retries blocked connections in turn from where the last call stopped, until the link refuses again;
     * closes them all (OVERLOADED) once none has made progress for the stall timeout.
     *
     * @return connections resumed or closed.
     */
    int resumeBlocked()
    {
        int resumed = 0;
        final int capacity = table.capacity();
        for (int i = 0; i < capacity && blockedCount > 0; i++)
        {
            final int slot = blockedCursor;
            blockedCursor = blockedCursor + 1 == capacity ? 0 : blockedCursor + 1;
            if (!table.isUpstreamBlocked(slot))
            {
                continue;
            }
            if (!holdsRefusedBytes(slot))
            {
                if (blockedCount > deferredCount)
                {
                    continue; // some connection still holds refused bytes: they go first
                }
                deferredCount--;
                unblock(slot);
                resumed++;
                continue;
            }
            if (DeviceFrameAdapter.CLOSED == consumeChunk(slot, table.readChunk[slot]))
            {
                continue;
            }
            if (frames.isBlocked())
            {
                blockedCursor = slot;
                break;
            }
            unblock(slot);
            lastUpstreamProgressMs = nowMs;
            resumed++;
        }
        if (blockedCount > deferredCount && nowMs - lastUpstreamProgressMs > stallTimeoutMs)
        {
            for (int slot = 0; slot < capacity && blockedCount > deferredCount; slot++)
            {
                if (table.isUpstreamBlocked(slot) && holdsRefusedBytes(slot))
                {
                    closer.close(slot, CloseReason.OVERLOADED, ErrorCode.OVERLOADED);
                    resumed++;
                }
            }
            lastUpstreamProgressMs = nowMs;
        }
        return resumed;
    }

    /**
     * Releases a closing connection's read chunk and forgets it was blocked.
     *
     * @param slot the connection.
     */
    void release(final int slot)
    {
        if (table.isUpstreamBlocked(slot))
        {
            blockedCount--;
            if (!holdsRefusedBytes(slot))
            {
                deferredCount--;
            }
        }
        final int readChunk = table.readChunk[slot];
        if (SingleThreadChunkPool.NONE != readChunk)
        {
            pool.release(readChunk);
        }
    }

    /**
     * A blocked connection either holds bytes the link refused (always in its read chunk: the refused frame is
     * never consumed) or was deferred before it was read (no chunk).
     */
    private boolean holdsRefusedBytes(final int slot)
    {
        return SingleThreadChunkPool.NONE != table.readChunk[slot];
    }

    /**
     * Adds the bytes read since the last call to the shared counter.
     */
    void flushCounters()
    {
        if (0 != bytesIn)
        {
            counters.bytesIn.getAndAdd(bytesIn);
            bytesIn = 0;
        }
        frames.flushCounters();
    }

    private int consumeChunk(final int slot, final int chunk)
    {
        final int start = pool.start(chunk);
        final int consumed = frames.onBytes(slot, pool.buffer(), pool.offset(chunk) + start, pool.limit(chunk) - start);
        if (DeviceFrameAdapter.CLOSED == consumed)
        {
            return DeviceFrameAdapter.CLOSED;
        }
        pool.start(chunk, start + consumed);
        if (0 == pool.remaining(chunk))
        {
            pool.release(chunk);
            table.readChunk[slot] = SingleThreadChunkPool.NONE;
        }
        return consumed;
    }

    private void block(final int slot)
    {
        if (!table.isUpstreamBlocked(slot))
        {
            table.upstreamBlocked(slot, true);
            if (0 == blockedCount++)
            {
                lastUpstreamProgressMs = nowMs;
            }
            final SelectionKey key = table.keys[slot];
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    private void unblock(final int slot)
    {
        table.upstreamBlocked(slot, false);
        blockedCount--;
        final SelectionKey key = table.keys[slot];
        key.interestOps(key.interestOps() | SelectionKey.OP_READ);
    }
}
