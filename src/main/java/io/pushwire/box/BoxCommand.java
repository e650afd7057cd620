package io.pushwire.box;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.exceptions.DriverTimeoutException;
import io.pushwire.config.Setting;
import io.pushwire.config.Settings;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.store.StoreConfiguration;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code pushwire box}: the single-box supervisor. Starts the media driver, dispatch and K gateways as
 * child processes, restarts a crashed child with backoff, and on SIGTERM stops them in order:
 * gateways first (they move their devices off), then dispatch, then the driver.
 * <p>
 * It says {@code box: ready} once every child serves: the driver is active, and dispatch and every gateway show as
 * serving in the driver's CnC file ({@link ChildReadiness}: dispatch has replayed its store, each gateway's listeners
 * are bound and accept). A child not serving after {@link #READY_TIMEOUT} is named, with its log, and the box keeps
 * supervising (and restarting) and says ready when they all serve.
 */
final class BoxCommand implements Command
{
    static final Setting DATA_DIR = Setting.of(
        "pushwire.box.data.dir", "data", "where the box keeps its store and logs");
    static final Setting GATEWAYS = Setting.of(
        "pushwire.box.gateways", "auto", "gateway processes to run; auto = enough for box.connections, at least one per core");
    static final Setting CONNECTIONS = Setting.of(
        "pushwire.box.connections", "38000", "device connections the box should hold (sizes K when gateways=auto)");
    static final Setting PER_GATEWAY = Setting.of(
        "pushwire.box.connections.per.gateway", "19000", "connections one gateway process holds (under its open-file limit)");
    static final Setting GATEWAY_HEAP = Setting.of(
        "pushwire.box.gateway.heap", "256m", "heap (-Xmx) of each gateway process");
    static final Setting DISPATCH_HEAP = Setting.of(
        "pushwire.box.dispatch.heap", "1g", "heap (-Xmx) of the dispatch process");
    static final Setting STOP_TIMEOUT = Setting.of(
        "pushwire.box.stop.timeout", "30s", "how long each child may take to stop before it is killed");
    static final Setting READY_TIMEOUT = Setting.of(
        "pushwire.box.ready.timeout", "30s",
        "how long dispatch and the gateways may take to serve before the box names those that do not (it keeps waiting)");

    private final AtomicBoolean running = new AtomicBoolean(true);

    public String name()
    {
        return "box";
    }

    public String usage()
    {
        return "box [--gateways K] [--data-dir DIR] [--config FILE]";
    }

    public String summary()
    {
        return "Runs a whole single-box system: the media driver, dispatch and K gateways as child processes, " +
            "restarted with backoff when they crash, stopped in order on SIGTERM. Says 'box: ready' once dispatch and every " +
            "gateway serve. Each child logs to <data.dir>/logs/<name>.log.";
    }

    public List<Setting> settings()
    {
        final List<Setting> settings = new ArrayList<>(List.of(
            DATA_DIR, GATEWAYS, CONNECTIONS, PER_GATEWAY, GATEWAY_HEAP, DISPATCH_HEAP, STOP_TIMEOUT, READY_TIMEOUT));
        settings.addAll(LinkConfiguration.settings());
        return settings;
    }

    /**
     * @return the number of gateway processes to run.
     */
    static int gatewayCount()
    {
        final String value = GATEWAYS.get().trim();
        if (!"auto".equals(value))
        {
            final int k = GATEWAYS.getInt();
            if (k < 1)
            {
                throw new IllegalArgumentException(GATEWAYS.propertyName() + " must be at least 1");
            }
            return k;
        }
        final long perGateway = Math.max(1, PER_GATEWAY.getLong());
        final long needed = (CONNECTIONS.getLong() + perGateway - 1) / perGateway;
        return (int)Math.max(Runtime.getRuntime().availableProcessors(), needed);
    }

    public int run(final List<String> positional) throws Exception
    {
        Settings.printResolved(System.out, "box", settings());
        final Path dataDir = Path.of(DATA_DIR.get()).toAbsolutePath();
        final Path logDir = dataDir.resolve("logs");
        Files.createDirectories(logDir);
        final String aeronDir = LinkConfiguration.AERON_DIR.get();
        final List<String> shared = sharedProperties();

        final ChildProcess driver = new ChildProcess("driver", List.of("driver"), props(shared, "-Xmx64m"), logDir);
        final ChildProcess dispatch = new ChildProcess("dispatch", List.of("dispatch"), props(shared,
            "-Xmx" + DISPATCH_HEAP.get(), "-D" + StoreConfiguration.DIR.propertyName() + "=" + dataDir.resolve("store")), logDir);
        final List<ChildProcess> gateways = new ArrayList<>();
        final int k = gatewayCount();
        final String reactors = reactorsPerGateway(k);
        for (int i = 0; i < k; i++)
        {
            gateways.add(new ChildProcess("gateway-" + i, List.of("gateway"), props(shared,
                "-Xmx" + GATEWAY_HEAP.get(), "-D" + GatewayConfiguration.ID.propertyName() + "=" + i, reactors), logDir));
        }

        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(() -> running.set(false));
        try
        {
            driver.start(System.nanoTime());
            say("driver started, pid " + driver.pid() + ", log " + driver.logFile());
            if (!awaitDriver(new File(aeronDir), TimeUnit.SECONDS.toNanos(20)))
            {
                say("driver did not become active in 20 s; see " + driver.logFile());
                return 1;
            }
            dispatch.start(System.nanoTime());
            say("dispatch started, pid " + dispatch.pid() + ", log " + dispatch.logFile());
            for (final ChildProcess gateway : gateways)
            {
                gateway.start(System.nanoTime());
                say(gateway.name() + " started, pid " + gateway.pid() + ", log " + gateway.logFile());
            }

            final List<ChildProcess> all = new ArrayList<>();
            all.add(driver);
            all.add(dispatch);
            all.addAll(gateways);
            final List<ChildProcess> servers = new ArrayList<>(all.subList(1, all.size()));
            final ChildReadiness readiness = new ChildReadiness(aeronDir);
            final long readyTimeoutNs = READY_TIMEOUT.getDurationNs(TimeUnit.SECONDS);
            final long readyDeadlineNs = System.nanoTime() + readyTimeoutNs;
            boolean ready = false;
            boolean late = false;
            while (running.get())
            {
                final long nowNs = System.nanoTime();
                for (final ChildProcess child : all)
                {
                    final String line = child.poll(nowNs, running.get());
                    if (null != line)
                    {
                        say(line);
                    }
                }
                final boolean allServing = lookForServing(readiness, servers, ready);
                if (!ready && allServing)
                {
                    ready = true;
                    sayReady(k, dataDir, aeronDir, late);
                }
                else if (!ready && !late && nowNs - readyDeadlineNs >= 0)
                {
                    late = true;
                    say("not ready after " + TimeUnit.NANOSECONDS.toSeconds(readyTimeoutNs) + " s: " +
                        describe(readiness, servers) + "; still waiting (restarting any that exit)");
                }
                Thread.sleep(allServing ? 100 : 20);
            }
        }
        finally
        {
            stopAll(gateways, dispatch, driver);
            barrier.close();
        }
        return 0;
    }

    /**
     * Stops the children in order: every gateway at once (each moves its devices off), then dispatch,
     * then the driver. The shutdown hook waits for this, since the barrier is closed only after it.
     */
    private static void stopAll(final List<ChildProcess> gateways, final ChildProcess dispatch, final ChildProcess driver)
        throws InterruptedException
    {
        say("stopping: gateways, then dispatch, then the driver");
        for (final ChildProcess gateway : gateways)
        {
            gateway.signalStop();
        }
        for (final ChildProcess gateway : gateways)
        {
            say(gateway.name() + " stopped: exit " + gateway.stop(stopTimeoutMs()));
        }
        say("dispatch stopped: exit " + dispatch.stop(stopTimeoutMs()));
        say("driver stopped: exit " + driver.stop(stopTimeoutMs()));
    }

    /**
     * Marks the children whose current process now shows as serving in the CnC file; reads the file only while
     * one (started or restarted) has not been seen serving yet.
     *
     * @param afterReady true once the box said ready: a child seen serving now was restarted, and is said so.
     * @return true when every child serves.
     */
    private static boolean lookForServing(final ChildReadiness readiness, final List<ChildProcess> children,
        final boolean afterReady)
    {
        boolean looked = false;
        boolean all = true;
        for (final ChildProcess child : children)
        {
            if (child.isServing())
            {
                continue;
            }
            if (!looked)
            {
                readiness.look();
                looked = true;
            }
            if (child.isAlive() && readiness.isServing(child.pid()))
            {
                child.markServing();
                if (afterReady)
                {
                    say(child.name() + " (pid " + child.pid() + ") serving again");
                }
            }
            else
            {
                all = false;
            }
        }
        return all;
    }

    /**
     * @return for each child that does not serve yet, what the box sees of it and where its log is.
     */
    private static String describe(final ChildReadiness readiness, final List<ChildProcess> children)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ChildProcess child : children)
        {
            if (child.isServing())
            {
                continue;
            }
            sb.append(sb.isEmpty() ? "" : "; ").append(child.name()).append(" (pid ").append(child.pid()).append(", ")
                .append(child.isAlive() ? readiness.describe(child.pid()) : "exited, waiting to restart")
                .append(", see ").append(child.logFile()).append(')');
        }
        return sb.toString();
    }

    private static void sayReady(final int gateways, final Path dataDir, final String aeronDir, final boolean late)
    {
        say("ready: dispatch and " + gateways + " gateway(s) serving on the device port" + (late ? " (late)" : "") +
            ", data in " + dataDir + ", Aeron in " + aeronDir);
        say("  connect 10,000 simulated devices:  bin/pushwire sim --scenario idle --connections 10000 --duration 60s");
        say("  push a broadcast to them and read its receipt:  bin/pushwire sim --scenario broadcast --connections 10000");
        say("  issue a device token:  bin/pushwire token --device my-phone");
        say("  SIGTERM or Ctrl-C stops the box");
    }

    private static boolean awaitDriver(final File aeronDir, final long timeoutNs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        final File cnc = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        while (System.nanoTime() - deadlineNs < 0)
        {
            try
            {
                if (cnc.exists() && CommonContext.isDriverActive(aeronDir, 1_000, (s) -> { }))
                {
                    return true;
                }
            }
            catch (final DriverTimeoutException ex)
            {
                // The driver has created its CnC file but not yet initialised it (a slow start on a busy box): keep
                // waiting until our own deadline rather than abort the box.
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Gateways share the box's cores: with K processes each gets cores / K reactors (at least one), so an
     * idle box does not run more polling threads than it has cores to spare. An explicit
     * {@code pushwire.gateway.reactors} wins.
     *
     * @param gateways K.
     * @return the JVM option to pass each gateway.
     */
    static String reactorsPerGateway(final int gateways)
    {
        final Setting setting = GatewayConfiguration.REACTORS;
        final int reactors = null != System.getProperty(setting.propertyName()) ?
            setting.getInt() : Math.max(1, Runtime.getRuntime().availableProcessors() / gateways);
        return "-D" + setting.propertyName() + "=" + reactors;
    }

    private static long stopTimeoutMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(STOP_TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    }

    /**
     * @return every {@code pushwire.*} system property of the supervisor (from -D or --config), passed
     * on to the children as -D options, so one configuration file configures the whole box.
     */
    private static List<String> sharedProperties()
    {
        final List<String> result = new ArrayList<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("pushwire.") && !name.startsWith("pushwire.box."))
            {
                result.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        return result;
    }

    private static List<String> props(final List<String> shared, final String... extra)
    {
        final List<String> result = new ArrayList<>(shared);
        result.addAll(List.of(extra));
        return result;
    }

    private static void say(final String line)
    {
        System.out.println("box: " + line);
        System.out.flush();
    }
}
