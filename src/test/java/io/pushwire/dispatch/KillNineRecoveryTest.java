package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch as a child process on the test's media driver: pushes until accepted, {@code kill -9}, restart
 * on the same store, and every accepted message reaches its device, in order, once. With a real gateway
 * (invoker mode, driven here) and a device on TCP that stays connected through the kill: its restored route
 * is confirmed by the gateway's status and it gets what it had not acked, new pushes, and its ACKs count.
 */
class KillNineRecoveryTest
{
    private static final int DEVICES = 8;
    private static final int PUSHES_PER_DEVICE = 40;

    @TempDir
    File dir;

    private final EmbeddedDriver driver = new EmbeddedDriver();
    private final Aeron aeron = driver.connect();
    private Process dispatch;
    private PushClient client;
    private TestGateway gateway;
    private Gateway realGateway;
    private SocketDevice socketDevice;

    @AfterEach
    void stop() throws InterruptedException
    {
        if (null != dispatch)
        {
            dispatch.destroyForcibly();
            dispatch.waitFor(10, TimeUnit.SECONDS);
        }
        CloseHelper.closeAll(socketDevice, client, gateway, realGateway, aeron, driver);
    }

    @Test
    void shouldKeepAConnectedDeviceRoutableThroughKillNineWithoutReconnecting() throws Exception
    {
        final File storeDir = new File(dir, "store");
        dispatch = startDispatch(storeDir, new File(dir, "dispatch-1.log"));
        client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel());
        client.awaitConnected(Duration.ofSeconds(30));
        realGateway = Gateway.launch(new GatewayContext()
            .gatewayId(3)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
            .maxConnections(16)
            .chunksPerReactor(64)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .stopTimeoutMs(1_000));
        final long nowSec = System.currentTimeMillis() / 1000;
        final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
        socketDevice = new SocketDevice(realGateway.port(), "kept-phone", issuer.issue(1, "kept-phone", nowSec - 10, nowSec + 3600),
            Map.of());
        socketDevice.device.ackDuplicates = true;
        pumpUntil("welcomed", () -> socketDevice.welcomed);
        pumpUntil("online in dispatch", () -> online("kept-phone"));
        final long first = pumpPush(PushRequest.toDevice("kept-phone").payload("first"));
        pumpUntil("first acked", () -> delivered(first) == 1);
        // two gateway statuses (one a second), so the route is recorded under the gateway's instance id
        final long until = System.currentTimeMillis() + 2_500;
        pumpUntil("statuses sent", () -> System.currentTimeMillis() > until);

        // accepted while the device reads nothing: not acked when dispatch dies
        final long pending = client.push(PushRequest.toDevice("kept-phone").payload("before kill"), Duration.ofSeconds(10));
        assertEquals(0, client.receipt(pending).delivered());
        dispatch.destroyForcibly();
        assertTrue(dispatch.waitFor(10, TimeUnit.SECONDS));

