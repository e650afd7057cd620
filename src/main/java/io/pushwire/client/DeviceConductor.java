package io.pushwire.client;

import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.ErrorDecoder;
import io.pushwire.protocol.FrameDecoders;
import io.pushwire.protocol.FrameHandler;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.GapDecoder;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.RedirectDecoder;
import io.pushwire.protocol.StreamingFrameDecoder;
import io.pushwire.protocol.SubAckDecoder;
import io.pushwire.protocol.UpAckDecoder;
import io.pushwire.protocol.WelcomeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The I/O thread of a {@link DeviceClient}: the connect cycle (select, connect, HELLO, session, back off) and, inside
 * a session, a blocking read loop whose read timeout is the nearest deadline (next PING, PONG due, WELCOME due, PULL
 * retry, cursor flush). Frames are cut by a {@link StreamingFrameDecoder} that validates bodies; delivery decisions
 * are the {@link StreamTracker}'s; frames out go through the {@link FrameWriter}.
 * <p>
 * Application threads touch only the request map, the writer and volatile fields; everything else belongs to the I/O
 * thread.
 */
final class DeviceConductor implements Runnable, FrameHandler
{
    private static final System.Logger LOG = System.getLogger(DeviceConductor.class.getName());
    private static final long MAX_WAIT_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * What ends a session and what to do next.
     */
    private enum Outcome
    {
        /** Connection lost or refused: back off and reconnect. */
        BACKOFF,
        /** Reconnect after the largest backoff (KICKED, auth refused). */
        BACKOFF_MAX,
        /** REDIRECT: wait its delay, then try its targets. */
        REDIRECT,
        /** Network changed: reconnect at once. */
        NOW,
        /** Closed, or REPLACED: stop. */
        STOP
    }

    private record Pending(String topic, boolean fromStart, boolean subscribe, CompletableFuture<?> future)
    {
    }

    private final DeviceClient.Context ctx;
    private final DeviceListener listener;
    private final NanoClock clock;
    private final ClientStats stats = new ClientStats();
    private final CursorStore cursors;
    private final HeartbeatPolicy heartbeat;
    private final ReconnectBackoff backoff;
    private final ServerSelector selector;
    private final FrameWriter writer;
    private final StreamTracker tracker;
    private final StreamingFrameDecoder decoder;
    private final FrameDecoders decoders;
    private final UnsafeBuffer readBuffer;
    private final long[] helloStreamIds = new long[Protocol.MAX_CURSORS];
    private final long[] helloSeqs = new long[Protocol.MAX_CURSORS];
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Object wakeLock = new Object();

    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile boolean closing;
    private volatile String pendingNetworkId;
    private volatile Socket socket;
    private volatile InetSocketAddress currentServer;
    private volatile int heartbeatIntervalSec;
    private volatile long serverClockOffsetMs;

    private String networkId;
    private Outcome outcome;
    private long outcomeDelayMs;
    private final List<InetSocketAddress> redirectTargets = new ArrayList<>();
    private boolean authRefused;
    private int proposedSec;
    private int announcedSec;
    private boolean awaitingPong;
    private long pingSentNs;
    private long nextPingNs;
    private long pongDeadlineNs;
    private long welcomeDeadlineNs;
    private long lastReadNs;

