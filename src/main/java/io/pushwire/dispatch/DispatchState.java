package io.pushwire.dispatch;

import io.pushwire.protocol.Protocol;
import io.pushwire.store.StoreListener;
import io.pushwire.store.StoreRecords;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything dispatch knows, and the mutations the store's records stand for. The same {@code apply}
 * methods run when a record is appended live and when it is replayed at start, so replay rebuilds
 * exactly the state that was there: stream heads and unacked entries, acks, collapses, subscriptions,
 * topics, aliases, receipts, idempotency keys and the last message id.
 * <p>
 * Also holds the routing table (device to connection), persisted by ROUTE_OPENED / ROUTE_CLOSED records. A
 * device has at most one route, either <b>live</b> ({@code routeConnectionId}: frames go to it) or
 * <b>pending</b> ({@code pendingConnectionId}: replayed at start, not yet confirmed by its gateway's
 * GATEWAY_STATUS; nothing is sent to it). {@code connectionToDevice} maps the connection of either kind to
 * its device, and only while it is that device's route.
 * <p>
 * Struct-of-arrays indexed by device index ({@link DeviceDirectory}) and topic stream id; arrays grow
 * when a device or topic is added. Not thread-safe: the dispatch agent owns it.
 */
public final class DispatchState implements StoreListener
{
    public static final long BROADCAST = Protocol.BROADCAST_STREAM_ID;
    public static final long NO_CONNECTION = 0;

    final DeviceDirectory devices = new DeviceDirectory();
    final Receipts receipts;
    final Long2LongHashMap connectionToDevice = new Long2LongHashMap(-1);
    final Long2LongHashMap topicAcks = new Long2LongHashMap(0);
    final Object2IntHashMap<String> topicIds = new Object2IntHashMap<>(0);
    final List<String> topicNames = new ArrayList<>();
    final Object2ObjectHashMap<String, IntArrayList> aliases = new Object2ObjectHashMap<>();
    final Object2LongHashMap<String> idempotencyKeys = new Object2LongHashMap<>(0);
    private final int topicRetention;

    StreamLog[] deviceStreams = new StreamLog[1024];
    long[] routeConnectionId = new long[1024];
    long[] pendingConnectionId = new long[1024];
    long[] routeInstanceId = new long[1024];
    long[] routeOpenedAtMs = new long[1024];
    int[] routeHeartbeatSec = new int[1024];
    long[] sentSeq = new long[1024];
    IntArrayList[] subscriptions = new IntArrayList[1024];
    StreamLog[] topicStreams = new StreamLog[64];
    int[] topicSubscribers = new int[64];
    int topicCount = 2;
    int onlineDevices;
    int pendingRoutes;
    long lastMessageId;
    long upMessages;

    /**
     * @param topicRetention messages held per topic.
     * @param maxReceipts    receipts held at most.
     */
    public DispatchState(final int topicRetention, final int maxReceipts)
    {
        this.topicRetention = topicRetention;
        this.receipts = new Receipts(maxReceipts);
        topicNames.add("");
        topicNames.add("broadcast");
        topicIds.put("broadcast", (int)BROADCAST);
        topicStreams[(int)BROADCAST] = new StreamLog(topicRetention);
    }

    public DeviceDirectory devices()
    {
        return devices;
    }

    public Receipts receipts()
    {
        return receipts;
    }

    public int onlineDevices()
    {
        return onlineDevices;
    }

    public long lastMessageId()
    {
        return lastMessageId;
    }

    /**
     * @return the device's unicast stream.
     */
    public StreamLog deviceStream(final int device)
    {
        return deviceStreams[device];
    }

    /**
     * @return the topic's stream, or null for an unknown topic id.
     */
    public StreamLog topicStream(final long topicStreamId)
    {
        return topicStreamId > 0 && topicStreamId < topicCount ? topicStreams[(int)topicStreamId] : null;
    }

    /**
     * @return the device's live route, {@link #NO_CONNECTION} when offline or only pending.
     */
    public long connectionId(final int device)
    {
        return routeConnectionId[device];
    }

    /**
     * @return the device's replayed route awaiting its gateway's confirmation, or {@link #NO_CONNECTION}.
     */
    public long pendingConnectionId(final int device)
    {
        return pendingConnectionId[device];
    }

    /**
     * @return replayed routes not yet confirmed or dropped.
     */
    public int pendingRoutes()
    {
        return pendingRoutes;
    }

    /**
     * @return the device's route, live or pending, or {@link #NO_CONNECTION}.
     */
    long routeOf(final int device)
    {
        final long live = routeConnectionId[device];
        return NO_CONNECTION != live ? live : pendingConnectionId[device];
    }

    boolean isPending(final int device)
    {
        return NO_CONNECTION != pendingConnectionId[device];
    }

