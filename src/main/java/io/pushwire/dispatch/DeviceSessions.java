package io.pushwire.dispatch;

import io.pushwire.link.ConnectionId;
import io.pushwire.link.UpstreamListener;
import io.pushwire.protocol.AckDecoder;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.HelloDecoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.PullDecoder;
import io.pushwire.protocol.SubDecoder;
import io.pushwire.protocol.UpDecoder;
import io.pushwire.store.Store;
import io.pushwire.store.StoreRecords;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochClock;

/**
 * Handles what gateways report about devices: sessions opening and closing (the routing table, with
 * reconnect races), and device frames for dispatch (ACK, PULL, SUB, UNSUB, UP); tracks gateway
 * liveness and drops every route of a gateway that restarted or went silent.
 * <p>
 * Routing rules: a newer session (later {@code openedAtMs}; on a tie, the later one to arrive) replaces
 * an older one, whose connection is closed as {@link CloseReason#REPLACED}; an older session arriving
 * after a newer one is itself closed as REPLACED; a SESSION_CLOSED of a connection that is not the
 * device's current route is ignored (counted), so a stale close never removes a newer route. A connection id
 * that a SESSION_OPENED gives to another device ends the route that had it (the gateway restarted).
 * <p>
 * Routes are recorded in the store (ROUTE_OPENED / ROUTE_CLOSED) and replayed at start as <b>pending</b>: nothing
 * is sent to them and their frames are ignored until their gateway's first GATEWAY_STATUS, which confirms those
 * recorded under its current instance id and drops the rest; a gateway silent for the gateway timeout after
 * start loses its pending routes. A confirmed route starts like a session without cursors, so what the device
 * has not acked reaches it without a reconnect.
 * <p>
 * Not thread-safe: the dispatch agent calls it from its duty cycle.
 */
final class DeviceSessions implements UpstreamListener
{
    private final DispatchContext ctx;
    private final DispatchState state;
    private final Store store;
    private final Outbox outbox;
    private final Deliverer deliverer;
    private final DispatchCounters counters;
    private final EpochClock clock;
    private final HelloDecoder hello = new HelloDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final PullDecoder pull = new PullDecoder();
    private final SubDecoder sub = new SubDecoder();
    private final UpDecoder up = new UpDecoder();
    private final Deliverer.CursorLookup helloCursors = this::helloCursor;
    private final long[] gatewayInstance = new long[ConnectionId.MAX_GATEWAYS];
    private final long[] gatewaySeenMs = new long[ConnectionId.MAX_GATEWAYS];
    private final boolean[] awaitingStatus = new boolean[ConnectionId.MAX_GATEWAYS];
    private final LongArrayList scratchConnections = new LongArrayList();
    private long recoveredAtMs = -1;

    DeviceSessions(final DispatchContext ctx, final DispatchState state, final Store store, final Outbox outbox,
        final Deliverer deliverer, final DispatchCounters counters)
    {
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.outbox = outbox;
        this.deliverer = deliverer;
        this.counters = counters;
        this.clock = ctx.epochClock();
        onRecovered();
    }

