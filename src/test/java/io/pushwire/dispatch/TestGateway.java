package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.DispatchProxy;
import io.pushwire.link.DownstreamAdapter;
import io.pushwire.link.DownstreamListener;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test gateway peer: one reactor's link to dispatch over a real media driver (the same proxies and
 * adapters a gateway uses), with {@link TestDevice}s in place of sockets. It keeps the reactor's topic
 * index from TOPIC_BIND/UNBIND and fans topic frames out to bound devices (broadcast to all), like a
 * gateway. On CLOSE it drops the device and reports SESSION_CLOSED, as a gateway does.
 */
final class TestGateway implements DownstreamListener, AutoCloseable
{
    final int gatewayId;
    final int reactor;
    final Map<Long, TestDevice> devices = new LinkedHashMap<>();
    final Map<Long, Set<Long>> bindings = new HashMap<>();
    /**
     * What the reactor read from dispatch on its downstream stream, in order: {@code "<device> BIND <topic>"},
     * {@code "<device> UNBIND <topic>"}, {@code "<device> CLOSE <reason>"} and {@code "<device> <frame>"} (a delivered
     * frame as {@link TestDevice#frames} names it); {@code <device>} is the device id, or the connection id in hex for
     * a connection the reactor does not know.
     */
    final List<String> log = new ArrayList<>();
    long instanceId = 1;
    boolean topicsFirst;
    /**
     * True to stop polling the reactor's downstream stream (like a reactor paused for its chunk pool): dispatch's
     * offers to it are refused once the publication's window is full.
     */
    boolean paused;
    private final DispatchProxy proxy;
    private final Aeron aeron;
    private DownstreamAdapter downstream;
    private final DownstreamAdapter topics;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    private int nextSlot = 1;
    int deliveredFrames;

    TestGateway(final Aeron aeron, final int gatewayId, final int reactor)
    {
        this(aeron, gatewayId, reactor, true);
    }

