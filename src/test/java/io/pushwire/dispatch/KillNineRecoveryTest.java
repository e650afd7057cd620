package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch as a child process on the test's media driver: pushes until accepted, {@code kill -9}, restart
 * on the same store, and every accepted message reaches its device, in order, once.
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

    @AfterEach
    void stop() throws InterruptedException
    {
        if (null != dispatch)
        {
            dispatch.destroyForcibly();
            dispatch.waitFor(10, TimeUnit.SECONDS);
        }
        CloseHelper.closeAll(client, gateway, aeron, driver);
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