    public void onSessionOpened(final long connectionId, final long openedAtMs, final int heartbeatSec,
        final DirectBuffer buffer, final int offset, final int length)
    {
        if (hello.wrap(buffer, offset, length) != 0)
        {
            counters.malformedFrames.incrementOrdered();
            outbox.close(connectionId, CloseReason.PROTOCOL_ERROR);
            return;
        }
        int device = state.devices.lookup(buffer, hello.deviceIdOffset(), hello.deviceIdLength());
        if (device < 0)
        {
            device = state.applyDevice(state.devices.size(), buffer, hello.deviceIdOffset(), hello.deviceIdLength());
            store.appendDevice(device, buffer, hello.deviceIdOffset(), hello.deviceIdLength());
        }

        final long owner = state.connectionToDevice.get(connectionId);
        if (owner >= 0 && owner != device)
        {
            // A gateway reuses a connection id only after it restarted: the route that had it is gone.
            final boolean pending = state.isPending((int)owner);
            dropRoute((int)owner, StoreRecords.ROUTE_DROPPED);
            (pending ? counters.routesDroppedAfterRestart : counters.gatewayRoutesDropped).incrementOrdered();
        }
        final long existing = state.routeOf(device);
        if (DispatchState.NO_CONNECTION != existing && existing != connectionId)
        {
            if (openedAtMs < state.routeOpenedAtMs[device])
            {
                counters.routesReplaced.incrementOrdered();
                outbox.close(connectionId, CloseReason.REPLACED);
                return;
            }
            final boolean wasPending = state.isPending(device);
            state.clearRoute(device);
            if (!wasPending)
            {
                // A pending route is not closed: until its gateway confirms it, its id may belong to someone else.
                outbox.close(existing, CloseReason.REPLACED);
            }
            counters.routesReplaced.incrementOrdered();
        }
        else
        {
            state.clearRoute(device);
        }
        final long instanceId = gatewayInstance[ConnectionId.gatewayId(connectionId)];
        state.setRoute(device, connectionId, instanceId, openedAtMs, heartbeatSec, false);
        // the first route on a reactor starts adding its publication now, so it is usually there by the first frame
        outbox.preparePublication(connectionId);
        store.appendRouteOpened(device, connectionId, instanceId, openedAtMs, heartbeatSec);
        counters.onlineDevices.setOrdered(state.onlineDevices);

        for (int i = 0, count = hello.cursorCount(); i < count; i++)
        {
            final long streamId = hello.cursorStreamId(i);
            if (state.isSubscribed(device, streamId) || streamId == Protocol.UNICAST_STREAM_ID)
            {
                healHead(device, streamId, hello.cursorSeq(i));
                storeAck(device, streamId, hello.cursorSeq(i));
            }
        }
        final IntArrayList topics = state.subscriptions(device);
        if (null != topics)
        {
            final long nowMs = clock.time();
            for (int i = 0, size = topics.size(); i < size; i++)
            {
                outbox.bindTopic(connectionId, topics.getInt(i));
                deliverer.onBound(connectionId, device, topics.getInt(i), nowMs);
            }
        }
        deliverer.onSessionStart(device, connectionId, helloCursors);
    }

    public void onSessionClosed(final long connectionId, final int closeReason)
    {
        final long device = state.connectionToDevice.get(connectionId);
        if (device < 0 || state.routeOf((int)device) != connectionId)
        {
            counters.staleClosesIgnored.incrementOrdered();
            return;
        }
        dropRoute((int)device, closeReason);
    }

    public void onDeviceFrame(final long connectionId, final int frameType, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final long found = state.connectionToDevice.get(connectionId);
        if (found < 0 || state.routeConnectionId[(int)found] != connectionId)
        {
            // Not a route, or a replayed route not yet confirmed: once confirmed, the device is sent its backlog
            // or a NOTIFY again, so a dropped ACK or PULL is repeated.
            counters.framesFromUnknownConnections.incrementOrdered();
            return;
        }
        final int device = (int)found;
        switch (frameType)
        {
            case FrameType.ACK -> onAck(device, connectionId, buffer, offset, length);
            case FrameType.PULL ->
            {
                if (pull.wrap(buffer, offset, length) != 0)
                {
                    counters.malformedFrames.incrementOrdered();
                    outbox.error(device, connectionId, ErrorCode.MALFORMED, "bad PULL");
                    return;
                }
                deliverer.onPull(device, connectionId, pull.streamId(), pull.fromSeq(), pull.toSeq(), clock.time());
            }
            case FrameType.SUB, FrameType.UNSUB -> onSub(device, connectionId, frameType == FrameType.SUB, buffer, offset, length);
            case FrameType.UP ->
            {
                if (up.wrap(buffer, offset, length) != 0)
                {
                    counters.malformedFrames.incrementOrdered();
                    outbox.error(device, connectionId, ErrorCode.MALFORMED, "bad UP");
                    return;
                }
                store.appendUp(device, up.requestId(), up.appId(), clock.time(), buffer, up.payloadOffset(), up.payloadLength());
                state.upMessages++;
                counters.upMessages.incrementOrdered();
                outbox.upAck(device, connectionId, up.requestId(), 0);
            }
            default -> counters.malformedFrames.incrementOrdered();
        }
    }

