package io.pushwire.e2e;

import io.pushwire.box.JavaCommand;
import io.pushwire.protocol.Protocol;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushException;
import io.pushwire.sender.Who;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code pushwire sim} against a real {@code pushwire box}, both child processes on loopback: the box on free ports
 * and a private Aeron directory, the simulator's parent and worker JVMs holding 200 device connections. The unicast
 * scenario, with the devices' ACKs sent at once and 20 ms late, delivers every accepted push once and dispatch ends
 * with every device acknowledged up to its head; the broadcast scenario over two workers reaches every device, its
 * receipt counts every target delivered and dispatch has every device's ACK of both broadcasts. No device sees a
 * refused connect, a lost connection, a protocol error, an ERROR or BYE, a duplicate or a hole. Each scenario stops
 * by itself (its {@code --timeout}); the test kills only the processes it started, and each test has its own box
 * (a broadcast's targets are every device the box has ever seen).
 */
class SimRealBoxTest
{
    private static final int CONNECTIONS = 200;
    private static final long SIM_EXIT_TIMEOUT_MS = 60_000;
    private static final Pattern RECEIPT = Pattern.compile(
        "^sim: receipt: targets (\\d+), delivered (\\d+), pending (\\d+), expired (\\d+)$");

    @TempDir
    Path dir;

    private final List<String> boxOutput = new CopyOnWriteArrayList<>();
    private final List<String> simOutput = new CopyOnWriteArrayList<>();
    private final Set<Long> startedPids = new LinkedHashSet<>();
    private final List<Thread> outputReaders = new ArrayList<>();
    private String aeronDir;
    private int port;
    private Process box;
    private Process sim;
    private PushClient pushClient;

    @BeforeEach
    void startBox() throws IOException
    {
        port = E2e.freeTcpPort();
        final String shm = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        aeronDir = shm + "/pushwire-e2e-sim-" + UUID.randomUUID();
        box = start(JavaCommand.of(List.of(
            "-Xmx64m",
            "-Dpushwire.aeron.dir=" + aeronDir,
            "-Dpushwire.box.data.dir=" + dir.resolve("box"),
            "-Dpushwire.box.gateways=1",
            "-Dpushwire.box.gateway.heap=96m",
            "-Dpushwire.box.dispatch.heap=192m",
            "-Dpushwire.box.stop.timeout=10s",
            "-Dpushwire.link.term.length=64k",
            "-Dpushwire.gateway.port=" + port,
            "-Dpushwire.gateway.probe-port=" + E2e.freeUdpPort(),
            "-Dpushwire.gateway.reactors=1",
            "-Dpushwire.gateway.max-connections=512",
            "-Dpushwire.gateway.chunks=256",
            "-Dpushwire.gateway.stop-timeout=2s"), List.of("box")), boxOutput, "box-output");
        E2e.await(() -> "box ready: " + boxOutput + boxLogs(), 30_000,
            () -> boxOutput.stream().anyMatch((line) -> line.startsWith("box: ready")));
        // "box: ready" comes once dispatch and the gateway serve: the sim's devices may connect at once.
        box.descendants().forEach((child) -> startedPids.add(child.pid()));
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        CloseHelper.quietClose(pushClient);
        try
        {
            if (null != sim && sim.isAlive())
            {
                sim.descendants().forEach((child) -> startedPids.add(child.pid()));
                sim.destroyForcibly();
                sim.waitFor(10, TimeUnit.SECONDS);
            }
            if (null != box && box.isAlive())
            {
                box.descendants().forEach((child) -> startedPids.add(child.pid()));
                // SIGTERM through the handle: Process.destroy() would also close our end of the box's stdout pipe.
                box.toHandle().destroy();
                if (!box.waitFor(30, TimeUnit.SECONDS))
                {
                    box.destroyForcibly();
                    box.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        finally
        {
            for (final long pid : startedPids)
            {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (final Thread reader : outputReaders)
            {
                reader.join(5_000);
            }
            if (null != aeronDir)
            {
                IoUtil.delete(new File(aeronDir), true);
            }
        }
    }

    @ParameterizedTest(name = "ack delay {0}")
    @ValueSource(strings = { "20ms", "0ms" })
    void shouldDeliverEveryAcceptedUnicastPushOnceAndHaveDispatchSeeEveryAck(final String ackDelay) throws Exception
    {
        final String json = runSim(
            "--scenario", "unicast",
            "--connections", Integer.toString(CONNECTIONS),
            "--rate", "1000",
            "--warmup", "1s",
            "--duration", "2s",
            "--ack-delay", ackDelay);

        assertEquals("true", field(json, "allConnected"), json);
        assertEquals(CONNECTIONS, number(json, "welcomed"), json);
        assertEquals(CONNECTIONS, number(json, "held"), json);
        assertEquals(1, number(json, "workers"), json);
        final long accepted = number(json, "accepted");
        assertTrue(accepted > 0, json);
        assertEquals(0, number(json, "refused"), json);
        assertEquals(accepted, number(json, "unicastDelivered"), () -> "every accepted push delivered once: " + json);
        assertEquals(accepted, number(field(json, "unicastLatency"), "count"), json);
        assertHealthy(json);

        // Dispatch has every device acknowledged up to its head: the devices' ACKs (delayed or not) reached it.
        pushClient = PushClient.connect(aeronDir).awaitConnected(Duration.ofSeconds(10));
        final List<String> devices = deviceIds(1, CONNECTIONS);
        E2e.await(() -> "every device acked up to its head: " + unacked(devices, Protocol.UNICAST_STREAM_ID) + simOutput,
            10_000, () -> unacked(devices, Protocol.UNICAST_STREAM_ID).isEmpty());
        long pushedAll = 0;
        for (final String device : devices)
        {
            pushedAll += stream(who(device), Protocol.UNICAST_STREAM_ID).headSeq();
        }
        assertTrue(pushedAll > accepted, "the warm-up's pushes come on top of the measured " + accepted + ": " + pushedAll);
    }

    @Test
    void shouldDeliverTheMeasuredBroadcastToEveryDeviceOverTwoWorkers() throws Exception
    {
        final String json = runSim(
            "--scenario", "broadcast",
            "--connections", Integer.toString(CONNECTIONS),
            "--per-worker", Integer.toString(CONNECTIONS / 2),
            "--warmup-broadcasts", "1",
            "--rounds", "2",
            "--ack-delay", "20ms");

        assertEquals("true", field(json, "allConnected"), json);
        assertEquals(2, number(json, "workers"), json);
        assertEquals(CONNECTIONS, number(json, "welcomed"), json);
        assertEquals(CONNECTIONS, number(json, "broadcastReached"), json);
        assertEquals(CONNECTIONS, number(json, "broadcastDelivered"), json);
        assertEquals(CONNECTIONS, number(field(json, "broadcastLatency"), "count"), json);
        assertHealthy(json);

        final Matcher receipt = simOutput.stream().map(RECEIPT::matcher).filter(Matcher::find).findFirst()
            .orElseThrow(() -> new AssertionError("no receipt line: " + simOutput));
        assertEquals(CONNECTIONS, Integer.parseInt(receipt.group(1)), () -> "targets: " + receipt.group());
        assertEquals(CONNECTIONS, Integer.parseInt(receipt.group(2)), () -> "delivered == targets: " + receipt.group());
        assertEquals("targets " + CONNECTIONS + ", delivered " + CONNECTIONS + ", pending 0, expired 0", field(json, "receipt"));

        pushClient = PushClient.connect(aeronDir).awaitConnected(Duration.ofSeconds(10));
        final List<String> devices = deviceIds(2, CONNECTIONS / 2);
        E2e.await(() -> "every device acked all three broadcasts: " + unacked(devices, Protocol.BROADCAST_STREAM_ID) + simOutput,
            10_000, () -> unacked(devices, Protocol.BROADCAST_STREAM_ID).isEmpty());
        assertEquals(3, stream(who(devices.get(0)), Protocol.BROADCAST_STREAM_ID).headSeq(),
            "the warm-up broadcast and the two measured ones");
        assertEquals(2, field(json, "broadcastRoundsMs").split(",").length, json);
    }

    /**
     * Runs {@code pushwire sim} with the options, against the box, until it stops by itself.
     *
     * @return the JSON result it wrote.
     */
    private String runSim(final String... options) throws Exception
    {
        final Path result = dir.resolve("result.json");
        final List<String> args = new ArrayList<>(List.of("sim",
            "--target", "127.0.0.1:" + port,
            "--output", result.toString(),
            "--timeout", "45s"));
        args.addAll(List.of(options));
        sim = start(JavaCommand.of(List.of(
            "-Xmx128m",
            "-Dpushwire.aeron.dir=" + aeronDir,
            "-Dpushwire.link.term.length=64k"), args), simOutput, "sim-output");

        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SIM_EXIT_TIMEOUT_MS);
        while (!sim.waitFor(100, TimeUnit.MILLISECONDS))
        {
            sim.descendants().forEach((child) -> startedPids.add(child.pid()));
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("the sim did not stop by itself in " + SIM_EXIT_TIMEOUT_MS + " ms: " + simOutput + boxLogs());
            }
        }
        assertEquals(0, sim.exitValue(), () -> "sim exit code: " + simOutput + boxLogs());
        assertTrue(Files.exists(result), () -> "no result written: " + simOutput);
        return Files.readString(result);
    }

    /**
     * No device saw a protocol error, an ERROR or BYE frame, a redirect, a lost connection or a duplicate.
     */
    private void assertHealthy(final String json)
    {
        for (final String counter : List.of("connectFailures", "reconnects", "closedByPeer", "protocolErrors", "redirects",
            "duplicates", "holes"))
        {
            assertEquals(0, number(json, counter), () -> counter + ": " + json + "\n" + simOutput + boxLogs());
        }
        assertEquals("", field(json, "byes"), json);
        assertEquals("", field(json, "errors"), json);
    }

    /**
     * @return the sim's device ids: {@code sim-<worker>-<n>}.
     */
    private static List<String> deviceIds(final int workers, final int perWorker)
    {
        final List<String> ids = new ArrayList<>();
        for (int w = 0; w < workers; w++)
        {
            for (int i = 0; i < perWorker; i++)
            {
                ids.add("sim-" + w + "-" + i);
            }
        }
        return ids;
    }

    /**
     * @return the devices (with their stream state) that dispatch has nothing on the stream for, or that have not
     * acknowledged it up to its head.
     */
    private List<String> unacked(final List<String> devices, final long streamId)
    {
        final List<String> unacked = new ArrayList<>();
        for (final String device : devices)
        {
            final Who.StreamState stream = stream(who(device), streamId);
            if (null == stream || stream.headSeq() == 0 || stream.ackedSeq() != stream.headSeq())
            {
                unacked.add(device + " " + stream);
            }
        }
        return unacked;
    }

    private Who who(final String device)
    {
        try
        {
            return pushClient.who(device);
        }
        catch (final PushException ex)
        {
            throw new AssertionError("WHO " + device, ex);
        }
    }

    private static Who.StreamState stream(final Who who, final long streamId)
    {
        return who.streams().stream().filter((s) -> s.streamId() == streamId).findFirst().orElse(null);
    }

    /**
     * @return the raw value of the first {@code "name":} in the JSON text: a number, {@code true}/{@code false}, a
     * string's contents, or an object's or array's text (the result is flat but for its latency objects and the
     * broadcast rounds).
     */
    private static String field(final String json, final String name)
    {
        final String key = "\"" + name + "\":";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            throw new AssertionError("no \"" + name + "\" in " + json);
        }
        final int from = start + key.length();
        return switch (json.charAt(from))
        {
            case '"' -> json.substring(from + 1, json.indexOf('"', from + 1));
            case '{' -> json.substring(from, json.indexOf('}', from) + 1);
            case '[' -> json.substring(from, json.indexOf(']', from) + 1);
            default ->
            {
                int end = from;
                while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0)
                {
                    end++;
                }
                yield json.substring(from, end).trim();
            }
        };
    }

    private static long number(final String json, final String name)
    {
        return Long.parseLong(field(json, name));
    }

    private Process start(final List<String> command, final List<String> output, final String readerName) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        startedPids.add(process.pid());
        outputReaders.add(Thread.ofPlatform().daemon().name(readerName).start(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    output.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // The process is gone; what it said is in output.
            }
        }));
        return process;
    }

    /**
     * @return the box's children's log files, for failure messages.
     */
    private String boxLogs()
    {
        final Path logDir = dir.resolve("box").resolve("logs");
        if (!Files.isDirectory(logDir))
        {
            return "";
        }
        final StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(logDir))
        {
            for (final Path file : files.sorted().toList())
            {
                final List<String> lines = Files.readAllLines(file);
                sb.append("\n--- ").append(file.getFileName()).append(" (last 30 lines)\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        }
        catch (final IOException ex)
        {
            sb.append(ex);
        }
        return sb.toString();
    }
}