    DeviceConductor(final DeviceClient.Context ctx)
    {
        this.ctx = ctx;
        this.listener = ctx.listener();
        this.clock = ctx.nanoClock();
        this.cursors = new CursorStore(ctx.cursorFile(), TimeUnit.MILLISECONDS.toNanos(ctx.cursorFlushIntervalMs()));
        this.heartbeat = new HeartbeatPolicy(
            ctx.heartbeatInitialSec(), ctx.heartbeatMinSec(), ctx.heartbeatMaxSec(), ctx.heartbeatStepSec(),
            ctx.heartbeatSuccessesToStepUp(), TimeUnit.MILLISECONDS.toNanos(ctx.heartbeatCeilingHoldMs()));
        this.networkId = ctx.networkId();
        startNetwork(networkId);
        this.backoff = new ReconnectBackoff(
            ctx.reconnectMinMs(), ctx.reconnectMaxMs(), ctx.reconnectJitter(), ctx.random());
        this.selector = new ServerSelector(
            ctx.serverName(), ctx.serverPort(), ctx.fallbackAddresses(), ctx.probePort(), ctx.dnsTimeoutMs(),
            ctx.probeTimeoutMs(), clock, ctx.random());
        this.writer = new FrameWriter(Protocol.DEFAULT_MAX_BODY_LENGTH);
        this.tracker = new StreamTracker(cursors, listener, new StreamTracker.Output()
        {
            public void pull(final long streamId, final long fromSeq, final long toSeq)
            {
                writer.pull(streamId, fromSeq, toSeq);
            }

            public void ack(final long streamId, final long seq)
            {
                writer.ack(streamId, seq);
            }
        }, stats, ctx.pullWindow(), ctx.maxHeldMessages(), TimeUnit.MILLISECONDS.toNanos(ctx.pullRetryMs()));
        this.decoder = new StreamingFrameDecoder(ctx.maxBodyLength(), true);
        this.decoders = decoder.decoders();
        this.readBuffer = new UnsafeBuffer(new byte[16 * 1024]);
    }

    ConnectionState state()
    {
        return state;
    }

    ClientStats stats()
    {
        return stats;
    }

    int heartbeatIntervalSec()
    {
        return heartbeatIntervalSec;
    }

    InetSocketAddress currentServer()
    {
        return currentServer;
    }

    long cursor(final long streamId)
    {
        return cursors.cursor(streamId);
    }

    long serverClockOffsetMs()
    {
        return serverClockOffsetMs;
    }

    CompletableFuture<Subscription> subscribe(final String topic, final boolean fromStart, final boolean subscribe)
    {
        final CompletableFuture<Subscription> future = new CompletableFuture<>();
        final long requestId = nextRequestId.getAndIncrement();
        if (ConnectionState.CONNECTED != state)
        {
            future.completeExceptionally(new RequestFailedException(RequestFailedException.NOT_CONNECTED));
            return future;
        }
        pending.put(requestId, new Pending(topic, fromStart, subscribe, future));
        final boolean sent = subscribe ? writer.sub(requestId, topic) : writer.unsub(requestId, topic);
        if (!sent && null != pending.remove(requestId))
        {
            future.completeExceptionally(new RequestFailedException(RequestFailedException.NOT_CONNECTED));
        }
        return future;
    }

    CompletableFuture<Void> up(final int appId, final DirectBuffer payload, final int offset, final int length)
    {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        final long requestId = nextRequestId.getAndIncrement();
        if (ConnectionState.CONNECTED != state)
        {
            future.completeExceptionally(new RequestFailedException(RequestFailedException.NOT_CONNECTED));
            return future;
        }
        pending.put(requestId, new Pending(null, false, false, future));
        if (!writer.up(requestId, appId, payload, offset, length) && null != pending.remove(requestId))
        {
            future.completeExceptionally(new RequestFailedException(RequestFailedException.NOT_CONNECTED));
        }
        return future;
    }

    void networkChanged(final String networkId)
    {
        pendingNetworkId = networkId;
        closeSocket();
        synchronized (wakeLock)
        {
            wakeLock.notifyAll();
        }
    }

    void close()
    {
        if (closing)
        {
            return;
        }
        closing = true;
        writer.bye(CloseReason.CLIENT_CLOSE);
        closeSocket();
        synchronized (wakeLock)
        {
            wakeLock.notifyAll();
        }
    }

