package io.pushwire.e2e;

import io.pushwire.box.JavaCommand;
import io.pushwire.client.DeviceClient;
import io.pushwire.protocol.CloseReason;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pushwire box} as a child process: it starts a media driver, dispatch and one gateway as its own
 * children on a free port and a private Aeron directory; a device connects through the SDK and pushes reach
 * it through {@link PushClient}; {@code box: ready} comes once the gateway accepts (a connect right after it
 * succeeds); a {@code kill -9} of the gateway is noticed, the gateway restarted and said to serve again, the
 * device comes back by itself; SIGTERM stops gateways, then dispatch, then the driver, and leaves no child
 * behind.
 */
class BoxSupervisorTest
{
    private static final Pattern STARTED = Pattern.compile("box: (\\S+) started, pid (\\d+)");
    private static final Pattern RESTARTED = Pattern.compile("box: gateway-0 restarted as pid (\\d+) \\(restart 1\\)");
    private static final String DEVICE = "box-phone";

    @TempDir
    Path dataDir;

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Long> childPids = new ArrayList<>();
    private String aeronDir;
    private Process box;
    private Thread outputReader;
    private PushClient pushClient;
    private DeviceClient device;

    @AfterEach
    void stop() throws InterruptedException
    {
        CloseHelper.quietCloseAll(device, pushClient);
        if (null != box && box.isAlive())
        {
            box.descendants().forEach((child) -> childPids.add(child.pid()));
            box.destroyForcibly();
            box.waitFor(10, TimeUnit.SECONDS);
        }
        for (final long pid : childPids)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (null != aeronDir)
        {
            IoUtil.delete(new File(aeronDir), true);
        }
    }

    @Test
    void shouldRestartACrashedGatewayAndStopItsChildrenInOrder() throws Exception
    {
        final int port = E2e.freeTcpPort();
        final int probePort = E2e.freeUdpPort();
        final String shm = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        aeronDir = shm + "/pushwire-e2e-box-" + UUID.randomUUID();
        box = startBox(port, probePort);

        awaitLine("box: ready", 30_000);
        final long driverPid = startedPid("driver");
        final long dispatchPid = startedPid("dispatch");
        final long gatewayPid = startedPid("gateway-0");
        childPids.addAll(List.of(driverPid, dispatchPid, gatewayPid));
        // Ready means the gateway accepts: the first connect succeeds, with no retry.
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        }

        pushClient = PushClient.connect(aeronDir).awaitConnected(Duration.ofSeconds(20));
        final DeviceRecorder recorder = new DeviceRecorder();
        device = DeviceClient.start(new DeviceClient.Context()
            .deviceId(DEVICE)
            .token(E2e.token(DEVICE))
            .fallbackAddresses(List.of("127.0.0.1:" + port))
            .probePort(probePort)
            .probeTimeoutMs(300)
            .connectTimeoutMs(2_000)
            .welcomeTimeoutMs(5_000)
            .heartbeat(30, 10, 60)
            .reconnectBackoff(100, 1_000, 0.5)
            .cursorFile(dataDir.resolve("device.state"))
            .listener(recorder));
        E2e.await(() -> "device connected to the box: " + recorder.states + " " + logs(), 20_000, () -> recorder.sessions.size() == 1);
        assertTrue(recorder.selections.get(0).rttNs() >= 0, "the gateway answered the probe on its probe port");
        pushClient.push(PushRequest.toDevice(DEVICE).payload("before the crash"));
        E2e.await(() -> "first push delivered: " + recorder.messages, 10_000, () -> recorder.payloads().contains("before the crash"));

        assertTrue(ProcessHandle.of(gatewayPid).orElseThrow().destroyForcibly(), "kill -9 the gateway");
        awaitLine("box: gateway-0 (pid " + gatewayPid + ") exited with 137; restarting in 500 ms", 10_000);
        final long restartedPid = Long.parseLong(awaitMatch(RESTARTED, 10_000).group(1));
        childPids.add(restartedPid);
        assertTrue(restartedPid != gatewayPid);
        awaitLine("box: gateway-0 (pid " + restartedPid + ") serving again", 20_000);