        dispatch = startDispatch(storeDir, new File(dir, "dispatch-2.log"));
        client.awaitConnected(Duration.ofSeconds(30));
        pumpUntil(() -> "route confirmed: " + log(new File(dir, "dispatch-2.log")), () -> online("kept-phone"));
        final long after = pumpPush(PushRequest.toDevice("kept-phone").payload("after restart"));
        pumpUntil(() -> "delivered: " + socketDevice.device.frames,
            () -> socketDevice.device.processed().equals(List.of("0:1:first", "0:2:before kill", "0:3:after restart")));
        pumpUntil("acks recorded", () -> delivered(pending) == 1 && delivered(after) == 1);
        assertEquals(new Receipt(pending, 1, 1, 0, 0), client.receipt(pending));
        assertEquals(new Receipt(after, 1, 1, 0, 0), client.receipt(after));
        assertFalse(socketDevice.isClosed(), "the device never reconnected");
        assertEquals(1, counter("dispatch: routes restored from the store at start"));
        assertEquals(1, counter("dispatch: restored routes confirmed by their gateway"));
    }

    /**
     * @return whether dispatch has a live route for the device; false while dispatch does not answer yet.
     */
    private boolean online(final String deviceId)
    {
        try
        {
            return client.who(deviceId).online();
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private int delivered(final long messageId)
    {
        try
        {
            return client.receipt(messageId).delivered();
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    private long counter(final String label)
    {
        final long[] max = { 0 };
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, text) ->
        {
            if (text.equals(label))
            {
                max[0] = Math.max(max[0], aeron.countersReader().getCounterValue(counterId));
            }
        });
        return max[0];
    }

    private long pumpPush(final PushRequest request)
    {
        final CompletableFuture<Long> future = client.pushAsync(request);
        pumpUntil("accepted", future::isDone);
        return future.join();
    }

    private void pumpUntil(final String what, final BooleanSupplier condition)
    {
        pumpUntil(() -> what, condition);
    }

    private void pumpUntil(final java.util.function.Supplier<String> what, final BooleanSupplier condition)
    {
        Await.until(what, 30_000, () ->
        {
            realGateway.doWork();
            socketDevice.poll();
            return condition.getAsBoolean();
        });
    }

    @Test
    void shouldDeliverEveryAcceptedMessageAfterKillNineAndRestart() throws Exception
    {
        final File storeDir = new File(dir, "store");
        dispatch = startDispatch(storeDir, new File(dir, "dispatch-1.log"));
        gateway = new TestGateway(aeron, 0, 0);
        client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel());
        client.awaitConnected(Duration.ofSeconds(30));

        final TestDevice online = gateway.connect("dev-online", System.currentTimeMillis(), Map.of());
        final Map<String, List<String>> accepted = new HashMap<>();
        for (int i = 0; i < PUSHES_PER_DEVICE; i++)
        {
            for (int d = 0; d < DEVICES; d++)
            {
                final String device = "dev-" + d;
                final String payload = device + "/" + i;
                client.push(PushRequest.toDevice(device).payload(payload), Duration.ofSeconds(10));
                accepted.computeIfAbsent(device, (k) -> new ArrayList<>()).add(payload);
            }
            final String payload = "online/" + i;
            client.push(PushRequest.toDevice("dev-online").payload(payload), Duration.ofSeconds(10));
            accepted.computeIfAbsent("dev-online", (k) -> new ArrayList<>()).add(payload);
            gateway.poll();
        }
        Await.until("online device got some", 10_000, () -> gateway.poll() >= 0 && online.processed().size() > 0);

        dispatch.destroyForcibly();
        assertTrue(dispatch.waitFor(10, TimeUnit.SECONDS));
        gateway.disconnect(online, 7);

        dispatch = startDispatch(storeDir, new File(dir, "dispatch-2.log"));
        client.awaitConnected(Duration.ofSeconds(30));

        final Map<String, TestDevice> devices = new HashMap<>();
        for (int d = 0; d < DEVICES; d++)
        {
            devices.put("dev-" + d, gateway.connect("dev-" + d, System.currentTimeMillis(), Map.of()));
        }
        devices.put("dev-online", gateway.reconnect(online, System.currentTimeMillis(), Map.of(0L, online.cursor(0))));
        Await.until(() -> "all delivered after restart: " + log(new File(dir, "dispatch-2.log")), 60_000,
            () -> gateway.poll() >= 0 && devices.values().stream().allMatch((t) -> t.cursor(0) == PUSHES_PER_DEVICE));

        for (final Map.Entry<String, TestDevice> device : devices.entrySet())
        {
            final List<String> expected = new ArrayList<>();
            final List<String> payloads = accepted.get(device.getKey());
            for (int i = 0; i < payloads.size(); i++)
            {
                expected.add("0:" + (i + 1) + ":" + payloads.get(i));
            }
            assertEquals(expected, device.getValue().processed(), device.getKey());
        }
    }

    private Process startDispatch(final File storeDir, final File log) throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        final List<String> command = List.of(
            java,
            "@" + new File("bin/jvm.options").getAbsolutePath(),
            "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            "-Dpushwire.aeron.dir=" + driver.aeronDirectoryName(),
            "-Dpushwire.link.term.length=64k",
            "-Dpushwire.store.directory=" + storeDir.getAbsolutePath(),
            "io.pushwire.box.Pushwire", "dispatch");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static String log(final File file)
    {
        try
        {
            final Path path = file.toPath();
            return Files.exists(path) ? Files.readString(path) : "(no log)";
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }
}