    public void run()
    {
        try
        {
            while (!closing)
            {
                outcome = Outcome.BACKOFF;
                outcomeDelayMs = 0;
                if (!connectAndRun(redirectTargets.isEmpty() ? null : List.copyOf(redirectTargets)))
                {
                    redirectTargets.clear();
                }
                if (closing || Outcome.STOP == outcome)
                {
                    break;
                }
                final long delayMs = switch (outcome)
                {
                    case BACKOFF -> backoff.nextDelayMs();
                    case BACKOFF_MAX -> backoff.maxDelayMs();
                    case REDIRECT -> outcomeDelayMs + (long)(ctx.random().nextDouble() * ctx.reconnectMinMs());
                    case NOW, STOP -> 0;
                };
                if (delayMs > 0)
                {
                    setState(ConnectionState.BACKING_OFF);
                    sleep(delayMs);
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            LOG.log(System.Logger.Level.ERROR, "device client I/O thread failed", ex);
        }
        finally
        {
            closeSocket();
            writer.detach();
            failPending();
            cursors.learnedHeartbeatSec(networkId, heartbeat.learnedSec());
            cursors.flush();
            setState(ConnectionState.CLOSED);
        }
    }

    /**
     * One attempt: choose addresses, connect to the first that accepts, run the session.
     *
     * @param targets REDIRECT targets to try first, or null.
     * @return true if a session ran (so REDIRECT targets were used), false if nothing accepted.
     */
    private boolean connectAndRun(final List<InetSocketAddress> targets)
    {
        applyNetworkChange();
        List<InetSocketAddress> order = null;
        long rttNs = -1;
        if (null != targets)
        {
            order = new ArrayList<>(targets.size());
            for (final InetSocketAddress target : targets)
            {
                order.add(target.isUnresolved() ? new InetSocketAddress(target.getHostString(), target.getPort()) : target);
            }
            redirectTargets.clear();
        }
        else
        {
            setState(ConnectionState.SELECTING);
            final ServerSelector.Selection selection = selector.select();
            order = selection.order();
            if (null != selection.winner())
            {
                rttNs = selection.rttNs();
                notifySelected(selection.winner(), rttNs);
                LOG.log(System.Logger.Level.INFO, "probe race won by " + selection.winner() + " in " +
                    TimeUnit.NANOSECONDS.toMicros(rttNs) + " us");
            }
        }

        for (int i = 0; i < order.size() && !closing; i++)
        {
            final InetSocketAddress address = order.get(i);
            if (address.isUnresolved())
            {
                continue;
            }
            setState(ConnectionState.CONNECTING);
            final Socket s = new Socket();
            socket = s;
            try
            {
                s.connect(address, (int)Math.min(Integer.MAX_VALUE, ctx.connectTimeoutMs()));
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.INFO, "connect to " + address + " failed: " + ex);
                closeQuietly(s);
                continue;
            }
            if (i > 0 || rttNs < 0)
            {
                notifySelected(address, i == 0 ? rttNs : -1);
            }
            runSession(s, address);
            return true;
        }
        if (null != targets && !closing)
        {
            // No REDIRECT target accepted: go straight on to normal selection.
            return connectAndRun(null);
        }
        return false;
    }

    private void runSession(final Socket s, final InetSocketAddress address)
    {
        currentServer = address;
        decoder.reset();
        tracker.reset();
        heartbeat.onConnectionStart();
        awaitingPong = false;
        authRefused = false;
        boolean wasConnected = false;
        try
        {
            s.setTcpNoDelay(true);
            s.setKeepAlive(false);
            final InputStream in = s.getInputStream();
            writer.attach(s.getOutputStream());

            setState(ConnectionState.AUTHENTICATING);
            proposedSec = heartbeat.intervalSec();
            heartbeatIntervalSec = proposedSec;
            final int cursorCount = cursors.helloCursors(helloStreamIds, helloSeqs);
            final byte[] token = ctx.token();
            if (!writer.hello(ctx.deviceId(), token, proposedSec, helloStreamIds, helloSeqs, cursorCount))
            {
                throw new IOException("HELLO not written");
            }
            final long startNs = clock.nanoTime();
            welcomeDeadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(ctx.welcomeTimeoutMs());
            lastReadNs = startNs;
            outcome = null;

            while (!closing && null == outcome)
            {
                final long nowNs = clock.nanoTime();
                s.setSoTimeout((int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDeadlineNs(nowNs) - nowNs)));
                int read;
                try
                {
                    read = in.read(readBuffer.byteArray(), 0, readBuffer.capacity());
                }
                catch (final SocketTimeoutException ex)
                {
                    read = 0;
                }
                if (read < 0)
                {
                    throw new IOException("closed by the server");
                }
                if (read > 0)
                {
                    lastReadNs = clock.nanoTime();
                    final int result = decoder.onBytes(readBuffer, 0, read, this);
                    if (result < 0)
                    {
                        throw new IOException("bad input from the server: " + ErrorCode.describe(result));
                    }
                    wasConnected |= ConnectionState.CONNECTED == state;
                }
                if (null == outcome)
                {
                    onTimers(clock.nanoTime());
                }
                tracker.flushAcks();
                cursors.flushIfDue(clock.nanoTime());
            }
        }
        catch (final IOException ex)
        {
            if (null != pendingNetworkId)
            {
                outcome = Outcome.NOW;
            }
            else if (!closing && null == outcome)
            {
                outcome = authRefused ? Outcome.BACKOFF_MAX : Outcome.BACKOFF;
                if (ConnectionState.CONNECTED == state && !awaitingPong && diedWhileIdle())
                {
                    onHeartbeatFailure("connection lost while idle for " +
                        TimeUnit.NANOSECONDS.toSeconds(clock.nanoTime() - lastReadNs) + " s");
                }
                LOG.log(System.Logger.Level.INFO, "connection to " + address + " lost: " + ex.getMessage());
            }
        }
        finally
        {
            writer.detach();
            closeQuietly(s);
            socket = null;
            failPending();
            tracker.reset();
            cursors.learnedHeartbeatSec(networkId, heartbeat.learnedSec());
            cursors.flushIfDue(clock.nanoTime());
        }
        if (null == outcome)
        {
            outcome = closing ? Outcome.STOP : Outcome.BACKOFF;
        }
        if (wasConnected && Outcome.STOP != outcome && !closing)
        {
            setState(ConnectionState.DISCONNECTED);
        }
    }

