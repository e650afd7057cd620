package io.pushwire.console;

import io.pushwire.link.AdminAuth;
import io.pushwire.link.AdminSigner;
import io.pushwire.link.ControlMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.ProcessStatus;
import io.pushwire.test.Await;
import io.aeron.Publication;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleTest
{
    @TempDir
    File statusDir;

    private SimulatedBox box;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start()
    {
        box = new SimulatedBox(statusDir);
    }

    @AfterEach
    void stop()
    {
        box.close();
    }

    private String output()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    private int run(final ConsoleContext ctx, final String... words)
    {
        try (Console console = new Console(ctx))
        {
            return console.execute(List.of(words));
        }
    }

    @Test
    void shouldShowEveryProcessWithVersionUptimeStateCountersAndErrors()
    {
        box.gatewayErrors.record(new IllegalStateException("socket trouble"));
        box.gatewayErrors.record(new IllegalStateException("socket trouble"));
        Await.until("a fresh heartbeat from every simulated process", 5_000, () ->
        {
            final long sinceMs = System.currentTimeMillis() - 1_000;
            final int[] fresh = new int[1];
            ProcessStatus.forEach(box.aeron.countersReader(), (entry) -> fresh[0] += entry.heartbeatMs() >= sinceMs ? 1 : 0);
            return fresh[0] == 2;
        });

        assertEquals(0, run(box.consoleContext(out), "status", "--interval", "0"));
        final String text = output();
        assertTrue(text.contains("PROCESS"), text);
        assertTrue(text.matches("(?s).*\\ndriver +aeron 1\\.\\d+\\.\\d+ +\\d+ +\\d\\d:\\d\\d:\\d\\d +up .*"), text);
        assertTrue(text.matches("(?s).*\\ndispatch-0 +0\\.1\\.0 +\\d+ +00:01:0\\d +up .*"), text);
        assertTrue(text.matches("(?s).*\\ngateway-0 +0\\.2\\.0-canary +\\d+ +00:00:0\\d +up +3 +- +- +512 +2\\n.*"), text);
        assertTrue(text.contains("gateway-0:"), text);
        assertTrue(text.matches("(?s).*\\n  connections +3 +-\\n.*"), text);
        assertTrue(text.contains("dispatch-0:"), text);
        assertTrue(text.matches("(?s).*\\n +41  control responses +2 +0 +0 B\\n.*"), text);
        assertTrue(text.contains("gateway-0: admin") || text.contains("admin refused unsigned"), text);
    }

    @Test
    void shouldComputeRatesFromTwoSamples() throws Exception
    {
        try (CncReader cnc = new CncReader(box.driver.aeronDirectoryName()))
        {
            final StatusSample before = StatusSample.take(cnc, 10_000);
            box.framesIn.getAndAdd(250);
            box.framesOut.getAndAdd(100);
            box.pushesAccepted.getAndAdd(30);
            final StatusSample after = StatusSample.take(cnc, 12_000);
            assertEquals(250, after.counter("gateway-0", "frames in") - before.counter("gateway-0", "frames in"));
            new StatusReport(statusDir).print(out, before, after, true);
        }
        final String text = output();
        assertTrue(text.contains("rates over 2.0 s"), text);
        assertTrue(text.matches("(?s).*\\ngateway-0 .* 3 +125 +50 +512 +0\\n.*"), text);
        assertTrue(text.matches("(?s).*\\ndispatch-0 .* +15 +- +- +0\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  frames in +250 +125\\n.*"), text);
    }

    @Test
    void shouldShowProcessesThatStoppedHeartbeatingAsSilent()
    {
        assertEquals("up", StatusReport.state(2_999));
        assertEquals("SILENT 12s", StatusReport.state(12_000));
        assertEquals("1d 01:01:01", StatusReport.uptime(TimeUnit.SECONDS.toMillis(86_400 + 3661)));
    }

    @Test
    void shouldRefreshTopForTheGivenIterations()
    {
        assertEquals(0, run(box.consoleContext(out), "top", "--interval", "200ms", "--iterations", "2"));
        final String text = output();
        assertEquals(2, text.split("pushwire status at ", -1).length - 1, text);
        assertTrue(text.contains("gateway-0"), text);
        assertTrue(!text.contains("COUNTER"), "top shows no per-counter detail: " + text);
    }

    @Test
    void shouldPrintTheDistinctErrorsOfEachProcess()
    {
        for (int i = 0; i < 3; i++)
        {
            box.gatewayErrors.record(new IllegalStateException("upstream stalled"));
        }
        box.gatewayErrors.record(new IllegalArgumentException("bad frame"));
        assertEquals(0, run(box.consoleContext(out), "errors"));
        final String text = output();
        assertTrue(text.contains("driver (CnC error log): no errors"), text);
        assertTrue(text.contains("gateway-0 (" + new File(statusDir, "gateway-0.err") + "): 2 distinct errors"), text);
        assertTrue(text.matches("(?s).*\\[3x] first \\d{4}-\\d\\d-\\d\\d .*\\n    java.lang.IllegalStateException: upstream stalled\\n    +at .*"), text);
        assertTrue(text.contains("java.lang.IllegalArgumentException: bad frame"), text);
    }

    @Test
    void shouldPrintLatencyPercentilesOverTheWindow()
    {
        final long now = System.currentTimeMillis();
        for (int i = 1; i <= 1000; i++)
        {
            box.pushLatency.record(TimeUnit.MICROSECONDS.toNanos(i));
        }
        box.pushLatency.poll(now);
        assertEquals(0, run(box.consoleContext(out), "latency", "--window", "60s"));
        final String text = output();
        assertTrue(text.contains("latency over the last 60 s"), text);
        assertTrue(text.matches("(?s).*\\ndispatch-0-push +1000 +50\\dus +90\\dus +99\\dus +999us +1\\.0ms\\n.*"), text);
    }

    @Test
    void shouldDrainAGatewayOverLocalIpc()
    {
        assertEquals(0, run(box.consoleContext(out), "drain", "0", "--rate", "250"));
        assertTrue(output().contains("gateway-0: draining at 250 connections/s"));
        assertEquals(List.of(250), box.drains);
    }

    @Test
    void shouldRefuseAnUnsignedRemoteCommandAndCountIt()
    {
        final ConsoleContext ctx = box.consoleContext(out).remote(true);
        assertEquals(1, run(ctx, "drain", "0"));
        final String text = output();
        assertTrue(text.contains("gateway-0: refused: remote command without a signature"), text);
        assertTrue(box.drains.isEmpty());
        assertEquals(1, box.adminCounters.count(AdminAuth.UNSIGNED));
    }

    @Test
    void shouldRefuseARemoteCommandSignedWithAnotherKey()
    {
        final byte[] wrong = SimulatedBox.SECRET.clone();
        wrong[0] ^= 1;
        final ConsoleContext ctx = box.consoleContext(out).remote(true)
            .signer(new AdminSigner(SimulatedBox.KEY_ID, wrong, SystemEpochClock.INSTANCE));
        assertEquals(1, run(ctx, "drain", "0"));
        assertTrue(output().contains("refused: bad signature"));
        assertEquals(1, box.adminCounters.count(AdminAuth.BAD_MAC));
        assertTrue(box.drains.isEmpty());
    }

    @Test
    void shouldAcceptASignedRemoteCommand()
    {
        final ConsoleContext ctx = box.consoleContext(out).remote(true)
            .signer(new AdminSigner(SimulatedBox.KEY_ID, SimulatedBox.SECRET, SystemEpochClock.INSTANCE));
        assertEquals(0, run(ctx, "drain", "0", "--rate", "40"));
        assertTrue(output().contains("gateway-0: draining at 40 connections/s"));
        assertEquals(List.of(40), box.drains);
        assertEquals(1, box.adminCounters.count(AdminAuth.OK));
    }

    @Test
    void shouldRefuseAReplayedSignedCommandAndCountIt()
    {
        final AdminSigner signer = new AdminSigner(SimulatedBox.KEY_ID, SimulatedBox.SECRET, SystemEpochClock.INSTANCE);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ControlMessages.DRAIN_LENGTH + AdminAuth.TRAILER_LENGTH]);
        ControlMessages.header(buffer, 0, ControlMessages.DRAIN, 42L, 1L);
        buffer.putInt(ControlMessages.GATEWAY_ID_OFFSET, 0);
        buffer.putInt(ControlMessages.DRAIN_RATE_OFFSET, 10);
        final int length = signer.sign(buffer, 0, ControlMessages.DRAIN_LENGTH);

        try (Publication publication = box.aeron.addPublication(box.remoteChannel, LinkConfiguration.CONTROL_STREAM_ID))
        {
            Await.until("remote control channel connected", 5_000, publication::isConnected);
            Await.until("first send", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("first drain", 5_000, () -> box.drains.size() == 1);
            Await.until("replay sent", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("replay refused and counted", 5_000, () -> box.adminCounters.count(AdminAuth.REPLAYED) == 1);
        }
        assertEquals(List.of(10), box.drains);
        assertEquals(1, box.adminCounters.count(AdminAuth.OK));
    }

    @Test
    void shouldRunCommandsLineByLineUntilQuit() throws Exception
    {
        try (Console console = new Console(box.consoleContext(out)))
        {
            final String lines = String.join("\n", "help", "# a comment", "latency --window 5s", "frobnicate", "quit", "status");
            assertEquals(2, console.repl(new BufferedReader(new StringReader(lines)), "> "));
        }
        final String text = output();
        assertTrue(text.contains("drain <gatewayId> [--rate N]"), text);
        assertTrue(text.contains("latency over the last 5 s"), text);
        assertTrue(text.contains("unknown command 'frobnicate'"), text);
        assertTrue(!text.contains("PROCESS"), "stopped at quit: " + text);
    }

    @Test
    void shouldSplitLinesWithQuotedWords()
    {
        assertEquals(List.of("push", "device", "d1", "hello world", "--ttl", "60s"),
            ConsoleArgs.split("push device d1 \"hello world\" --ttl 60s"));
    }

    @Test
    void shouldSayWhenNoDriverIsRunning()
    {
        final ConsoleContext ctx = box.consoleContext(out).aeronDir(new File(statusDir, "nothing").getPath());
        assertEquals(1, run(ctx, "status"));
        assertTrue(output().contains("failed: no media driver in"));
    }
}