    public void onGatewayStatus(final int gatewayId, final long instanceId, final long timestampMs, final int reactorCount,
        final int connections, final int flags, final String versionLabel)
    {
        if (gatewayId < 0 || gatewayId >= ConnectionId.MAX_GATEWAYS)
        {
            return;
        }
        final boolean known = gatewayInstance[gatewayId] != 0;
        if (known && gatewayInstance[gatewayId] != instanceId)
        {
            dropGatewayRoutes(gatewayId);
        }
        gatewayInstance[gatewayId] = instanceId;
        gatewaySeenMs[gatewayId] = clock.time();
        if (!known)
        {
            awaitingStatus[gatewayId] = false;
            onGatewayKnown(gatewayId, instanceId);
        }
    }

    /**
     * Drops the routes of gateways silent for longer than the gateway timeout, and the replayed routes of
     * gateways that sent no status within the gateway timeout of the first call after a restart.
     *
     * @return gateways found silent.
     */
    int checkGateways(final long nowMs)
    {
        if (recoveredAtMs < 0)
        {
            recoveredAtMs = nowMs;
        }
        int silent = 0;
        for (int g = 0; g < ConnectionId.MAX_GATEWAYS; g++)
        {
            if (gatewayInstance[g] != 0 && nowMs - gatewaySeenMs[g] > ctx.gatewayTimeoutMs())
            {
                gatewayInstance[g] = 0;
                dropGatewayRoutes(g);
                silent++;
            }
            else if (awaitingStatus[g] && nowMs - recoveredAtMs > ctx.gatewayTimeoutMs())
            {
                awaitingStatus[g] = false;
                resolvePending(g, 0);
                silent++;
            }
        }
        return silent;
    }

    /**
     * Replayed routes wait for their gateway (see {@link #onGatewayKnown}); counts them and marks their gateways.
     */
    private void onRecovered()
    {
        final int restored = state.pendingRoutes();
        counters.routesRestored.setOrdered(restored);
        if (restored > 0)
        {
            state.connectionToDevice.forEach((connectionId, device) ->
            {
                awaitingStatus[ConnectionId.gatewayId(connectionId)] = true;
                // added while the gateway's status is awaited, so a confirmed route's backlog can go out at once
                outbox.preparePublication(connectionId);
            });
        }
    }

    /**
     * The first status of a gateway since dispatch started, or since it was found silent: its replayed routes
     * are confirmed when they were recorded under this instance and dropped otherwise, and live routes opened
     * before the instance was known are recorded again with it.
     */
    private void onGatewayKnown(final int gatewayId, final long instanceId)
    {
        collectConnections(gatewayId);
        for (int i = 0, size = scratchConnections.size(); i < size; i++)
        {
            final long connectionId = scratchConnections.getLong(i);
            final int device = (int)state.connectionToDevice.get(connectionId);
            if (state.isPending(device))
            {
                resolvePending(device, connectionId, instanceId);
            }
            else if (0 == state.routeInstanceId[device])
            {
                state.routeInstanceId[device] = instanceId;
                store.appendRouteOpened(device, connectionId, instanceId, state.routeOpenedAtMs[device],
                    state.routeHeartbeatSec[device]);
            }
        }
    }