    public void onFrame(
        final int type, final int flags, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        final long nowNs = clock.nanoTime();
        if (ConnectionState.AUTHENTICATING == state && FrameType.WELCOME != type && FrameType.ERROR != type &&
            FrameType.BYE != type)
        {
            LOG.log(System.Logger.Level.WARNING, "ignored " + FrameType.name(type) + " before WELCOME");
            return;
        }
        switch (type)
        {
            case FrameType.WELCOME -> onWelcome(decoders.welcome(), nowNs);
            case FrameType.PONG -> onPong(decoders.ping().intervalSec(), nowNs);
            case FrameType.MSG ->
            {
                final MsgDecoder msg = decoders.msg();
                tracker.onMsg(msg.streamId(), msg.seq(), msg.messageId(), msg.appId(), buffer, msg.payloadOffset(),
                    msg.payloadLength(), nowNs);
            }
            case FrameType.NOTIFY ->
                tracker.onNotify(decoders.notifyDecoder().streamId(), decoders.notifyDecoder().newestSeq(), nowNs);
            case FrameType.GAP ->
            {
                final GapDecoder gap = decoders.gap();
                tracker.onGap(gap.streamId(), gap.fromSeq(), gap.toSeq(), gap.reason(), nowNs);
            }
            case FrameType.SUB_ACK -> onSubAck(decoders.subAck(), nowNs);
            case FrameType.UP_ACK -> onUpAck(decoders.upAck());
            case FrameType.REDIRECT -> onRedirect(decoders.redirect());
            case FrameType.ERROR -> onError(decoders.error());
            case FrameType.BYE -> onBye(decoders.bye().reason());
            default -> LOG.log(System.Logger.Level.WARNING, "ignored unexpected " + FrameType.name(type));
        }
    }

    private void onWelcome(final WelcomeDecoder welcome, final long nowNs)
    {
        if (ConnectionState.AUTHENTICATING != state)
        {
            return;
        }
        heartbeat.onServerInterval(proposedSec, welcome.heartbeatSec());
        final int waitSec = Math.max(1, Math.min(proposedSec, welcome.heartbeatSec()));
        heartbeatIntervalSec = heartbeat.intervalSec();
        nextPingNs = nowNs + TimeUnit.SECONDS.toNanos(waitSec);
        serverClockOffsetMs = welcome.serverTimeMs() - ctx.epochClock().time();
        backoff.reset();
        if (stats.connects.incrementAndGet() > 1)
        {
            stats.reconnects.incrementAndGet();
        }
        setState(ConnectionState.CONNECTED);
        final SessionInfo session = new SessionInfo(
            currentServer, welcome.version(), welcome.heartbeatSec(), welcome.sessionId(), welcome.serverTimeMs());
        LOG.log(System.Logger.Level.INFO, "connected: " + session);
        try
        {
            listener.onConnected(session);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onConnected threw", ex);
        }
    }

