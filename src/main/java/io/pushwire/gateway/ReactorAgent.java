package io.pushwire.gateway;

import io.aeron.Subscription;
import io.pushwire.buffer.SingleThreadChunkPool;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.DispatchProxy;
import io.pushwire.link.DownstreamAdapter;
import io.pushwire.link.LinkMessages;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.protocol.TokenVerifier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One reactor of a gateway: its own selector, its own {@code SO_REUSEPORT} listener on the device port,
 * its own connection table, chunk pool, timer wheel, topic index and link streams. An Agrona {@link Agent}:
 * all of it is touched only by the thread that calls {@link #doWork()}.
 * <p>
 * Roles: {@link ConnectionAcceptor} (listener, accept, capacity), {@link ConnectionReader} (reads, in-place
 * decode through {@link DeviceFrameAdapter}, upstream back pressure), {@link ConnectionWriter} (writes, queues,
 * slow consumers), {@link DownstreamHandler} (DELIVER, CLOSE, topics), {@link ConnectionTimers} (deadlines).
 * This class runs the duty cycle and owns what spans them: session open, PING, closes and drains.
 * <p>
 * Duty cycle: read the clocks once; retry upstream events the link refused; resume connections that were
 * waiting for the link; {@code selectNow} and handle ready keys (accept, flush queued writes, read into the
 * scratch buffer and decode in place); re-evaluate the pool's back pressure; poll the downstream stream;
 * finish a fan-out that back pressure stopped, else poll the topic stream; fire due deadlines; once a second
 * sweep soft limits, shed the largest queues if paused for the pool too long, check capacity and (reactor 0)
 * send GATEWAY_STATUS; move connections off if a drain is on. Never blocks: the idle strategy sleeps when a
 * cycle found no work.
 * <p>
 * Back pressure is re-evaluated every cycle from the pool's free count ({@link PoolBackPressure#update()}),
 * never only on a path that a pause itself stops (a poll, a delivery, a flush): chunks returned by a flush of
 * {@code OP_WRITE} or by a close are seen by the next cycle, and the downstream stream is polled every cycle
 * (a paused reactor takes the CLOSE and TOPIC_BIND/UNBIND messages before the first refused DELIVER).
 */
final class ReactorAgent implements Agent
{
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
    private final PoolBackPressure backPressure;
    private final ConnectionWriter writer;
    private final ConnectionTimers timers;
    private final DeviceFrameAdapter frames;
    private final ConnectionReader reader;
    private final PendingUpstream pendingUpstream;
    private final DownstreamHandler downstreamHandler;
    private final Selector selector;
    private final ConnectionAcceptor acceptor;
    private final Consumer<SelectionKey> keyHandler = this::onSelectedKey;
    private final long heartbeatGraceMs;
    private final double heartbeatFactor;
    private final String[] redirectHosts;
    private final int[] redirectPorts;

    private long nowMs;
    private long nowEpochMs;
    private long nextHousekeepingMs;
    private int keyWork;
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
        this.nanoClock = ctx.nanoClock();
        this.epochClock = ctx.epochClock();
        this.nowMs = nanoClock.nanoTime() / 1_000_000;
        this.nowEpochMs = epochClock.time();
        this.table = new ConnectionTable(ctx.slotsPerReactor());
        this.pool = new SingleThreadChunkPool(ctx.chunkLength(), ctx.chunksPerReactor());
        this.backPressure = new PoolBackPressure(pool, counters, ctx);
        this.writer = new ConnectionWriter(table, pool, counters, this::close, ctx, Math.max(64 * 1024, ctx.chunkLength()));
        this.timers = new ConnectionTimers(table, ctx.timerTickMs(), nowMs, this::onDeadline);
        this.frames = new DeviceFrameAdapter(
            this, table, dispatch, counters, new TokenVerifier(TokenKeys.parse(ctx.authKeys())), ctx);
        this.reader = new ConnectionReader(table, pool, frames, counters, this::close, ctx);
        this.pendingUpstream = new PendingUpstream(dispatch, counters, table.capacity());
        this.downstreamHandler =
            new DownstreamHandler(gatewayId, reactorIndex, table, writer, counters, this::close, backPressure);
        this.downstreamAdapter = new DownstreamAdapter(downstream, downstreamHandler);
        this.topicAdapter = new DownstreamAdapter(topicStream, downstreamHandler);
        this.heartbeatGraceMs = ctx.heartbeatGraceMs();
        this.heartbeatFactor = ctx.heartbeatFactor();
        this.redirectHosts = ctx.redirectHosts();
        this.redirectPorts = ctx.redirectPorts();
        this.nextHousekeepingMs = nowMs + HOUSEKEEPING_INTERVAL_MS;
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reactor " + reactorIndex + " cannot open a selector", ex);
        }
        try
        {
            this.acceptor = new ConnectionAcceptor(reactorIndex, table, timers, counters, state, selector, ctx, port);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(selector);
            throw ex;
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
        return acceptor.listenerPort();
    }

    boolean isListening()
    {
        return acceptor.isListening();
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
     * @return true while the reactor takes no deliveries or fan-outs because its chunk pool is low.
     */
    boolean isPausedForPool()
    {
        return backPressure.isPaused();
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
        final long nowNs = nanoClock.nanoTime();
        nowMs = nowNs / 1_000_000;
        nowEpochMs = epochClock.time();
        writer.nowMs((int)nowMs);
        reader.nowMs(nowMs);
        backPressure.nowMs(nowMs);
        frames.now(nowNs, nowEpochMs);

        int work = pendingUpstream.retry();
        if (reader.blockedCount() > 0)
        {
            work += reader.resumeBlocked();
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
        backPressure.update();
        work += downstreamAdapter.poll(FRAGMENT_LIMIT);
        if (downstreamHandler.isFanOutPending())
        {
            work += downstreamHandler.continueFanOut();
        }
        if (!downstreamHandler.isFanOutPending())
        {
            work += topicAdapter.poll(FRAGMENT_LIMIT);
        }
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
        reader.flushCounters();
        writer.flushCounters();
        return work;
    }

    private void onSelectedKey(final SelectionKey key)
    {
        keyWork++;
        final Object attachment = key.attachment();
        if (null == attachment)
        {
            acceptor.accept(nowMs);
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
            reader.onReadable(slot);
        }
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
        reader.release(slot);
        writer.release(slot);
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
        acceptor.checkCapacity();
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

    private int housekeeping()
    {
        int work = writer.sweepSoftLimits(table.capacity());
        if (backPressure.isStalled())
        {
            work += writer.shedLargestQueues(backPressure.resumeAtChunks());
            backPressure.update();
        }
        acceptor.checkCapacity();
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
            acceptor.closeForGood();
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

    public void onClose()
    {
        backPressure.close();
        acceptor.closeForGood();
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