    /**
     * Settles every pending route of a gateway against an instance id (0: the gateway stayed silent, all go).
     */
    private void resolvePending(final int gatewayId, final long instanceId)
    {
        collectConnections(gatewayId);
        for (int i = 0, size = scratchConnections.size(); i < size; i++)
        {
            final long connectionId = scratchConnections.getLong(i);
            final int device = (int)state.connectionToDevice.get(connectionId);
            if (state.isPending(device))
            {
                resolvePending(device, connectionId, instanceId);
            }
        }
    }

    /**
     * A replayed route recorded under the gateway's current instance is live again: the gateway did not
     * restart, so the connection is the device's and still open (a close would have come with the gateway's
     * retried SESSION_CLOSED). Its topics are bound again (idempotent at the gateway, and a bind lost in
     * dispatch's retry ring at the crash is restored) and it is treated as a session start without cursors:
     * what the device has not acked goes inline when small, else NOTIFY; topics newer than its acks get NOTIFY.
     * Any other route, including one recorded before the instance was known, is dropped.
     */
    private void resolvePending(final int device, final long connectionId, final long instanceId)
    {
        if (0 == instanceId || state.routeInstanceId[device] != instanceId)
        {
            dropRoute(device, StoreRecords.ROUTE_DROPPED);
            counters.routesDroppedAfterRestart.incrementOrdered();
            return;
        }
        state.confirmRoute(device);
        counters.onlineDevices.setOrdered(state.onlineDevices);
        counters.routesConfirmed.incrementOrdered();
        final IntArrayList topics = state.subscriptions(device);
        if (null != topics)
        {
            for (int i = 0, size = topics.size(); i < size; i++)
            {
                outbox.bindTopic(connectionId, topics.getInt(i));
            }
        }
        deliverer.onSessionStart(device, connectionId, Deliverer.CursorLookup.NONE);
    }

    /**
     * Kicks a device off: its gateway sends BYE(KICKED) and closes; the route goes at once.
     *
     * @return true if it was online.
     */
    boolean kick(final int device)
    {
        final boolean live = DispatchState.NO_CONNECTION != state.routeConnectionId[device];
        final long connectionId = state.routeOf(device);
        if (DispatchState.NO_CONNECTION == connectionId)
        {
            return false;
        }
        dropRoute(device, CloseReason.KICKED);
        if (live)
        {
            outbox.close(connectionId, CloseReason.KICKED);
        }
        return live;
    }

    private void dropGatewayRoutes(final int gatewayId)
    {
        collectConnections(gatewayId);
        for (int i = 0, size = scratchConnections.size(); i < size; i++)
        {
            final int device = (int)state.connectionToDevice.get(scratchConnections.getLong(i));
            dropRoute(device, StoreRecords.ROUTE_DROPPED);
            counters.gatewayRoutesDropped.incrementOrdered();
        }
    }

    private void collectConnections(final int gatewayId)
    {
        scratchConnections.clear();
        state.connectionToDevice.forEach((connectionId, device) ->
        {
            if (ConnectionId.gatewayId(connectionId) == gatewayId)
            {
                scratchConnections.addLong(connectionId);
            }
        });
    }

    /**
     * Ends a device's route, live or pending, and records that.
     */
    private void dropRoute(final int device, final int reason)
    {
        final long connectionId = state.clearRoute(device);
        if (DispatchState.NO_CONNECTION != connectionId)
        {
            store.appendRouteClosed(device, connectionId, reason);
            counters.onlineDevices.setOrdered(state.onlineDevices);
        }
    }