    private void onPong(final int grantedSec, final long nowNs)
    {
        if (!awaitingPong)
        {
            return;
        }
        awaitingPong = false;
        heartbeat.onServerInterval(announcedSec, grantedSec);
        heartbeat.onSuccess(nowNs);
        heartbeatIntervalSec = heartbeat.intervalSec();
        final int waitSec = Math.max(1, grantedSec > 0 ? Math.min(announcedSec, grantedSec) : announcedSec);
        nextPingNs = pingSentNs + TimeUnit.SECONDS.toNanos(waitSec);
        cursors.learnedHeartbeatSec(networkId, heartbeat.learnedSec());
    }

    private void onSubAck(final SubAckDecoder subAck, final long nowNs)
    {
        final Pending p = pending.remove(subAck.requestId());
        if (null == p || null == p.topic())
        {
            return;
        }
        @SuppressWarnings("unchecked")
        final CompletableFuture<Subscription> future = (CompletableFuture<Subscription>)p.future();
        if (0 != subAck.status())
        {
            future.completeExceptionally(new RequestFailedException(subAck.status()));
            return;
        }
        final long streamId = subAck.streamId();
        if (p.subscribe())
        {
            tracker.onSubscribed(streamId, subAck.headSeq(), p.fromStart(), nowNs);
        }
        else if (streamId > Protocol.BROADCAST_STREAM_ID)
        {
            tracker.onUnsubscribed(streamId);
        }
        future.complete(new Subscription(p.topic(), streamId, subAck.headSeq()));
    }

    private void onUpAck(final UpAckDecoder upAck)
    {
        final Pending p = pending.remove(upAck.requestId());
        if (null == p || null != p.topic())
        {
            return;
        }
        @SuppressWarnings("unchecked")
        final CompletableFuture<Void> future = (CompletableFuture<Void>)p.future();
        if (0 == upAck.status())
        {
            future.complete(null);
        }
        else
        {
            future.completeExceptionally(new RequestFailedException(upAck.status()));
        }
    }

    private void onRedirect(final RedirectDecoder redirect)
    {
        stats.redirects.incrementAndGet();
        redirectTargets.clear();
        for (int i = 0; i < redirect.count(); i++)
        {
            redirectTargets.add(InetSocketAddress.createUnresolved(redirect.hostAsString(i), redirect.port(i)));
        }
        LOG.log(System.Logger.Level.INFO, "redirected (reason " + redirect.reason() + ") to " + redirectTargets +
            " after " + redirect.delayMs() + " ms");
        outcomeDelayMs = redirect.delayMs();
        outcome = Outcome.REDIRECT;
    }

    private void onError(final ErrorDecoder error)
    {
        final int code = error.code();
        if (code >= ErrorCode.TOKEN_MALFORMED && code <= ErrorCode.TOKEN_WRONG_DEVICE)
        {
            authRefused = true;
        }
        final String reason = error.reasonAsString();
        LOG.log(System.Logger.Level.WARNING, "server error " + ErrorCode.describe(code) + ": " + reason);
        try
        {
            listener.onError(code, reason);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onError threw", ex);
        }
    }

    private void onBye(final int reason)
    {
        LOG.log(System.Logger.Level.INFO, "server said BYE: " + CloseReason.describe(reason));
        try
        {
            listener.onBye(reason);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onBye threw", ex);
        }
        outcome = switch (reason)
        {
            case CloseReason.REPLACED -> Outcome.STOP;
            case CloseReason.KICKED -> Outcome.BACKOFF_MAX;
            default -> Outcome.BACKOFF;
        };
    }