    /**
     * Sets a device's route; the device must have none (see {@link #clearRoute}).
     *
     * @param pending true for a replayed route that waits for its gateway's confirmation.
     */
    void setRoute(final int device, final long connectionId, final long instanceId, final long openedAtMs,
        final int heartbeatSec, final boolean pending)
    {
        if (pending)
        {
            pendingConnectionId[device] = connectionId;
            pendingRoutes++;
        }
        else
        {
            routeConnectionId[device] = connectionId;
            onlineDevices++;
        }
        routeInstanceId[device] = instanceId;
        routeOpenedAtMs[device] = openedAtMs;
        routeHeartbeatSec[device] = heartbeatSec;
        connectionToDevice.put(connectionId, device);
    }

    /**
     * Removes a device's route, live or pending.
     *
     * @return the connection it had, or {@link #NO_CONNECTION}.
     */
    long clearRoute(final int device)
    {
        final long connectionId = routeOf(device);
        if (NO_CONNECTION == connectionId)
        {
            return NO_CONNECTION;
        }
        if (NO_CONNECTION != routeConnectionId[device])
        {
            routeConnectionId[device] = NO_CONNECTION;
            onlineDevices--;
        }
        else
        {
            pendingConnectionId[device] = NO_CONNECTION;
            pendingRoutes--;
        }
        if (connectionToDevice.get(connectionId) == device)
        {
            connectionToDevice.remove(connectionId);
        }
        return connectionId;
    }

    /**
     * Makes a pending route live (its gateway confirmed it).
     */
    void confirmRoute(final int device)
    {
        final long connectionId = pendingConnectionId[device];
        pendingConnectionId[device] = NO_CONNECTION;
        pendingRoutes--;
        routeConnectionId[device] = connectionId;
        onlineDevices++;
    }

    /**
     * @return the topic ids the device subscribed to (not broadcast, which every device has), or null.
     */
    public IntArrayList subscriptions(final int device)
    {
        return subscriptions[device];
    }

    public boolean isSubscribed(final int device, final long topicStreamId)
    {
        if (topicStreamId == BROADCAST)
        {
            return true;
        }
        final IntArrayList topics = subscriptions[device];
        return null != topics && topics.containsInt((int)topicStreamId);
    }

    public int topicId(final String name)
    {
        return topicIds.getValue(name);
    }

    public int topicSubscribers(final long topicStreamId)
    {
        return topicStreamId == BROADCAST ? devices.size() : topicSubscribers[(int)topicStreamId];
    }

    public long topicAcked(final int device, final long topicStreamId)
    {
        return topicAcks.get(topicAckKey(device, topicStreamId));
    }

    public int nextTopicId()
    {
        return topicCount;
    }

    /**
     * Registers a device under a given index, growing the per-device arrays.
     */
    public int applyDevice(final int index, final DirectBuffer id, final int offset, final int length)
    {
        final int device = devices.put(index, id, offset, length);
        ensureDevice(device);
        return device;
    }

    /**
     * Makes sure the per-device arrays and the stream exist for an index (replay may meet a device's
     * records before its DEVICE record, when that was in a deleted file and comes again in a snapshot).
     */
    public void ensureDevice(final int device)
    {
        devices.reserve(device);
        if (device >= deviceStreams.length)
        {
            final int capacity = Math.max(device + 1, deviceStreams.length * 2);
            deviceStreams = Arrays.copyOf(deviceStreams, capacity);
            routeConnectionId = Arrays.copyOf(routeConnectionId, capacity);
            pendingConnectionId = Arrays.copyOf(pendingConnectionId, capacity);
            routeInstanceId = Arrays.copyOf(routeInstanceId, capacity);
            routeOpenedAtMs = Arrays.copyOf(routeOpenedAtMs, capacity);
            routeHeartbeatSec = Arrays.copyOf(routeHeartbeatSec, capacity);
            sentSeq = Arrays.copyOf(sentSeq, capacity);
            subscriptions = Arrays.copyOf(subscriptions, capacity);
        }
        if (null == deviceStreams[device])
        {
            deviceStreams[device] = new StreamLog(0);
        }
    }

    /**
     * Makes sure a topic's stream exists for an id (name unknown until its TOPIC record).
     */
    public void ensureTopic(final long topicStreamId)
    {
        final int id = (int)topicStreamId;
        if (id >= topicStreams.length)
        {
            topicStreams = Arrays.copyOf(topicStreams, Math.max(topicStreams.length * 2, id + 1));
            topicSubscribers = Arrays.copyOf(topicSubscribers, topicStreams.length);
        }
        if (null == topicStreams[id])
        {
            topicStreams[id] = new StreamLog(topicRetention);
        }
        topicCount = Math.max(topicCount, id + 1);
    }

