package io.pushwire.gateway;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.GatewayProxy;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.TopicFanoutProxy;
import io.pushwire.link.UpstreamAdapter;
import io.pushwire.link.UpstreamListener;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A gateway in invoker mode on an ephemeral loopback port, against a real media driver and a test peer
 * that speaks dispatch's side of the link: it records upstream messages as strings and sends downstream
 * ones with {@link GatewayProxy} / {@link TopicFanoutProxy}. The gateway's deadline clock is a
 * {@link CachedNanoClock} the test moves with {@link #advanceMs(long)}.
 */
final class GatewayHarness implements AutoCloseable
{
    final EmbeddedDriver driver = new EmbeddedDriver();
    final Aeron aeron = driver.connect();
    final CachedNanoClock clock = new CachedNanoClock();
    final List<String> upstream = new ArrayList<>();
    final Gateway gateway;
    final GatewayProxy[] downstream;
    final TopicFanoutProxy fanout;
    final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
    private final Subscription upstreamSubscription;
    private final UpstreamAdapter upstreamAdapter;
    private final List<TestDevice> devices = new ArrayList<>();
    private boolean pollUpstream = true;

    GatewayHarness()
    {
        this((ctx) -> {});
    }

    GatewayHarness(final Consumer<GatewayContext> configure)
    {
        clock.update(TimeUnit.SECONDS.toNanos(1000));
        upstreamSubscription = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        upstreamAdapter = new UpstreamAdapter(upstreamSubscription, new Recorder());
        final GatewayContext ctx = new GatewayContext()
            .gatewayId(7)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
            .maxConnections(64)
            .chunksPerReactor(64)
            .heartbeatMinSec(5)
            .heartbeatMaxSec(600)
            .heartbeatFactor(1.5)
            .heartbeatGraceMs(0)
            .timerTickMs(128)
            .authTimeoutMs(10_000)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .nanoClock(clock)
            .stopTimeoutMs(5_000);
        configure.accept(ctx);
        gateway = Gateway.launch(ctx);
        downstream = new GatewayProxy[ctx.reactors()];
        for (int r = 0; r < ctx.reactors(); r++)
        {
            final Publication publication = aeron.addExclusivePublication(
                EmbeddedDriver.ipcChannel(), LinkConfiguration.downstreamStreamId(ctx.gatewayId(), r));
            downstream[r] = new GatewayProxy(publication, 64 * 1024);
        }
        fanout = new TopicFanoutProxy(
            aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.TOPIC_STREAM_ID), 64 * 1024);
        await("link connected", () -> upstreamSubscription.imageCount() == ctx.reactors() &&
            fanout.publication().isConnected() && allConnected());
    }

    private boolean allConnected()
    {
        for (final GatewayProxy proxy : downstream)
        {
            if (!proxy.publication().isConnected())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops polling the upstream subscription, so the link fills up (back pressure) until {@link #resumeUpstream()}.
     */
    void stallUpstream()
    {
        pollUpstream = false;
    }

    void resumeUpstream()
    {
        pollUpstream = true;
    }

    /**
     * One duty cycle of the gateway, the test peer and every device.
     */
    int work()
    {
        int work = gateway.doWork();
        if (pollUpstream)
        {
            work += upstreamAdapter.poll(100);
        }
        for (final TestDevice device : devices)
        {
            work += device.poll();
        }
        return work;
    }

    void await(final String what, final BooleanSupplier condition)
    {
        Await.until(() -> what + "; devices " + devices + "; upstream " + upstream, 10_000, () ->
        {
            work();
            return condition.getAsBoolean();
        });
    }

    /**
     * Runs duty cycles for a while of wall time, for asserting that something does not happen.
     */
    void workFor(final long millis)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - end < 0)
        {
            work();
            Thread.yield();
        }
    }

    void advanceMs(final long millis)
    {
        clock.advance(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    byte[] token(final String deviceId)
    {
        final long now = System.currentTimeMillis() / 1000;
        return issuer.issue(1, deviceId, now - 10, now + 3600);
    }

    TestDevice connect(final String deviceId)
    {
        final TestDevice device = new TestDevice(gateway.port(), deviceId);
        devices.add(device);
        return device;
    }

    /**
     * Connects, says HELLO with a good token and waits for WELCOME and SESSION_OPENED.
     */
    TestDevice session(final String deviceId, final int heartbeatSec)
    {
        final TestDevice device = connect(deviceId);
        device.hello(token(deviceId), heartbeatSec);
        await(deviceId + " welcomed", () -> device.received.stream().anyMatch((f) -> f.startsWith("WELCOME")));
        await(deviceId + " opened upstream", () -> upstream.stream().anyMatch((m) -> m.startsWith("opened " + ConnectionId.toString(device.sessionId))));
        return device;
    }

    boolean heard(final String message)
    {
        return upstream.contains(message);
    }

    public void close()
    {
        devices.forEach(TestDevice::close);
        CloseHelper.closeAll(gateway, aeron, driver);
    }

    private final class Recorder implements UpstreamListener
    {
        public void onSessionOpened(
            final long connectionId, final long openedAtMs, final int heartbeatSec, final DirectBuffer buffer, final int offset,
            final int length)
        {
            upstream.add("opened " + ConnectionId.toString(connectionId) + " hb=" + heartbeatSec + " body=" + length);
        }

        public void onSessionClosed(final long connectionId, final int closeReason)
        {
            upstream.add("closed " + ConnectionId.toString(connectionId) + " " + closeReason);
        }

        public void onDeviceFrame(final long connectionId, final int frameType, final DirectBuffer buffer, final int offset, final int length)
        {
            final StringBuilder hex = new StringBuilder();
            for (int i = 0; i < length; i++)
            {
                hex.append(String.format("%02x", buffer.getByte(offset + i)));
            }
            upstream.add("frame " + ConnectionId.toString(connectionId) + " " + frameType + " " + hex);
        }

        public void onGatewayStatus(
            final int gatewayId, final long instanceId, final long timestampMs, final int reactorCount, final int connections,
            final int flags, final String versionLabel)
        {
            upstream.add("status " + gatewayId + " " + reactorCount + " " + connections + " " + flags);
        }
    }
}