    private void onAck(final int device, final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (ack.wrap(buffer, offset, length) != 0)
        {
            counters.malformedFrames.incrementOrdered();
            outbox.error(device, connectionId, ErrorCode.MALFORMED, "bad ACK");
            return;
        }
        final long streamId = ack.streamId();
        final StreamLog log = streamId == Protocol.UNICAST_STREAM_ID ? state.deviceStreams[device] :
            (state.isSubscribed(device, streamId) ? state.topicStream(streamId) : null);
        if (null == log)
        {
            outbox.error(device, connectionId, ErrorCode.UNKNOWN_STREAM, "ACK for a stream not subscribed");
            return;
        }
        if (ack.seq() > log.head())
        {
            outbox.error(device, connectionId, ErrorCode.BAD_RANGE, "ACK beyond the stream's head");
            return;
        }
        storeAck(device, streamId, ack.seq());
        if (streamId == Protocol.UNICAST_STREAM_ID)
        {
            deliverer.onDeviceAck(device);
        }
    }

    /**
     * A cursor beyond the stream's head means the store lost seqs the device saw (a power loss with sync
     * none or periodic, or a store restored from a backup). Reusing them would have the device drop new
     * messages as duplicates, so the head moves past the cursor (recorded as a HEAD record). The device's
     * own stream always heals; a shared topic only by at most its retention, so no device can push a
     * topic's head far ahead for everyone.
     */
    private void healHead(final int device, final long streamId, final long cursor)
    {
        final boolean unicast = streamId == Protocol.UNICAST_STREAM_ID;
        final StreamLog log = unicast ? state.deviceStreams[device] : state.topicStream(streamId);
        if (null == log || cursor <= log.head() || (!unicast && cursor - log.head() > ctx.topicRetention()))
        {
            return;
        }
        log.advanceHead(cursor);
        store.appendHead(unicast ? StoreRecords.DEVICE_STREAM : StoreRecords.TOPIC_STREAM, unicast ? device : streamId,
            cursor, unicast ? log.acked() : 0);
        counters.headsHealed.incrementOrdered();
    }

    private void storeAck(final int device, final long streamId, final long seq)
    {
        if (state.applyAck(device, streamId, seq))
        {
            store.appendAcked(device, streamId, seq);
            counters.acks.incrementOrdered();
        }
    }

    private void onSub(final int device, final long connectionId, final boolean subscribe, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final int result = sub.wrap(buffer, offset, length);
        if (result != 0)
        {
            counters.malformedFrames.incrementOrdered();
            outbox.subAck(device, connectionId, sub.requestId(), -result, 0, 0);
            return;
        }
        final String name = buffer.getStringWithoutLengthAscii(sub.topicOffset(), sub.topicLength());
        int topic = state.topicId(name);
        if (!subscribe)
        {
            if (topic > (int)DispatchState.BROADCAST && state.applySubscription(false, device, topic))
            {
                store.appendSubscription(false, device, topic);
                outbox.unbindTopic(connectionId, topic);
            }
            outbox.subAck(device, connectionId, sub.requestId(), 0, Math.max(topic, 0), topic > 0 ? state.topicStream(topic).head() : 0);
            return;
        }
        if (topic != (int)DispatchState.BROADCAST && !state.isSubscribed(device, Math.max(topic, 0)))
        {
            final IntArrayList topics = state.subscriptions(device);
            if (null != topics && topics.size() >= ctx.maxSubscriptions())
            {
                outbox.subAck(device, connectionId, sub.requestId(), ErrorCode.TOO_MANY_SUBSCRIPTIONS, 0, 0);
                return;
            }
            if (topic <= 0)
            {
                topic = state.applyTopic(state.nextTopicId(), name);
                store.appendTopic(topic, buffer, sub.topicOffset(), sub.topicLength());
            }
            state.applySubscription(true, device, topic);
            store.appendSubscription(true, device, topic);
            outbox.bindTopic(connectionId, topic);
            deliverer.onBound(connectionId, device, topic, clock.time());
        }
        outbox.subAck(device, connectionId, sub.requestId(), 0, topic, state.topicStream(topic).head());
    }

    private long helloCursor(final long streamId)
    {
        for (int i = 0, count = hello.cursorCount(); i < count; i++)
        {
            if (hello.cursorStreamId(i) == streamId)
            {
                return hello.cursorSeq(i);
            }
        }
        return 0;
    }
}