    /**
     * Appends a message to its stream, starts its receipt, and collapses an older live message with the
     * same collapse key.
     *
     * @return the seq of the message collapsed by this one, or 0.
     */
    public long applyMessage(
        final long storeIndex, final int streamKind, final long streamRef, final long seq, final long messageId,
        final long acceptedMs, final long expiryMs, final int flags, final long collapseHash, final int targets,
        final int payloadLength)
    {
        final boolean topic = streamKind == StoreRecords.TOPIC_STREAM;
        final StreamLog log = topic ? topicStreams[(int)streamRef] : deviceStreams[(int)streamRef];
        if ((flags & StoreRecords.FLAG_FIRST_OF_MESSAGE) != 0)
        {
            receipts.create(messageId, targets, acceptedMs);
        }
        lastMessageId = Math.max(lastMessageId, messageId);
        long collapsedSeq = 0;
        if (0 != collapseHash)
        {
            collapsedSeq = log.findLiveCollapse(collapseHash, topic ? 0 : log.acked());
            if (0 != collapsedSeq)
            {
                log.state(collapsedSeq, StreamLog.COLLAPSED);
                expireInReceipt(topic, log.messageId(collapsedSeq));
            }
        }
        final long trimmedMessageId = log.append(seq, storeIndex, messageId, expiryMs, collapseHash, payloadLength);
        if (0 != trimmedMessageId)
        {
            receipts.expireRest(trimmedMessageId);
        }
        return collapsedSeq;
    }

    /**
     * Marks a live entry expired and counts it in its receipt.
     */
    public void expire(final boolean topic, final StreamLog log, final long seq)
    {
        log.state(seq, StreamLog.EXPIRED);
        expireInReceipt(topic, log.messageId(seq));
    }

    private void expireInReceipt(final boolean topic, final long messageId)
    {
        if (topic)
        {
            receipts.expireRest(messageId);
        }
        else
        {
            receipts.expired(messageId, 1);
        }
    }

    /**
     * A cumulative ack of a device on one of its streams: counts receipts delivered for the live
     * messages it covers and drops acked device-stream entries.
     *
     * @return true if the ack moved the device's cursor on (and so should be stored).
     */
    public boolean applyAck(final int device, final long streamId, final long seq)
    {
        if (streamId == Protocol.UNICAST_STREAM_ID)
        {
            final StreamLog log = deviceStreams[device];
            final long upTo = Math.min(seq, log.head());
            if (upTo <= log.acked())
            {
                return false;
            }
            for (long s = Math.max(log.base(), log.acked() + 1); s <= upTo; s++)
            {
                if (log.state(s) == StreamLog.LIVE)
                {
                    receipts.delivered(log.messageId(s));
                }
            }
            log.ack(upTo);
            sentSeq[device] = Math.max(sentSeq[device], upTo);
            return true;
        }
        final StreamLog log = topicStream(streamId);
        if (null == log)
        {
            return false;
        }
        final long key = topicAckKey(device, streamId);
        final long old = topicAcks.get(key);
        final long upTo = Math.min(seq, log.head());
        if (upTo <= old)
        {
            return false;
        }
        for (long s = Math.max(log.base(), old + 1); s <= upTo; s++)
        {
            if (log.state(s) == StreamLog.LIVE)
            {
                receipts.delivered(log.messageId(s));
            }
        }
        topicAcks.put(key, upTo);
        return true;
    }

    public int applyTopic(final long topicStreamId, final String name)
    {
        if (topicIds.containsKey(name))
        {
            return topicIds.getValue(name);
        }
        final int id = (int)topicStreamId;
        ensureTopic(id);
        while (topicNames.size() <= id)
        {
            topicNames.add(null);
        }
        topicNames.set(id, name);
        topicIds.put(name, id);
        return id;
    }

    /**
     * @return the topic's name, or null when not (yet) known.
     */
    public String topicName(final int topicStreamId)
    {
        return topicStreamId < topicNames.size() ? topicNames.get(topicStreamId) : null;
    }

    /**
     * @return true if the subscription set changed.
     */
    public boolean applySubscription(final boolean subscribe, final int device, final long topicStreamId)
    {
        IntArrayList topics = subscriptions[device];
        final int topic = (int)topicStreamId;
        if (subscribe)
        {
            if (null == topics)
            {
                topics = new IntArrayList(4, -1);
                subscriptions[device] = topics;
            }
            if (topics.containsInt(topic))
            {
                return false;
            }
            topics.addInt(topic);
            topicSubscribers[topic]++;
            return true;
        }
        if (null == topics || !topics.removeInt(topic))
        {
            return false;
        }
        topicSubscribers[topic]--;
        return true;
    }

