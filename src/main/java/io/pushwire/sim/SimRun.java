package io.pushwire.sim;

import io.aeron.Aeron;
import io.pushwire.config.Setting;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.ProcessStatus;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One simulator run in the parent process: starts the workers, waits until every device is
 * welcomed, runs the scenario, gathers and merges the workers' figures, measures the gateways'
 * resident memory, prints a summary and writes the JSON result.
 */
final class SimRun
{
    private final PrintStream out;
    private final List<SimCommand.Worker> workers = new ArrayList<>();
    private final SimStats total = new SimStats();
    private final StringBuilder json = new StringBuilder(2048);

    SimRun(final PrintStream out)
    {
        this.out = out;
    }

    int run() throws Exception
    {
        final String scenario = SimConfiguration.SCENARIO.get().trim();
        if (!List.of("idle", "unicast", "broadcast", "reconnect-storm").contains(scenario))
        {
            throw new IllegalArgumentException("unknown scenario '" + scenario + "' (idle, unicast, broadcast, reconnect-storm)");
        }
        final int connections = SimConfiguration.CONNECTIONS.getInt();
        final int perWorker = Math.max(1, SimConfiguration.PER_WORKER.getInt());
        final long timeoutNs = SimConfiguration.TIMEOUT.getDurationNs(TimeUnit.SECONDS);
        final long deadlineNs = System.nanoTime() + timeoutNs;
        final long durationNs = SimConfiguration.DURATION.getDurationNs(TimeUnit.SECONDS);

        final List<Long> gatewayPids = gatewayPids();
        final long[] rssBefore = rss(gatewayPids);
        say("scenario %s: %,d connections to %s, %d worker(s), gateways %s", scenario, connections,
            SimConfiguration.TARGET.get(), (connections + perWorker - 1) / perWorker, gatewayPids);

        final int workerCount = (connections + perWorker - 1) / perWorker;
        final int workerRate = Math.max(1, SimConfiguration.CONNECT_RATE.getInt() / Math.max(1, workerCount));
        final long startNs = System.nanoTime();
        try
        {
            for (int w = 0; w < workerCount; w++)
            {
                final int count = Math.min(perWorker, connections - w * perWorker);
                workers.add(new SimCommand.Worker(w, count, workerJvmArgs(workerRate)));
            }

            final boolean allUp = awaitReady(deadlineNs);
            final long connectNs = System.nanoTime() - startNs;
            say("%s: %,d of %,d welcomed in %.1f s", allUp ? "connected" : "NOT all connected", welcomedNow(), connections, connectNs / 1e9);
            json.append("\"scenario\":\"").append(scenario).append("\",\"connections\":").append(connections)
                .append(",\"workers\":").append(workerCount).append(",\"allConnected\":").append(allUp)
                .append(",\"connectSeconds\":").append(fmt(connectNs / 1e9));

            switch (scenario)
            {
                case "idle" -> hold(Math.min(durationNs, deadlineNs - System.nanoTime()));
                case "reconnect-storm" -> reconnectStorm(deadlineNs);
                default -> throw new IllegalStateException("scenario " + scenario + " needs a sender; not available in this build");
            }

            final long[] rssAfter = rss(gatewayPids);
            gatherStats(deadlineNs);
            report(gatewayPids, rssBefore, rssAfter, welcomedNow());
            return 0;
        }
        finally
        {
            for (final SimCommand.Worker worker : workers)
            {
                worker.stop();
            }
        }
    }

