package io.pushwire.bench.gateway;

import io.aeron.Aeron;
import io.pushwire.gateway.GatewayCounters;
import io.pushwire.gateway.GatewayProcess;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.UpstreamAdapter;
import io.pushwire.link.UpstreamListener;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.DirectBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gateway memory per idle authenticated connection. Starts a media driver and a dispatch stand-in (an
 * upstream sink) in this JVM, one gateway child JVM ({@code -Xms/-Xmx 512m}, NMT summary), measures RSS,
 * heap after a full GC (class histogram) and NMT, connects {@code clients x perClient} devices from client
 * child JVMs (each under the 20,000 descriptor cap), measures again and prints the deltas per connection.
 * Stops by itself: every wait is bounded. Run: see bench/README.md (Gateway).
 */
public final class GatewayMemoryBench
{
    public static void main(final String[] args) throws Exception
    {
        final int clients = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 9_500;
        final int total = clients * perClient;
        final int gatewayId = 9;
        try (EmbeddedDriver driver = new EmbeddedDriver(); Aeron aeron = driver.connect())
        {
            final UpstreamAdapter sink = new UpstreamAdapter(
                aeron.addSubscription("aeron:ipc", LinkConfiguration.UPSTREAM_STREAM_ID), new Sink());
            final int port = GatewayProcess.freePort();
            try (GatewayProcess gateway = new GatewayProcess("bench-gateway",
                List.of("-Xms512m", "-Xmx512m", "-XX:NativeMemoryTracking=summary"), "io.pushwire.box.Pushwire", List.of(
                    "gateway", "--id", String.valueOf(gatewayId), "--port", String.valueOf(port), "--reactors", "2",
                    "--max-connections", String.valueOf(total), "--capacity-high", "100", "--capacity-low", "99",
                    "--dir", driver.aeronDirectoryName(), "--term-length", "1m")))
            {
                final long pid = gateway.pid();
                awaitLog(gateway.log(), "gateway: gateway-", 30_000);
                poll(sink, 2_000);
                final Snapshot before = Snapshot.take(pid);

                final List<Process> swarms = new ArrayList<>();
                for (int c = 0; c < clients; c++)
                {
                    final GatewayProcess swarm = new GatewayProcess("bench-swarm-" + c, List.of("-Xmx256m"),
                        "io.pushwire.gateway.DeviceSwarm",
                        List.of(String.valueOf(perClient), "127.0.0.1", String.valueOf(port), "8", "bench" + c, "170"));
                    swarms.add(swarm.process());
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                while (GatewayProcess.counter(aeron, GatewayCounters.SESSIONS, gatewayId) < total && System.nanoTime() < deadline)
                {
                    sink.poll(1000);
                }
                poll(sink, 3_000);
                final long sessions = GatewayProcess.counter(aeron, GatewayCounters.SESSIONS, gatewayId);
                final Snapshot after = Snapshot.take(pid);

                System.out.println("connections held: " + sessions + " of " + total);
                System.out.println("before: " + before);
                System.out.println("after:  " + after);
                final long n = Math.max(1, sessions);
                System.out.printf("per connection: RSS %d B, heap (live, after full GC) %d B, NMT committed %d B%n",
                    (after.rssKb - before.rssKb) * 1024 / n, (after.heapBytes - before.heapBytes) / n,
                    (after.nmtCommittedKb - before.nmtCommittedKb) * 1024 / n);
                System.out.println("class histogram top, after:");
                after.histogramTop.forEach(System.out::println);
                System.out.println("NMT after:\n" + after.nmt);
                for (final Process swarm : swarms)
                {
                    swarm.destroy();
                }
                for (final Process swarm : swarms)
                {
                    swarm.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void poll(final UpstreamAdapter sink, final long millis)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end)
        {
            if (0 == sink.poll(1000))
            {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitLog(final Path log, final String text, final long timeoutMs) throws Exception
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < end)
        {
            if (Files.exists(log) && Files.readString(log).contains(text))
            {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway did not start: " + Files.readString(log));
    }

    private record Snapshot(long rssKb, long heapBytes, long nmtCommittedKb, List<String> histogramTop, String nmt)
    {
        static Snapshot take(final long pid) throws Exception
        {
            run("jcmd", String.valueOf(pid), "GC.run");
            final List<String> histogram = run("jcmd", String.valueOf(pid), "GC.class_histogram");
            long heap = 0;
            final List<String> top = new ArrayList<>();
            for (final String line : histogram)
            {
                if (line.startsWith("Total"))
                {
                    heap = Long.parseLong(line.trim().split("\\s+")[2]);
                }
                else if (line.matches("\\s*\\d+:.*") && top.size() < 15)
                {
                    top.add(line);
                }
            }
            final List<String> nmt = run("jcmd", String.valueOf(pid), "VM.native_memory", "summary");
            long committed = 0;
            for (final String line : nmt)
            {
                if (line.startsWith("Total:"))
                {
                    final int i = line.indexOf("committed=");
                    committed = Long.parseLong(line.substring(i + 10).replaceAll("[^0-9].*", ""));
                }
            }
            long rss = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new Snapshot(rss, heap, committed, top, String.join("\n", nmt.subList(0, Math.min(40, nmt.size()))));
        }

        public String toString()
        {
            return "RSS " + rssKb + " KiB, live heap " + heapBytes + " B, NMT committed " + nmtCommittedKb + " KiB";
        }
    }

    private static List<String> run(final String... command) throws Exception
    {
        final String[] full = command.clone();
        full[0] = Path.of(System.getProperty("java.home"), "bin", command[0]).toString();
        final Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream())))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                lines.add(line);
            }
        }
        process.waitFor(60, TimeUnit.SECONDS);
        return lines;
    }

    private static final class Sink implements UpstreamListener
    {
        public void onSessionOpened(
            final long connectionId, final long openedAtMs, final int heartbeatSec, final DirectBuffer buffer, final int offset,
            final int length)
        {
        }

        public void onSessionClosed(final long connectionId, final int closeReason)
        {
        }

        public void onDeviceFrame(final long connectionId, final int frameType, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void onGatewayStatus(
            final int gatewayId, final long instanceId, final long timestampMs, final int reactorCount, final int connections,
            final int flags, final String versionLabel)
        {
        }
    }
}
