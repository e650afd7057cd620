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
import java.util.Arrays;
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
    private SimStats total = new SimStats();
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
                case "unicast" -> unicast(connections, perWorker, Math.min(durationNs, deadlineNs - System.nanoTime()), deadlineNs);
                default -> broadcast(connections, deadlineNs);
            }

            final long[] rssAfter = rss(gatewayPids);
            total = collect(deadlineNs);
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

    /**
     * @return every worker's figures so far, merged.
     */
    private SimStats collect(final long deadlineNs) throws InterruptedException
    {
        final SimStats merged = new SimStats();
        for (final SimCommand.Worker worker : workers)
        {
            worker.send("report");
        }
        for (final SimCommand.Worker worker : workers)
        {
            final String line = worker.await("stats ", Math.max(deadlineNs, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            if (null != line)
            {
                merged.add(line.substring("stats ".length()));
            }
        }
        return merged;
    }

    /**
     * Starts a measurement: the workers count only messages carrying its nonce, which the pusher now
     * puts in every payload.
     */
    private void measure(final SimPusher pusher) throws InterruptedException
    {
        final long nonce = pusher.newNonce();
        for (final SimCommand.Worker worker : workers)
        {
            worker.send("measure " + nonce);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final SimCommand.Worker worker : workers)
        {
            if (null == worker.await("measuring", deadlineNs))
            {
                throw new IllegalStateException("worker " + worker.id + " did not start the measurement in 10 s");
            }
        }
    }

    private void unicast(final int connections, final int perWorker, final long durationNs, final long deadlineNs) throws Exception
    {
        try (SimPusher pusher = SimPusher.connect())
        {
            final int rate = SimConfiguration.RATE.getInt();
            final long warmUpNs = SimConfiguration.WARMUP.getDurationNs(TimeUnit.SECONDS);
            measure(pusher);
            say("warming up (JIT, store files, buffers): %d s at %s", TimeUnit.NANOSECONDS.toSeconds(warmUpNs),
                rate > 0 ? rate + "/s" : "full rate");
            pusher.unicast(connections, perWorker, rate, Long.MAX_VALUE, warmUpNs);
            awaitDelivered(pusher.accepted(), true, deadlineNs);
            measure(pusher);
            pusher.resetCounts();

            say("pushing for %d s at %s", TimeUnit.NANOSECONDS.toSeconds(durationNs), rate > 0 ? rate + "/s" : "full rate");
            final long startNs = System.nanoTime();
            pusher.unicast(connections, perWorker, rate, Long.MAX_VALUE, durationNs);
            final double pushSeconds = (System.nanoTime() - startNs) / 1e9;
            final long delivered = awaitDelivered(pusher.accepted(), true, deadlineNs);
            final double allSeconds = (System.nanoTime() - startNs) / 1e9;
            say("accepted %,d pushes in %.1f s (%,.0f/s), refused %,d; delivered %,d, all within %.1f s (%,.0f/s end to end)",
                pusher.accepted(), pushSeconds, pusher.accepted() / pushSeconds, pusher.refused(), delivered, allSeconds,
                delivered / allSeconds);
            json.append(",\"rate\":").append(rate).append(",\"accepted\":").append(pusher.accepted())
                .append(",\"refused\":").append(pusher.refused())
                .append(",\"acceptedPerSecond\":").append(fmt(pusher.accepted() / pushSeconds))
                .append(",\"deliveredPerSecond\":").append(fmt(delivered / allSeconds));
        }
    }

    private void broadcast(final int connections, final long deadlineNs) throws Exception
    {
        try (SimPusher pusher = SimPusher.connect())
        {
            final int warmUps = Math.max(0, SimConfiguration.WARMUP_BROADCASTS.getInt());
            final int rounds = Math.max(1, SimConfiguration.ROUNDS.getInt());
            say("%d warm-up broadcast(s) (JIT in the devices and gateways), then %d measured", warmUps, rounds);
            for (int i = 0; i < warmUps; i++)
            {
                measure(pusher);
                pusher.broadcast();
                awaitDelivered(connections, false, deadlineNs);
                Thread.sleep(i + 1 == warmUps ? 1_000 : 200); // let the compiler finish before measuring
            }
            final double[] completeMs = new double[rounds];
            long messageId = 0;
            long delivered = 0;
            for (int round = 0; round < rounds; round++)
            {
                measure(pusher);
                messageId = pusher.broadcast();
                delivered = awaitDelivered(connections, false, deadlineNs);
                final SimStats now = collect(deadlineNs);
                completeMs[round] = now.broadcastMaxNs / 1e6;
                say("broadcast %d reached %,d of %,d devices; complete in %.1f ms (last device's push-to-device latency)",
                    messageId, delivered, connections, completeMs[round]);
                Thread.sleep(500);
            }
            final String receipt = pusher.receipt(messageId);
            say("receipt: %s", receipt);
            final double[] sorted = completeMs.clone();
            Arrays.sort(sorted);
            final double median = sorted[rounds / 2];
            say("broadcast to %,d devices, %d round(s): median %.1f ms, best %.1f ms, worst %.1f ms",
                connections, rounds, median, sorted[0], sorted[rounds - 1]);
            final StringBuilder roundsJson = new StringBuilder("[");
            for (int round = 0; round < rounds; round++)
            {
                roundsJson.append(round > 0 ? "," : "").append(fmt(completeMs[round]));
            }
            json.append(",\"broadcastMessageId\":").append(messageId).append(",\"broadcastReached\":").append(delivered)
                .append(",\"broadcastCompleteMs\":").append(fmt(median))
                .append(",\"broadcastRoundsMs\":").append(roundsJson.append(']'))
                .append(",\"receipt\":\"").append(receipt).append('"');
        }
    }

    /**
     * Polls the workers until the devices have taken {@code expected} messages (or nothing moves for 5 s).
     *
     * @return messages delivered.
     */
    private long awaitDelivered(final long expected, final boolean unicast, final long deadlineNs) throws InterruptedException
    {
        long last = -1;
        long lastChangeNs = System.nanoTime();
        while (System.nanoTime() - deadlineNs < 0)
        {
            final SimStats now = collect(deadlineNs);
            final long delivered = unicast ? now.unicastDelivered : now.broadcastDelivered;
            if (delivered >= expected)
            {
                return delivered;
            }
            if (delivered != last)
            {
                last = delivered;
                lastChangeNs = System.nanoTime();
            }
            else if (System.nanoTime() - lastChangeNs > TimeUnit.SECONDS.toNanos(5))
            {
                say("  delivery stalled at %,d of %,d", delivered, expected);
                return delivered;
            }
            Thread.sleep(50);
        }
        return Math.max(0, last);
    }

    private void report(final List<Long> pids, final long[] before, final long[] after, final long held) throws IOException
    {
        say("welcomed %,d (now %,d), connect failures %,d, reconnects %,d, closed by peer %,d, protocol errors %,d, byes %s, errors %s",
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
            .append(",\"closedByPeer\":").append(total.closedByPeer).append(",\"protocolErrors\":").append(total.protocolErrors)
            .append(",\"redirects\":").append(total.redirects).append(",\"holes\":").append(total.holes)
            .append(",\"byes\":\"").append(SimStats.codes(total.byes)).append("\",\"errors\":\"").append(SimStats.codes(total.errors))
            .append('"')
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
        return map.isEmpty() ? "none" : map.toString();
    }

    private void say(final String format, final Object... args)
    {
        out.println("sim: " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