    private void onTimers(final long nowNs)
    {
        if (ConnectionState.AUTHENTICATING == state)
        {
            if (nowNs - welcomeDeadlineNs >= 0)
            {
                LOG.log(System.Logger.Level.INFO, "no WELCOME within " + ctx.welcomeTimeoutMs() + " ms");
                outcome = Outcome.BACKOFF;
            }
            return;
        }
        if (ConnectionState.CONNECTED != state)
        {
            return;
        }
        if (awaitingPong && nowNs - pongDeadlineNs >= 0)
        {
            onHeartbeatFailure("no PONG within " + ctx.pongTimeoutMs() + " ms of a " + announcedSec + " s PING");
            outcome = Outcome.BACKOFF;
            return;
        }
        if (!awaitingPong && nowNs - nextPingNs >= 0)
        {
            announcedSec = heartbeat.intervalSec();
            if (writer.ping(announcedSec))
            {
                stats.heartbeatsSent.incrementAndGet();
            }
            awaitingPong = true;
            pingSentNs = nowNs;
            pongDeadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(ctx.pongTimeoutMs());
        }
        tracker.doWork(nowNs);
    }

    private long nextDeadlineNs(final long nowNs)
    {
        long deadlineNs = nowNs + MAX_WAIT_NS;
        if (ConnectionState.AUTHENTICATING == state)
        {
            deadlineNs = Math.min(deadlineNs, welcomeDeadlineNs);
        }
        else if (ConnectionState.CONNECTED == state)
        {
            deadlineNs = Math.min(deadlineNs, awaitingPong ? pongDeadlineNs : nextPingNs);
        }
        return deadlineNs;
    }

    private boolean diedWhileIdle()
    {
        final int lastGoodSec = heartbeat.lastGoodSec();
        return heartbeat.intervalSec() > lastGoodSec &&
            clock.nanoTime() - lastReadNs >= TimeUnit.SECONDS.toNanos(Math.max(1, lastGoodSec));
    }

    private void onHeartbeatFailure(final String why)
    {
        heartbeat.onFailure(clock.nanoTime());
        stats.heartbeatFailures.incrementAndGet();
        heartbeatIntervalSec = heartbeat.intervalSec();
        cursors.learnedHeartbeatSec(networkId, heartbeat.learnedSec());
        LOG.log(System.Logger.Level.INFO, "heartbeat failure (" + why + "): now " + heartbeat);
    }

    private void applyNetworkChange()
    {
        final String next = pendingNetworkId;
        if (null != next)
        {
            pendingNetworkId = null;
            cursors.learnedHeartbeatSec(networkId, heartbeat.learnedSec());
            networkId = next;
            startNetwork(next);
        }
    }

    private void startNetwork(final String network)
    {
        final int learnedSec = cursors.learnedHeartbeatSec(network);
        heartbeat.reset(learnedSec > 0 ? learnedSec : ctx.heartbeatInitialSec());
        heartbeatIntervalSec = heartbeat.intervalSec();
    }

    private void notifySelected(final InetSocketAddress server, final long rttNs)
    {
        try
        {
            listener.onServerSelected(server, rttNs);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onServerSelected threw", ex);
        }
    }

    private void setState(final ConnectionState newState)
    {
        final ConnectionState oldState = state;
        if (oldState == newState || ConnectionState.CLOSED == oldState)
        {
            return;
        }
        state = newState;
        try
        {
            listener.onStateChange(oldState, newState);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onStateChange threw", ex);
        }
    }

    private void failPending()
    {
        for (final Long requestId : List.copyOf(pending.keySet()))
        {
            final Pending p = pending.remove(requestId);
            if (null != p)
            {
                p.future().completeExceptionally(new RequestFailedException(RequestFailedException.NOT_CONNECTED));
            }
        }
    }

    private void sleep(final long delayMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        synchronized (wakeLock)
        {
            long remainingNs;
            while (!closing && null == pendingNetworkId && (remainingNs = deadlineNs - System.nanoTime()) > 0)
            {
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(wakeLock, remainingNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void closeSocket()
    {
        final Socket s = socket;
        if (null != s)
        {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(final Socket s)
    {
        try
        {
            s.close();
        }
        catch (final IOException ignore)
        {
            // Closing is best effort; the socket is abandoned either way.
        }
    }
}
