package io.pushwire.gateway;

import io.aeron.Subscription;
import io.pushwire.buffer.SingleThreadChunkPool;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.DispatchProxy;
import io.pushwire.link.DownstreamAdapter;
import io.pushwire.link.DownstreamListener;
import io.pushwire.link.LinkMessages;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.protocol.TokenVerifier;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One reactor of a gateway: its own selector, its own {@code SO_REUSEPORT} listener on the device port,
 * its own connection table, chunk pool, timer wheel, topic index and link streams. An Agrona {@link Agent}:
 * all of it is touched only by the thread that calls {@link #doWork()}.
 * <p>
 * Duty cycle: read the clocks once; retry upstream events the link refused; resume connections that were
 * waiting for the link; {@code selectNow} and handle ready keys (accept, flush queued writes, read into the
 * scratch buffer and decode in place); poll the downstream and topic streams; fire due deadlines; once a
 * second sweep soft limits, check capacity and (reactor 0) send GATEWAY_STATUS; move connections off if a
 * drain is on. Never blocks: the idle strategy sleeps when a cycle found no work.
 */
final class ReactorAgent implements Agent, DownstreamListener
{
    private static final int ACCEPT_BATCH = 64;
    private static final int FRAGMENT_LIMIT = 64;
    private static final int TIMER_LIMIT = 1024;
    private static final int HOUSEKEEPING_INTERVAL_MS = 1000;

    private final int reactorIndex;
    private final int gatewayId;
    private final int reactorCount;
    private final long instanceId;
    private final GatewayContext ctx;
    private final GatewayCounters counters;
    private final GatewayState state;
    private final DispatchProxy dispatch;
    private final DownstreamAdapter downstreamAdapter;
    private final DownstreamAdapter topicAdapter;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final ConnectionTable table;
    private final SingleThreadChunkPool pool;
    private final ConnectionWriter writer;
    private final ConnectionTimers timers;
    private final TopicIndex topics = new TopicIndex();
    private final DeviceFrameAdapter frames;
    private final PendingUpstream pendingUpstream;
    private final Selector selector;
    private final ByteBuffer readScratch;
    private final UnsafeBuffer readScratchBuffer;
    private final ByteBuffer poolByteBuffer;
    private final Consumer<SelectionKey> keyHandler = this::onSelectedKey;
    private final TopicIndex.Visitor topicVisitor = this::writeTopicFrame;
    private final int highWater;
    private final int lowWater;
    private final long heartbeatGraceMs;
    private final double heartbeatFactor;
    private final String[] redirectHosts;
    private final int[] redirectPorts;

    private ServerSocketChannel listener;
    private InetSocketAddress bindAddress;
    private long nowMs;
    private long nowEpochMs;
    private long nextHousekeepingMs;
    private long bytesIn;
    private int keyWork;
    private int blockedCount;
    private int blockedCursor;
    private long lastUpstreamProgressMs;
    private int topicFrameLength;
    private int drainReason;
    private double drainAllowance;
    private long lastDrainMs;
    private int drainCursor;

    ReactorAgent(
        final int reactorIndex,
        final int reactorCount,
        final long instanceId,
        final GatewayContext ctx,
        final GatewayCounters counters,
        final GatewayState state,
        final DispatchProxy dispatch,
        final Subscription downstream,
        final Subscription topicStream,
        final int port)
    {
        this.reactorIndex = reactorIndex;
        this.reactorCount = reactorCount;
        this.gatewayId = ctx.gatewayId();
        this.instanceId = instanceId;
        this.ctx = ctx;
        this.counters = counters;
        this.state = state;
        this.dispatch = dispatch;
        this.downstreamAdapter = new DownstreamAdapter(downstream, this);
        this.topicAdapter = new DownstreamAdapter(topicStream, this);
        this.nanoClock = ctx.nanoClock();
        this.epochClock = ctx.epochClock();
        this.nowMs = nanoClock.nanoTime() / 1_000_000;
        this.nowEpochMs = epochClock.time();
        this.table = new ConnectionTable(ctx.slotsPerReactor());
        this.pool = new SingleThreadChunkPool(ctx.chunkLength(), ctx.chunksPerReactor());
        this.writer = new ConnectionWriter(table, pool, counters, this::close, ctx, Math.max(64 * 1024, ctx.chunkLength()));
        this.timers = new ConnectionTimers(table, ctx.timerTickMs(), nowMs, this::onDeadline);
        this.frames = new DeviceFrameAdapter(
            this, table, dispatch, counters, new TokenVerifier(TokenKeys.parse(ctx.authKeys())), ctx);
        this.pendingUpstream = new PendingUpstream(dispatch, counters, table.capacity());
        this.readScratch = BufferUtil.allocateDirectAligned(ctx.chunkLength(), 64);
        this.readScratchBuffer = new UnsafeBuffer(readScratch);
        this.poolByteBuffer = pool.byteBuffer().duplicate();
        this.highWater = Math.max(1, (int)((long)table.capacity() * ctx.capacityHighPercent() / 100));
        this.lowWater = (int)((long)table.capacity() * ctx.capacityLowPercent() / 100);
        this.heartbeatGraceMs = ctx.heartbeatGraceMs();
        this.heartbeatFactor = ctx.heartbeatFactor();
        this.redirectHosts = ctx.redirectHosts();
        this.redirectPorts = ctx.redirectPorts();
        this.bindAddress = new InetSocketAddress(ctx.host(), port);
        this.nextHousekeepingMs = nowMs + HOUSEKEEPING_INTERVAL_MS;
        try
        {
            this.selector = Selector.open();
            openListener();
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(listener);
            throw new UncheckedIOException("reactor " + reactorIndex + " cannot listen on " + bindAddress, ex);
        }
    }

    public String roleName()
    {
        return "gateway-" + gatewayId + "-reactor-" + reactorIndex;
    }

    /**
     * @return the port this reactor's listener is bound to, or -1 while it is closed.
     */
    int listenerPort()
    {
        return null == listener ? -1 : listener.socket().getLocalPort();
    }

    boolean isListening()
    {
        return null != listener;
    }

    /**
     * @return connections held: awaiting HELLO or open. Reactor thread only (tests in invoker mode).
     */
    int connectionCount()
    {
        return table.openCount();
    }

    int availableChunks()
    {
        return pool.available();
    }

    /**
     * @param slot a slot.
     * @return its current heartbeat or auth deadline, ms on the reactor clock ({@code Long.MAX_VALUE} if none).
     */
    long deadlineMs(final int slot)
    {
        return timers.deadline(slot);
    }

    long connectionId(final int slot)
    {
        return ConnectionId.pack(gatewayId, reactorIndex, slot, table.generation[slot]);
    }

    public int doWork()
    {
        nowMs = nanoClock.nanoTime() / 1_000_000;
        nowEpochMs = epochClock.time();
        writer.nowMs((int)nowMs);
        frames.now(nowMs, nowEpochMs);

        int work = pendingUpstream.retry();
        if (blockedCount > 0)
        {
            work += resumeBlocked();
        }
        keyWork = 0;
        try
        {
            selector.selectNow(keyHandler);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        work += keyWork;
        work += downstreamAdapter.poll(FRAGMENT_LIMIT);
        work += topicAdapter.poll(FRAGMENT_LIMIT);
        work += timers.poll(nowMs, TIMER_LIMIT);
        if (0 != state.drainReason() || 0 != drainReason)
        {
            work += drain();
        }
        if (nowMs >= nextHousekeepingMs)
        {
            nextHousekeepingMs = nowMs + HOUSEKEEPING_INTERVAL_MS;
            work += housekeeping();
        }
        flushCounters();
        return work;
    }

    private void onSelectedKey(final SelectionKey key)
    {
        keyWork++;
        final Object attachment = key.attachment();
        if (null == attachment)
        {
            accept();
            return;
        }
        if (!key.isValid())
        {
            return;
        }
        final int slot = (Integer)attachment;
        final int ready = key.readyOps();
        if (0 != (ready & SelectionKey.OP_WRITE) && ConnectionWriter.CLOSED == writer.flush(slot))
        {
            return;
        }
        if (0 != (ready & SelectionKey.OP_READ) && key.isValid() && !table.isUpstreamBlocked(slot))
        {
            onReadable(slot);
        }
    }

    private void accept()
    {
        for (int i = 0; i < ACCEPT_BATCH && null != listener; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            if (null == channel)
            {
                return;
            }
            final int slot = table.allocate(channel);
            if (slot < 0)
            {
                counters.acceptsRefused.increment();
                CloseHelper.quietClose(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                table.keys[slot] = channel.register(selector, SelectionKey.OP_READ, table.attachments[slot]);
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(channel);
                table.free(slot);
                continue;
            }
            counters.accepts.increment();
            counters.connections.increment();
            timers.schedule(slot, nowMs + ctx.authTimeoutMs());
            checkCapacity();
        }
    }

    private void onReadable(final int slot)
    {
        final SocketChannel channel = table.channels[slot];
        int chunk = table.readChunk[slot];
        final int read;
        try
        {
            if (SingleThreadChunkPool.NONE == chunk)
            {
                readScratch.clear();
                read = channel.read(readScratch);
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
            close(slot, CloseReason.CLIENT_CLOSE, 0);
            return;
        }
        if (read < 0)
        {
            close(slot, CloseReason.CLIENT_CLOSE, 0);
            return;
        }
        if (0 == read)
        {
            return;
        }
        bytesIn += read;

        if (SingleThreadChunkPool.NONE == chunk)
        {
            final int consumed = frames.onBytes(slot, readScratchBuffer, 0, read);
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
                    close(slot, CloseReason.OVERLOADED, ErrorCode.OVERLOADED);
                    return;
                }
                pool.buffer().putBytes(pool.offset(chunk), readScratchBuffer, consumed, read - consumed);
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

    private int resumeBlocked()
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
        if (blockedCount > 0 && nowMs - lastUpstreamProgressMs > ctx.upstreamStallTimeoutMs())
        {
            for (int slot = 0; slot < capacity && blockedCount > 0; slot++)
            {
                if (table.isUpstreamBlocked(slot))
                {
                    close(slot, CloseReason.OVERLOADED, ErrorCode.OVERLOADED);
                    resumed++;
                }
            }
            lastUpstreamProgressMs = nowMs;
        }
        return resumed;
    }

    void onSessionOpened(final int slot, final int version, final int heartbeatSec)
    {
        table.open(slot);
        counters.sessions.increment();
        final int length = FrameEncoder.welcome(
            writer.scratchBuffer(), 0, version, heartbeatSec, connectionId(slot), nowEpochMs);
        if (ConnectionWriter.OK == writer.writeScratch(slot, length))
        {
            timers.schedule(slot, heartbeatDeadlineMs(heartbeatSec));
        }
    }

    void onPing(final int slot, final int heartbeatSec)
    {
        final int length = FrameEncoder.pong(writer.scratchBuffer(), 0, heartbeatSec);
        if (ConnectionWriter.OK == writer.writeScratch(slot, length))
        {
            timers.schedule(slot, heartbeatDeadlineMs(heartbeatSec));
        }
    }

    private long heartbeatDeadlineMs(final int heartbeatSec)
    {
        return nowMs + (long)(heartbeatSec * 1000L * heartbeatFactor) + heartbeatGraceMs;
    }

    private void onDeadline(final int slot)
    {
        if (ConnectionTable.AWAITING_HELLO == table.stateOf(slot))
        {
            close(slot, CloseReason.AUTH_TIMEOUT, ErrorCode.AUTH_TIMEOUT);
        }
        else
        {
            close(slot, CloseReason.HEARTBEAT_TIMEOUT, 0);
        }
    }

    /**
     * Closes a connection: ERROR (if {@code errorCode} is not 0) or BYE / REDIRECT first, best effort; then
     * the socket, the timer and the chunks; tells dispatch if the session was open; counts the reason; frees
     * the slot (its generation moves on). Does nothing for a free slot.
     *
     * @param slot        the connection.
     * @param closeReason a {@link CloseReason}.
     * @param errorCode   an {@link ErrorCode} to send in ERROR, or 0.
     */
    void close(final int slot, final int closeReason, final int errorCode)
    {
        final int slotState = table.stateOf(slot);
        if (ConnectionTable.FREE == slotState)
        {
            return;
        }
        final UnsafeBuffer control = writer.controlBuffer();
        if (0 != errorCode)
        {
            writer.writeControlBestEffort(slot, FrameEncoder.error(control, 0, errorCode, ErrorCode.describe(errorCode)));
        }
        else if ((CloseReason.DRAINING == closeReason || CloseReason.SHUTDOWN == closeReason) && redirectHosts.length > 0)
        {
            writer.writeControlBestEffort(slot, FrameEncoder.redirect(
                control, 0, Protocol.REDIRECT_DRAINING, 0, redirectHosts, redirectPorts, redirectHosts.length));
        }
        else if (CloseReason.CLIENT_CLOSE != closeReason)
        {
            writer.writeControlBestEffort(slot, FrameEncoder.bye(control, 0, closeReason));
        }

        timers.cancel(slot);
        final SelectionKey key = table.keys[slot];
        if (null != key)
        {
            key.cancel();
        }
        if (CloseReason.SLOW_CONSUMER == closeReason)
        {
            discardUnsent(table.channels[slot]);
        }
        CloseHelper.quietClose(table.channels[slot]);
        final int readChunk = table.readChunk[slot];
        if (SingleThreadChunkPool.NONE != readChunk)
        {
            pool.release(readChunk);
        }
        writer.release(slot);
        if (table.isUpstreamBlocked(slot))
        {
            blockedCount--;
        }
        if (ConnectionTable.OPEN == slotState)
        {
            pendingUpstream.sessionClosed(connectionId(slot), closeReason);
            counters.sessions.decrement();
        }
        if (closeReason > 0 && closeReason <= CloseReason.MAX_REASON)
        {
            counters.closes(closeReason).increment();
        }
        counters.connections.decrement();
        table.free(slot);
        checkCapacity();
    }

    /**
     * A slow consumer's socket is reset rather than closed: the kernel would otherwise keep its unsent
     * megabytes (and retry them for minutes) after the gateway has let go of the queue.
     */
    private static void discardUnsent(final SocketChannel channel)
    {
        try
        {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        catch (final IOException | RuntimeException ignore)
        {
            // closing anyway
        }
    }

    public void onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = openSlot(connectionId);
        if (slot < 0)
        {
            counters.downstreamDropped.increment();
            return;
        }
        writer.write(slot, buffer, offset, length);
    }

    public void onClose(final long connectionId, final int closeReason)
    {
        final int slot = liveSlot(connectionId);
        if (slot >= 0)
        {
            close(slot, closeReason, 0);
        }
    }

    public void onTopicBind(final long connectionId, final long topicStreamId)
    {
        if (openSlot(connectionId) >= 0 && Protocol.BROADCAST_STREAM_ID != topicStreamId)
        {
            topics.bind(topicStreamId, connectionId);
        }
    }

    public void onTopicUnbind(final long connectionId, final long topicStreamId)
    {
        topics.unbind(topicStreamId, connectionId);
    }

    public void onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > writer.scratchBuffer().capacity())
        {
            counters.downstreamDropped.increment();
            return;
        }
        writer.scratchBuffer().putBytes(0, buffer, offset, length);
        topicFrameLength = length;
        if (Protocol.BROADCAST_STREAM_ID == topicStreamId)
        {
            final int capacity = table.capacity();
            for (int slot = 0; slot < capacity; slot++)
            {
                if (ConnectionTable.OPEN == table.stateOf(slot))
                {
                    writer.writeScratch(slot, length);
                }
            }
        }
        else
        {
            topics.forEach(topicStreamId, topicVisitor);
        }
    }

    private boolean writeTopicFrame(final long connectionId)
    {
        final int slot = openSlot(connectionId);
        if (slot < 0)
        {
            return false;
        }
        writer.writeScratch(slot, topicFrameLength);
        return true;
    }

    private int liveSlot(final long connectionId)
    {
        final int slot = ConnectionId.slot(connectionId);
        if (ConnectionId.gatewayId(connectionId) != gatewayId || ConnectionId.reactor(connectionId) != reactorIndex ||
            !table.isLive(slot, ConnectionId.generation(connectionId)))
        {
            return -1;
        }
        return slot;
    }

    private int openSlot(final long connectionId)
    {
        final int slot = liveSlot(connectionId);
        return slot >= 0 && ConnectionTable.OPEN == table.stateOf(slot) ? slot : -1;
    }

    private int housekeeping()
    {
        int work = writer.sweepSoftLimits(table.capacity());
        checkCapacity();
        if (0 == reactorIndex)
        {
            int flags = state.isAnyFull() ? LinkMessages.STATUS_FLAG_FULL : 0;
            if (CloseReason.DRAINING == state.drainReason())
            {
                flags |= LinkMessages.STATUS_FLAG_DRAINING;
            }
            dispatch.gatewayStatus(gatewayId, instanceId, nowEpochMs, reactorCount, (int)counters.sessions.get(), flags,
                ctx.versionLabel());
            work++;
        }
        return work;
    }

    private int drain()
    {
        if (0 == drainReason)
        {
            drainReason = state.drainReason();
            lastDrainMs = nowMs;
            drainAllowance = 1;
            closeListener();
        }
        if (Integer.MAX_VALUE == state.drainRatePerSec())
        {
            final int before = table.openCount();
            closeAll(drainReason);
            return before;
        }
        final double ratePerReactor = Math.max(1.0, (double)state.drainRatePerSec() / reactorCount);
        drainAllowance = Math.min(Math.max(1.0, ratePerReactor), drainAllowance + ratePerReactor * (nowMs - lastDrainMs) / 1000.0);
        lastDrainMs = nowMs;
        int closed = 0;
        final int capacity = table.capacity();
        while (drainAllowance >= 1.0 && table.openCount() > 0)
        {
            for (int i = 0; i < capacity; i++)
            {
                final int slot = drainCursor;
                drainCursor = drainCursor + 1 == capacity ? 0 : drainCursor + 1;
                if (ConnectionTable.FREE != table.stateOf(slot))
                {
                    close(slot, drainReason, 0);
                    break;
                }
            }
            drainAllowance -= 1.0;
            closed++;
        }
        return closed;
    }

    /**
     * Closes every remaining connection at once (end of a stop), telling dispatch of each.
     */
    void closeAll(final int closeReason)
    {
        for (int slot = 0; slot < table.capacity(); slot++)
        {
            close(slot, closeReason, 0);
        }
        pendingUpstream.retry();
    }

    private void checkCapacity()
    {
        final int open = table.openCount();
        if (null != listener && open >= highWater)
        {
            closeListener();
            counters.listenerCloses.increment();
            state.full(reactorIndex, true);
        }
        else if (null == listener && 0 == drainReason && 0 == state.drainReason() && open <= lowWater)
        {
            try
            {
                openListener();
                state.full(reactorIndex, false);
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(listener);
                listener = null;
            }
        }
    }

    private void openListener() throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        listener = channel;
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
        channel.bind(bindAddress, 4096);
        if (0 == bindAddress.getPort())
        {
            bindAddress = new InetSocketAddress(bindAddress.getAddress(), channel.socket().getLocalPort());
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT, null);
    }

    private void closeListener()
    {
        if (null != listener)
        {
            final SelectionKey key = listener.keyFor(selector);
            if (null != key)
            {
                key.cancel();
            }
            CloseHelper.quietClose(listener);
            listener = null;
        }
    }

    private void flushCounters()
    {
        if (0 != bytesIn)
        {
            counters.bytesIn.getAndAdd(bytesIn);
            bytesIn = 0;
        }
        frames.flushCounters();
        writer.flushCounters();
    }

    public void onClose()
    {
        closeListener();
        for (int slot = 0; slot < table.capacity(); slot++)
        {
            if (ConnectionTable.FREE != table.stateOf(slot))
            {
                CloseHelper.quietClose(table.channels[slot]);
            }
        }
        CloseHelper.quietClose(selector);
    }
}