        E2e.await(() -> "device back through the restarted gateway: " + recorder.states + " " + logs(), 20_000,
            () -> recorder.sessions.size() == 2);
        pushClient.push(PushRequest.toDevice(DEVICE).payload("after the restart"));
        E2e.await(() -> "second push delivered: " + recorder.messages, 10_000, () -> recorder.payloads().contains("after the restart"));
        assertEquals(List.of("before the crash", "after the restart"), recorder.payloads());
        CloseHelper.close(pushClient);
        pushClient = null;

        // SIGTERM through the handle: Process.destroy() would also close our end of the box's stdout pipe.
        assertTrue(box.toHandle().destroy(), "SIGTERM sent");
        assertTrue(box.waitFor(40, TimeUnit.SECONDS), () -> "the box stopped on SIGTERM: " + output);
        outputReader.join(5_000);
        final int stopping = indexOf("box: stopping: gateways, then dispatch, then the driver");
        final int gatewayStopped = indexOf("box: gateway-0 stopped: exit ");
        final int dispatchStopped = indexOf("box: dispatch stopped: exit ");
        final int driverStopped = indexOf("box: driver stopped: exit ");
        assertTrue(stopping >= 0 && stopping < gatewayStopped && gatewayStopped < dispatchStopped &&
            dispatchStopped < driverStopped, () -> "stopped in order (exit " + box.exitValue() + "): " + output + logs());
        assertFalse(output.stream().anyMatch((line) -> line.endsWith("stopped: exit -1")), () -> "none had to be killed: " + output);
        for (final long pid : List.of(driverPid, dispatchPid, restartedPid))
        {
            E2e.await("child " + pid + " gone", 10_000, () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false);
        }
        E2e.await(() -> "the device was told the gateway is shutting down: " + recorder.byes, 5_000,
            () -> recorder.byes.contains(CloseReason.SHUTDOWN));
    }

    private Process startBox(final int port, final int probePort) throws IOException
    {
        final List<String> command = JavaCommand.of(List.of(
            "-Xmx64m",
            "-Dpushwire.aeron.dir=" + aeronDir,
            "-Dpushwire.box.data.dir=" + dataDir,
            "-Dpushwire.box.gateways=1",
            "-Dpushwire.box.gateway.heap=96m",
            "-Dpushwire.box.dispatch.heap=192m",
            "-Dpushwire.box.stop.timeout=15s",
            "-Dpushwire.link.term.length=64k",
            "-Dpushwire.gateway.port=" + port,
            "-Dpushwire.gateway.probe-port=" + probePort,
            "-Dpushwire.gateway.reactors=1",
            "-Dpushwire.gateway.max-connections=256",
            "-Dpushwire.gateway.chunks=64",
            "-Dpushwire.gateway.stop-timeout=2s"), List.of("box"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        outputReader = Thread.ofPlatform().daemon().name("box-output").start(() ->
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
                // The box is gone; what it said is in output.
            }
        });
        return process;
    }

    private void awaitLine(final String prefix, final long timeoutMs)
    {
        E2e.await(() -> "box output line \"" + prefix + "\": " + output + logs(), timeoutMs, () -> indexOf(prefix) >= 0);
    }

    private Matcher awaitMatch(final Pattern pattern, final long timeoutMs)
    {
        E2e.await(() -> "box output matching " + pattern + ": " + output + logs(), timeoutMs, () -> find(pattern).isPresent());
        return find(pattern).orElseThrow();
    }

    private Optional<Matcher> find(final Pattern pattern)
    {
        return output.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
    }

    private long startedPid(final String name)
    {
        return output.stream()
            .map(STARTED::matcher)
            .filter((m) -> m.find() && m.group(1).equals(name))
            .map((m) -> Long.parseLong(m.group(2)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no \"" + name + " started, pid\" line in " + output));
    }

    private int indexOf(final String prefix)
    {
        for (int i = 0; i < output.size(); i++)
        {
            if (output.get(i).startsWith(prefix))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the children's log files, for failure messages.
     */
    private String logs()
    {
        final Path logDir = dataDir.resolve("logs");
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
