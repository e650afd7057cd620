package io.pushwire.e2e;

import io.aeron.Aeron;
import io.pushwire.client.ConnectionState;
import io.pushwire.client.DeviceClient;
import io.pushwire.client.ServerSelector;
import io.pushwire.dispatch.Dispatch;
import io.pushwire.dispatch.DispatchContext;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.StreamingFrameDecoder;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.store.StoreContext;
import io.pushwire.store.SyncPolicy;
import io.pushwire.test.EmbeddedDriver;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device SDK against the real system in this JVM: a real media driver, the real dispatch with its
 * Chronicle store on disk, real gateways on their own threads (DEDICATED) on free loopback ports, pushes
 * through {@link PushClient}. What the SDK promises (fallback list, probe race, adaptive heartbeat,
 * exactly-once in order) is checked against the real gateway, not the SDK's own test peer.
 */
class DeviceSdkRealBoxTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private Dispatch dispatch;
    private PushClient pushClient;
    private final List<Gateway> gateways = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    @BeforeEach
    void start()
    {
        driver = new EmbeddedDriver();
        aeron = driver.connect();
        dispatch = new Dispatch(new DispatchContext()
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .storeContext(new StoreContext().dir(dir.resolve("store").toFile()).syncPolicy(SyncPolicy.NONE)
                .rollCycle(RollCycles.FAST_DAILY).retentionMs(Duration.ofDays(8).toMillis()).maxRecordLength(64 * 1024)))
            .start();
        pushClient = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()).awaitConnected(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop()
    {
        Collections.reverse(others);
        CloseHelper.quietCloseAll(others);
        CloseHelper.quietCloseAll(gateways);
        CloseHelper.closeAll(pushClient, dispatch, aeron, driver);
    }

    @Test
    void shouldFailOverToTheFallbackListWhenDnsFailsAndTheFirstAddressIsDead()
    {
        final Gateway gateway = gateway(0, (ctx) -> ctx.probePort(-1));
        final int deadPort = E2e.freeTcpPort();
        final DeviceRecorder recorder = new DeviceRecorder();
        final DeviceClient device = device("fallback-phone", recorder, (ctx) -> ctx
            .serverName("does-not-exist.invalid")
            .serverPort(deadPort)
            .dnsTimeoutMs(2_000)
            .probeTimeoutMs(200)
            .fallbackAddresses(List.of("127.0.0.1:" + deadPort, "127.0.0.1:" + gateway.port())));

        awaitConnected(device, recorder, 1);
        assertEquals(gateway.port(), device.currentServer().getPort());
        assertEquals(1, recorder.selections.size(), recorder.selections::toString);
        assertEquals(gateway.port(), recorder.selections.get(0).server().getPort());
        assertEquals(-1, recorder.selections.get(0).rttNs(), "no probe answered: the list was walked in order");
        assertEquals(gateway.port(), recorder.sessions.get(0).server().getPort());

        final long messageId = pushClient.push(PushRequest.toDevice("fallback-phone").payload("via the fallback list"));
        E2e.await(() -> "delivered: " + recorder.messages, 10_000, () -> recorder.messages.contains("0:1:via the fallback list"));
        E2e.await(() -> "receipt delivered: " + pushClient.receipt(messageId), 10_000,
            () -> pushClient.receipt(messageId).delivered() == 1);
        assertEquals(new Receipt(messageId, 1, 1, 0, 0), pushClient.receipt(messageId));
    }

    @Test
    void shouldPickTheLessLoadedGatewayInTheProbeRace() throws IOException
    {
        final Consumer<GatewayContext> probed = (ctx) -> ctx
            .maxConnections(40)
            .probeThresholdPercent(70)
            .probeMaxDelayMs(1_000);
        final Gateway loaded = gateway(0, probed);
        final Gateway idle = gateway(1, probed);
        for (int i = 0; i < 35; i++)
        {
            holdConnection(loaded.port(), "load-" + i);
        }
        E2e.await(() -> "35 connections on the loaded gateway, has " + loaded.connections(), 10_000,
            () -> loaded.connections() == 35);

        final InetSocketAddress loadedAddress = new InetSocketAddress(LOOPBACK, loaded.port());
        final ServerSelector.Selection alone = new ServerSelector(
            null, 0, List.of(loadedAddress), 0, 1_000, 2_000, SystemNanoClock.INSTANCE, new Random(1))
            .race(List.of(loadedAddress));
        assertEquals(loadedAddress, alone.winner(), "the loaded gateway answers probes, only late");
        assertTrue(alone.rttNs() >= TimeUnit.MILLISECONDS.toNanos(400),
            "load 875 permille over a 700 threshold delays the answer ~583 ms, took " +
            TimeUnit.NANOSECONDS.toMillis(alone.rttNs()) + " ms");

        for (int attempt = 0; attempt < 5; attempt++)
        {
            final DeviceRecorder recorder = new DeviceRecorder();
            final DeviceClient device = device("probe-phone-" + attempt, recorder, (ctx) -> ctx
                .probeTimeoutMs(1_500)
                .fallbackAddresses(List.of("127.0.0.1:" + loaded.port(), "127.0.0.1:" + idle.port())));
            awaitConnected(device, recorder, 1);
            final DeviceRecorder.Selection first = recorder.selections.get(0);
            assertEquals(idle.port(), first.server().getPort(), "attempt " + attempt + " chose " + recorder.selections);
            assertTrue(first.rttNs() >= 0, "attempt " + attempt + ": the idle gateway won the race, not the list order");
            assertEquals(idle.port(), device.currentServer().getPort());
            device.close();
            others.remove(device);
        }
        assertEquals(35, loaded.connections(), "no device went to the loaded gateway");
    }

    @Test
    void shouldGrowTheHeartbeatToTheGatewayClampAndBackOffWhenPongsStop() throws IOException
    {
        // A generous deadline factor: the gateway must not close a slow device on a loaded test box; the clamp is what counts.
        final Gateway gateway = gateway(0, (ctx) -> ctx.probePort(-1).heartbeatMinSec(1).heartbeatMaxSec(2).heartbeatFactor(3.0));
        final FaultProxy proxy = new FaultProxy(new InetSocketAddress(LOOPBACK, gateway.port()));
        others.add(proxy);
        final DeviceRecorder recorder = new DeviceRecorder();
        final DeviceClient device = device("heartbeat-phone", recorder, (ctx) -> ctx
            .fallbackAddresses(List.of("127.0.0.1:" + proxy.port()))
            .heartbeat(1, 1, 10)
            .heartbeatGrowth(2, 2, 60_000)
            .pongTimeoutMs(2_000));
        awaitConnected(device, recorder, 1);

        // 1 s twice, then a step up to 3 s, which the gateway clamps to its 2 s maximum.
        E2e.await(() -> "the gateway's clamped PONG: " + proxy.events(), 10_000, () -> proxy.events().contains("c1 PONG 2"));
        assertEquals(
            List.of("c1 HELLO 1", "c1 WELCOME 1", "c1 PING 1", "c1 PONG 1", "c1 PING 1", "c1 PONG 1", "c1 PING 3", "c1 PONG 2"),
            proxy.events().subList(0, 8));
        E2e.await(() -> "interval in force 2 s, is " + device.heartbeatIntervalSec(), 2_000, () -> device.heartbeatIntervalSec() == 2);
        assertEquals(0, device.stats().heartbeatFailures());

        proxy.cutDownstream();
        E2e.await(() -> "heartbeat failure, stats " + device.stats() + ", events " + proxy.events(), 10_000,
            () -> device.stats().heartbeatFailures() == 1);
        awaitConnected(device, recorder, 2);

        final List<String> events = proxy.events();
        final int cut = events.lastIndexOf("c1 PONG 2");
        assertTrue(events.subList(cut + 1, events.size()).contains("c1 PING 2"), "a PING went unanswered: " + events);
        assertTrue(events.subList(cut + 1, events.size()).stream().noneMatch((e) -> e.startsWith("c1 PONG")), events::toString);
        assertTrue(events.contains("c2 HELLO 1") && events.contains("c2 WELCOME 1"),
            "reconnected proposing the shorter interval: " + events);
        assertEquals(1, recorder.sessions.get(1).heartbeatSec());
        assertEquals(1, device.heartbeatIntervalSec());
        assertEquals(1, device.stats().heartbeatFailures());

        pushClient.push(PushRequest.toDevice("heartbeat-phone").payload("after the back-off"));
        E2e.await(() -> "delivered on the new connection: " + recorder.messages, 10_000,
            () -> recorder.messages.contains("0:1:after the back-off"));
        assertEquals(2, proxy.accepted());
    }

    @Test
    void shouldDeliverExactlyOnceInOrderWhenItsGatewayStopsAndTheDeviceFailsOver()
    {
        final Gateway first = gateway(0, (ctx) -> ctx.probePort(-1));
        final Gateway second = gateway(1, (ctx) -> ctx.probePort(-1));
        final DeviceRecorder recorder = new DeviceRecorder();
        final DeviceClient device = device("restart-phone", recorder, (ctx) -> ctx
            .fallbackAddresses(List.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port())));
        awaitConnected(device, recorder, 1);
        assertEquals(first.port(), device.currentServer().getPort());

        final List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 60; i++)
        {
            expected.add("m" + i);
        }
        pushAll(expected.subList(0, 20));
        E2e.await(() -> "first 20 on the first gateway: " + recorder.payloads(), 10_000, () -> recorder.payloads().size() == 20);

        final CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::close);
        for (final String payload : expected.subList(20, 40))
        {
            pushClient.push(PushRequest.toDevice("restart-phone").payload(payload));
            parkMs(10);
        }
        stopping.join();
        awaitConnected(device, recorder, 2);
        assertEquals(second.port(), device.currentServer().getPort());
        pushAll(expected.subList(40, 60));

        E2e.await(() -> "all 60, has " + recorder.payloads(), 15_000, () -> recorder.payloads().size() >= 60);
        parkMs(200);
        assertEquals(expected, recorder.payloads(), "exactly once, in order");
        assertEquals(60, device.cursor(0));
        assertEquals(second.port(), recorder.sessions.get(1).server().getPort());
        assertTrue(expected.subList(20, 40).stream().anyMatch((p) -> recorder.sessionOf.contains(p + "@2")),
            "some pushes sent while the first gateway stopped reached the device through the second: " + recorder.sessionOf);
    }

    private void pushAll(final List<String> payloads)
    {
        for (final String payload : payloads)
        {
            pushClient.push(PushRequest.toDevice("restart-phone").payload(payload));
        }
    }

    private Gateway gateway(final int gatewayId, final Consumer<GatewayContext> customize)
    {
        final GatewayContext ctx = new GatewayContext()
            .gatewayId(gatewayId)
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .host("127.0.0.1")
            .port(0)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.DEDICATED)
            .maxConnections(256)
            .chunksPerReactor(64)
            .stopTimeoutMs(2_000)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS);
        customize.accept(ctx);
        final Gateway gateway = Gateway.launch(ctx);
        gateways.add(gateway);
        return gateway;
    }

    private DeviceClient device(final String deviceId, final DeviceRecorder recorder, final Consumer<DeviceClient.Context> customize)
    {
        final DeviceClient.Context ctx = new DeviceClient.Context()
            .deviceId(deviceId)
            .token(E2e.token(deviceId))
            .probeTimeoutMs(0)
            .connectTimeoutMs(2_000)
            .welcomeTimeoutMs(5_000)
            .heartbeat(30, 10, 60)
            .reconnectBackoff(50, 500, 0.5)
            .cursorFile(dir.resolve(deviceId + ".state"))
            .listener(recorder);
        customize.accept(ctx);
        final DeviceClient device = DeviceClient.start(ctx);
        others.add(device);
        return device;
    }

    private static void awaitConnected(final DeviceClient device, final DeviceRecorder recorder, final int sessions)
    {
        E2e.await(() -> "session " + sessions + " of " + device.context().deviceId() + ": state " + device.state() +
            ", states " + recorder.states + ", errors " + recorder.errors + ", stats " + device.stats(), 15_000,
            () -> recorder.sessions.size() >= sessions && ConnectionState.CONNECTED == device.state());
    }

    /**
     * Opens a raw device connection that says HELLO (heartbeat 30 min, clamped by the gateway) and waits for
     * WELCOME; it stays open, authenticated and silent until the test ends.
     */
    private void holdConnection(final int port, final String deviceId) throws IOException
    {
        final Socket socket = new Socket();
        others.add(socket);
        socket.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
        socket.setSoTimeout(5_000);
        final UnsafeBuffer hello = new UnsafeBuffer(new byte[512]);
        final int length = FrameEncoder.hello(
            hello, 0, Protocol.MAX_VERSION, deviceId, E2e.token(deviceId), 1800, new long[0], new long[0], 0);
        socket.getOutputStream().write(hello.byteArray(), 0, length);

        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.MAX_BODY_LENGTH, true);
        final byte[] bytes = new byte[4096];
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        final InputStream in = socket.getInputStream();
        final boolean[] welcomed = { false };
        while (!welcomed[0])
        {
            final int n = in.read(bytes);
            assertFalse(n < 0, deviceId + ": closed before WELCOME");
            decoder.onBytes(view, 0, n, (type, flags, buffer, offset, bodyLength) -> welcomed[0] |= FrameType.WELCOME == type);
        }
    }

    private static void parkMs(final long ms)
    {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
