package io.pushwire.sim;

import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One simulator worker process: holds its share of the devices and talks to the parent over its
 * standard streams, one line at a time.
 * <pre>
 *   parent to worker:  measure &lt;nonce&gt; | report | drop | stop
 *   worker to parent:  ready &lt;welcomed&gt; | progress &lt;welcomedNow&gt; | measuring | stats &lt;json&gt; | bye
 * </pre>
 * {@code ready} is printed once every device has been welcomed (again after a {@code drop}); the worker
 * stops on {@code stop}, when its parent goes away (standard input closes), or at its deadline.
 */
final class SimWorker
{
    private final SimDevices devices;
    private final int connectRatePerSec;
    private final long deadlineNs;
    private final PrintStream out;
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();

    SimWorker(final SimDevices devices, final int connectRatePerSec, final long deadlineNs, final PrintStream out)
    {
        this.devices = devices;
        this.connectRatePerSec = connectRatePerSec;
        this.deadlineNs = deadlineNs;
        this.out = out;
    }

    static int run(final int workerId, final int count, final String keys, final PrintStream out) throws IOException
    {
        final String[] target = SimConfiguration.TARGET.get().split(":");
        final TokenKeys tokenKeys = TokenKeys.parse(keys);
        final long timeoutNs = SimConfiguration.TIMEOUT.getDurationNs(TimeUnit.SECONDS);
        try (SimDevices devices = new SimDevices(
            workerId,
            count,
            SimConfiguration.DEVICE_PREFIX.get(),
            new InetSocketAddress(target[0], Integer.parseInt(target[1])),
            SimConfiguration.SOURCE_ADDRESSES.getInt(),
            new TokenIssuer(tokenKeys),
            tokenKeys.newestKeyId(),
            (int)TimeUnit.NANOSECONDS.toSeconds(SimConfiguration.HEARTBEAT.getDurationNs(TimeUnit.SECONDS)),
            SimConfiguration.ACK_DELAY.getDurationNs(TimeUnit.MILLISECONDS)))
        {
            final SimWorker worker = new SimWorker(
                devices, SimConfiguration.CONNECT_RATE.getInt(), System.nanoTime() + timeoutNs, out);
            worker.readCommandsFrom(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
            worker.loop();
        }
        return 0;
    }

    private void readCommandsFrom(final BufferedReader in)
    {
        final Thread reader = new Thread(() ->
        {
            try
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    commands.add(line.trim());
                }
            }
            catch (final IOException ignore)
            {
                // the parent went away: stop below
            }
            commands.add("stop");
        }, "sim-commands");
        reader.setDaemon(true);
        reader.start();
    }

    private void loop() throws IOException
    {
        final long progressIntervalNs = TimeUnit.SECONDS.toNanos(5);
        long lastConnectNs = System.nanoTime();
        long nextProgressNs = lastConnectNs + progressIntervalNs;
        boolean readySent = false;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - deadlineNs > 0)
            {
                out.println("stats " + devices.stats.toJsonLine());
                out.println("bye deadline");
                return;
            }
            final long allowance = (nowNs - lastConnectNs) * connectRatePerSec / TimeUnit.SECONDS.toNanos(1);
            if (allowance > 0)
            {
                devices.connectSome((int)Math.min(allowance, 1024), nowNs);
                lastConnectNs = nowNs;
            }
            devices.poll(devices.connecting() ? 1 : 10, nowNs);

            if (!readySent && devices.stats.welcomedNow == devices.count())
            {
                out.println("ready " + devices.stats.welcomedNow);
                readySent = true;
            }
            if (nowNs - nextProgressNs > 0)
            {
                out.println("progress " + devices.stats.welcomedNow);
                nextProgressNs = nowNs + progressIntervalNs;
            }

            String command;
            while (null != (command = commands.poll()))
            {
                switch (command)
                {
                    case "report" -> out.println("stats " + devices.stats.toJsonLine());
                    case String c when c.startsWith("measure ") ->
                    {
                        devices.stats.resetMeasurements(Long.parseLong(c.substring("measure ".length()).trim()));
                        out.println("measuring");
                    }
                    case "drop" ->
                    {
                        devices.dropAll();
                        readySent = false;
                    }
                    case "stop" ->
                    {
                        devices.flushAcks();
                        out.println("stats " + devices.stats.toJsonLine());
                        out.println("bye");
                        return;
                    }
                    default -> out.println("error unknown command " + command);
                }
            }
        }
    }
}