    /**
     * @return true if the binding changed.
     */
    public boolean applyAlias(final boolean bind, final int device, final String alias)
    {
        IntArrayList bound = aliases.get(alias);
        if (bind)
        {
            if (null == bound)
            {
                bound = new IntArrayList(2, -1);
                aliases.put(alias, bound);
            }
            if (bound.containsInt(device))
            {
                return false;
            }
            bound.addInt(device);
            return true;
        }
        if (null == bound || !bound.removeInt(device))
        {
            return false;
        }
        if (bound.isEmpty())
        {
            aliases.remove(alias);
        }
        return true;
    }

    public IntArrayList aliasDevices(final String alias)
    {
        return aliases.get(alias);
    }

    // ---- replay: the store's records, in order ----

    public void onMessage(
        final long index, final int streamKind, final long streamRef, final long seq, final long messageId,
        final long acceptedMs, final long expiryMs, final int appId, final int priority, final int flags,
        final long collapseHash, final int targets, final DirectBuffer idemKey, final int idemOffset, final int idemLength,
        final int payloadLength)
    {
        if (streamKind == StoreRecords.TOPIC_STREAM)
        {
            ensureTopic(streamRef);
        }
        else
        {
            ensureDevice((int)streamRef);
        }
        applyMessage(index, streamKind, streamRef, seq, messageId, acceptedMs, expiryMs, flags, collapseHash, targets,
            payloadLength);
        if (idemLength > 0)
        {
            idempotencyKeys.put(idemKey.getStringWithoutLengthUtf8(idemOffset, idemLength), messageId);
        }
    }

    public void onDevice(final int deviceIndex, final DirectBuffer deviceId, final int offset, final int length)
    {
        applyDevice(deviceIndex, deviceId, offset, length);
    }

    public void onAcked(final int deviceIndex, final long streamId, final long seq)
    {
        ensureDevice(deviceIndex);
        applyAck(deviceIndex, streamId, seq);
    }

    public void onTopic(final long topicStreamId, final DirectBuffer name, final int offset, final int length)
    {
        applyTopic(topicStreamId, name.getStringWithoutLengthUtf8(offset, length));
    }

    public void onSubscription(final boolean subscribed, final int deviceIndex, final long topicStreamId)
    {
        ensureDevice(deviceIndex);
        ensureTopic(topicStreamId);
        applySubscription(subscribed, deviceIndex, topicStreamId);
    }

    public void onAlias(final boolean bound, final int deviceIndex, final DirectBuffer alias, final int offset, final int length)
    {
        ensureDevice(deviceIndex);
        applyAlias(bound, deviceIndex, alias.getStringWithoutLengthUtf8(offset, length));
    }

    public void onUp(final int deviceIndex, final long requestId, final int appId, final long receivedMs, final int payloadLength)
    {
        upMessages++;
    }

    public void onHead(final int streamKind, final long streamRef, final long headSeq, final long ackedSeq)
    {
        if (streamKind == StoreRecords.TOPIC_STREAM)
        {
            ensureTopic(streamRef);
        }
        else
        {
            ensureDevice((int)streamRef);
        }
        final StreamLog log = streamKind == StoreRecords.TOPIC_STREAM ? topicStream(streamRef) : deviceStreams[(int)streamRef];
        if (null != log)
        {
            log.advanceHead(headSeq);
            if (streamKind == StoreRecords.DEVICE_STREAM)
            {
                applyAck((int)streamRef, Protocol.UNICAST_STREAM_ID, ackedSeq);
            }
        }
    }

    public void onSnapshot(final long lastMessageId, final int records)
    {
        this.lastMessageId = Math.max(this.lastMessageId, lastMessageId);
    }

    /**
     * A replayed route: pending until its gateway confirms it. It replaces whatever route the device had, and
     * whatever route had the connection id (the live path records that one's close first anyway).
     */
    public void onRouteOpened(
        final int deviceIndex, final long connectionId, final long instanceId, final long openedAtMs, final int heartbeatSec)
    {
        ensureDevice(deviceIndex);
        final long owner = connectionToDevice.get(connectionId);
        if (owner >= 0 && owner != deviceIndex)
        {
            clearRoute((int)owner);
        }
        clearRoute(deviceIndex);
        setRoute(deviceIndex, connectionId, instanceId, openedAtMs, heartbeatSec, true);
    }

    /**
     * A replayed close: the route goes only if it is still that connection.
     */
    public void onRouteClosed(final int deviceIndex, final long connectionId, final int reason)
    {
        ensureDevice(deviceIndex);
        if (routeOf(deviceIndex) == connectionId)
        {
            clearRoute(deviceIndex);
        }
    }

    static long topicAckKey(final int device, final long topicStreamId)
    {
        return ((long)device << 24) | (topicStreamId & 0xFFFFFF);
    }
}