    /**
     * @param subscribeDownstream false to leave the reactor's downstream stream without a subscriber (dispatch's
     *                            offers to it fail as not connected) until {@link #subscribeDownstream()}.
     */
    TestGateway(final Aeron aeron, final int gatewayId, final int reactor, final boolean subscribeDownstream)
    {
        this.aeron = aeron;
        this.gatewayId = gatewayId;
        this.reactor = reactor;
        final ExclusivePublication publication =
            aeron.addExclusivePublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        proxy = new DispatchProxy(publication, 8192);
        if (subscribeDownstream)
        {
            subscribeDownstream();
        }
        topics = new DownstreamAdapter(aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.TOPIC_STREAM_ID), this);
    }

    void subscribeDownstream()
    {
        downstream = new DownstreamAdapter(aeron.addSubscription(
            EmbeddedDriver.ipcChannel(), LinkConfiguration.downstreamStreamId(gatewayId, reactor)), this);
    }

    boolean isConnected()
    {
        return proxy.publication().isConnected();
    }

    int poll()
    {
        final int down = null == downstream || paused ? 0 : downstream.poll(100);
        final int work = topicsFirst ? topics.poll(100) + down : down + topics.poll(100);
        for (final TestDevice device : devices.values().toArray(new TestDevice[0]))
        {
            device.maybePull();
        }
        return work;
    }

    TestDevice connect(final String deviceId, final long openedAtMs, final Map<Long, Long> cursors)
    {
        final long connectionId = ConnectionId.pack(gatewayId, reactor, nextSlot++, 1);
        final TestDevice device = new TestDevice((frame, length) -> sendFrame(connectionId, frame, length), deviceId, connectionId, cursors);
        devices.put(connectionId, device);
        final long[] streams = new long[cursors.size()];
        final long[] seqs = new long[cursors.size()];
        int i = 0;
        for (final Map.Entry<Long, Long> cursor : cursors.entrySet())
        {
            streams[i] = cursor.getKey();
            seqs[i++] = cursor.getValue();
        }
        final UnsafeBuffer id = new UnsafeBuffer(deviceId.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer token = new UnsafeBuffer(new byte[]{ 1, 2, 3 });
        final int length = FrameEncoder.hello(scratch, 0, 1, id, 0, id.capacity(), token, 0, 3, 60, streams, seqs, i);
        final int headerLength = FrameHeader.headerLength(scratch, 0);
        offer(() -> proxy.sessionOpened(connectionId, openedAtMs, 60, scratch, headerLength, length - headerLength));
        return device;
    }

    /**
     * The same device connects again, keeping its local cursors, with the given HELLO cursors.
     */
    TestDevice reconnect(final TestDevice old, final long openedAtMs, final Map<Long, Long> helloCursors)
    {
        final TestDevice device = connect(old.deviceId, openedAtMs, helloCursors);
        device.cursors.putAll(old.cursors);
        device.processed.addAll(old.processed);
        return device;
    }

    void disconnect(final TestDevice device, final int reason)
    {
        devices.remove(device.connectionId);
        bindings.remove(device.connectionId);
        offer(() -> proxy.sessionClosed(device.connectionId, reason));
    }

    /**
     * Drops every device without telling dispatch (the process died).
     */
    void crash()
    {
        devices.clear();
        bindings.clear();
    }

    void status(final long timestampMs)
    {
        offer(() -> proxy.gatewayStatus(gatewayId, instanceId, timestampMs, 1, devices.size(), 0, "test"));
    }

    void sendFrame(final long connectionId, final DirectBuffer frame, final int length)
    {
        final int headerLength = FrameHeader.headerLength(frame, 0);
        final int type = FrameHeader.type(frame, 0);
        offer(() -> proxy.deviceFrame(connectionId, type, frame, headerLength, length - headerLength));
    }

    private static void offer(final java.util.function.LongSupplier offer)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (offer.getAsLong() < 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("upstream offer kept failing");
            }
            Thread.yield();
        }
    }

    public boolean onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        final TestDevice device = devices.get(connectionId);
        if (null != device)
        {
            deliveredFrames++;
            final int before = device.frames.size();
            device.onFrame(buffer, offset, length);
            log.add(device.deviceId + " " + (device.frames.size() > before ? device.frames.get(before) : "?"));
        }
        return true;
    }

    public void onClose(final long connectionId, final int closeReason)
    {
        log.add(name(connectionId) + " CLOSE " + closeReason);
        final TestDevice device = devices.get(connectionId);
        if (null != device)
        {
            device.closedReason = closeReason;
            disconnect(device, closeReason);
        }
    }

    public void onTopicBind(final long connectionId, final long topicStreamId)
    {
        log.add(name(connectionId) + " BIND " + topicStreamId);
        if (devices.containsKey(connectionId))
        {
            bindings.computeIfAbsent(connectionId, (k) -> new HashSet<>()).add(topicStreamId);
        }
    }

    public void onTopicUnbind(final long connectionId, final long topicStreamId)
    {
        log.add(name(connectionId) + " UNBIND " + topicStreamId);
        final Set<Long> bound = bindings.get(connectionId);
        if (null != bound)
        {
            bound.remove(topicStreamId);
        }
    }

    public boolean onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
    {
        for (final TestDevice device : devices.values().toArray(new TestDevice[0]))
        {
            if (topicStreamId == 1 || bindings.getOrDefault(device.connectionId, Set.of()).contains(topicStreamId))
            {
                deliveredFrames++;
                device.onFrame(buffer, offset, length);
            }
        }
        return true;
    }

    private String name(final long connectionId)
    {
        final TestDevice device = devices.get(connectionId);
        return null == device ? Long.toHexString(connectionId) : device.deviceId;
    }

    public void close()
    {
        CloseHelper.closeAll(proxy.publication(), null == downstream ? null : downstream.subscription(), topics.subscription());
    }
}