    private void hold(final long durationNs) throws InterruptedException
    {
        final long endNs = System.nanoTime() + durationNs;
        say("holding for %d s", TimeUnit.NANOSECONDS.toSeconds(durationNs));
        while (System.nanoTime() - endNs < 0)
        {
            Thread.sleep(Math.min(10_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNs - System.nanoTime()))));
            say("  %,d connections held", welcomedNow());
        }
        json.append(",\"heldSeconds\":").append(TimeUnit.NANOSECONDS.toSeconds(durationNs));
    }

    private void reconnectStorm(final long deadlineNs) throws InterruptedException
    {
        say("dropping every connection at once");
        final long startNs = System.nanoTime();
        for (final SimCommand.Worker worker : workers)
        {
            worker.send("drop");
        }
        final boolean allBack = awaitReady(deadlineNs);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        say("%s: %,d back in %.2f s", allBack ? "all back" : "NOT all back", welcomedNow(), seconds);
        json.append(",\"reconnectSeconds\":").append(fmt(seconds)).append(",\"allReconnected\":").append(allBack);
    }

    private boolean awaitReady(final long deadlineNs) throws InterruptedException
    {
        boolean all = true;
        for (final SimCommand.Worker worker : workers)
        {
            all &= null != worker.await("ready", deadlineNs);
        }
        return all;
    }

    private long welcomedNow()
    {
        long sum = 0;
        for (final SimCommand.Worker worker : workers)
        {
            sum += worker.welcomedNow;
        }
        return sum;
    }

    private void gatherStats(final long deadlineNs) throws InterruptedException
    {
        for (final SimCommand.Worker worker : workers)
        {
            worker.send("report");
        }
        for (final SimCommand.Worker worker : workers)
        {
            final String line = worker.await("stats ", Math.max(deadlineNs, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            if (null != line)
            {
                total.add(line.substring("stats ".length()));
            }
        }
    }

    private void report(final List<Long> pids, final long[] before, final long[] after, final long held) throws IOException
    {
        say("welcomed %,d (now %,d), connect failures %,d, reconnects %,d, closed by peer %,d, protocol errors %,d, byes [%s], errors [%s]",
            total.welcomed, held, total.connectFailures, total.reconnects, total.closedByPeer, total.protocolErrors,
            codes(total.byes), codes(total.errors));
        say("heartbeats: %,d pings, %,d pongs", total.pings, total.pongs);
        latency("connect (TCP connect to WELCOME)", total.connectLatency, "connectLatency");
        if (total.unicastDelivered > 0)
        {
            latency("unicast push to device", total.unicastLatency, "unicastLatency");
        }
        if (total.broadcastDelivered > 0)
        {
            latency("broadcast push to device", total.broadcastLatency, "broadcastLatency");
        }
        json.append(",\"welcomed\":").append(total.welcomed).append(",\"held\":").append(held)
            .append(",\"connectFailures\":").append(total.connectFailures).append(",\"reconnects\":").append(total.reconnects)
            .append(",\"pings\":").append(total.pings).append(",\"pongs\":").append(total.pongs)
            .append(",\"unicastDelivered\":").append(total.unicastDelivered).append(",\"duplicates\":").append(total.duplicates)
            .append(",\"broadcastDelivered\":").append(total.broadcastDelivered);

        long rssDeltaKb = 0;
        json.append(",\"gateways\":[");
        for (int i = 0; i < pids.size(); i++)
        {
            rssDeltaKb += after[i] - before[i];
            json.append(i == 0 ? "" : ",").append("{\"pid\":").append(pids.get(i)).append(",\"rssBeforeKb\":").append(before[i])
                .append(",\"rssAfterKb\":").append(after[i]).append('}');
            say("gateway pid %d: RSS %,d kB before, %,d kB after", pids.get(i), before[i], after[i]);
        }
        json.append(']');
        if (!pids.isEmpty() && held > 0)
        {
            final double perConnection = rssDeltaKb * 1024.0 / held;
            say("gateway RSS per connection: %.0f bytes (%,d kB over %,d connections)", perConnection, rssDeltaKb, held);
            json.append(",\"gatewayRssBytesPerConnection\":").append(fmt(perConnection));
        }
        final Path output = Path.of(SimConfiguration.OUTPUT.get());
        Files.writeString(output, "{" + json + "}\n", StandardCharsets.UTF_8);
        say("result written to %s", output.toAbsolutePath());
    }

    private void latency(final String what, final Histogram h, final String name)
    {
        say("%s: n=%,d p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms", what, h.getTotalCount(),
            ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        json.append(",\"").append(name).append("\":{\"count\":").append(h.getTotalCount())
            .append(",\"p50Ms\":").append(fmt(ms(h.getValueAtPercentile(50))))
            .append(",\"p99Ms\":").append(fmt(ms(h.getValueAtPercentile(99))))
            .append(",\"p999Ms\":").append(fmt(ms(h.getValueAtPercentile(99.9))))
            .append(",\"maxMs\":").append(fmt(ms(h.getMaxValue()))).append('}');
    }

    private static List<String> workerJvmArgs(final int connectRate)
    {
        final List<String> args = new ArrayList<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("pushwire."))
            {
                args.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        args.add("-D" + SimConfiguration.CONNECT_RATE.propertyName() + "=" + connectRate);
        args.add("-Xmx256m");
        args.add("-XX:+UseSerialGC");
        return args;
    }

    /**
     * @return the pids named by {@link SimConfiguration#GATEWAY_PIDS}, else every live gateway registered
     * in the box's Aeron directory, else none (memory is then not measured).
     */
    private static List<Long> gatewayPids()
    {
        final List<Long> pids = new ArrayList<>();
        final String configured = SimConfiguration.GATEWAY_PIDS.get().trim();
        if (!configured.isEmpty())
        {
            for (final String pid : configured.split(","))
            {
                pids.add(Long.parseLong(pid.trim()));
            }
            return pids;
        }
        final Setting dir = LinkConfiguration.AERON_DIR;
        if (!Files.exists(Path.of(dir.get(), "cnc.dat")))
        {
            return pids;
        }
        try (Aeron aeron = BoxMediaDriver.connect(dir.get(), "sim"))
        {
            final long nowMs = System.currentTimeMillis();
            ProcessStatus.forEach(aeron.countersReader(), (entry) ->
            {
                if (entry.role() == ProcessStatus.ROLE_GATEWAY && nowMs - entry.heartbeatMs() < 5_000 &&
                    ProcessHandle.of(entry.pid()).map(ProcessHandle::isAlive).orElse(false))
                {
                    pids.add(entry.pid());
                }
            });
        }
        catch (final RuntimeException ex)
        {
            System.err.println("sim: cannot read the box's processes from " + dir.get() + ": " + ex.getMessage());
        }
        return pids;
    }

    static long[] rss(final List<Long> pids)
    {
        final long[] kb = new long[pids.size()];
        for (int i = 0; i < kb.length; i++)
        {
            kb[i] = rssKb(pids.get(i));
        }
        return kb;
    }

    static long rssKb(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
        return -1;
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static String fmt(final double value)
    {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String codes(final java.util.Map<Integer, Long> map)
    {
        return map.toString();
    }

    private void say(final String format, final Object... args)
    {
        out.println("sim: " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
