package io.pushwire.status;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one process leaves for monitoring tools, in one place: its presence and heartbeat in the CnC file
 * ({@link ProcessStatus}), its distinct error log ({@link ErrorLog}, {@code <status dir>/<role>-<id>.err})
 * and any latency logs it records ({@link LatencyLog}, {@code <status dir>/<role>-<id>-<what>.hlog}).
 * <p>
 * The presence reads {@link ProcessStatus#STARTING} until the process calls {@link #serving()}; from then on
 * {@link #doWork(long)} heartbeats, at once and then once a second, so the box supervisor and the console see when
 * the process serves. {@link #doWork(long)} also writes due latency intervals; call it from one agent's duty cycle.
 * {@link #serving()}, {@link #errorHandler()} and {@link LatencyLog#record(long)} are safe from any thread.
 */
public final class ProcessMonitor implements AutoCloseable
{
    public static final long HEARTBEAT_INTERVAL_MS = 1_000;

    private final String name;
    private final File statusDir;
    private final long histogramIntervalMs;
    private final ProcessStatus status;
    private final ErrorLog errorLog;
    private final List<LatencyLog> latencyLogs = new ArrayList<>();
    private long nextHeartbeatMs;
    private volatile boolean serving;

    /**
     * @param aeron               the process's client (its driver holds the presence counter).
     * @param role                a {@code ProcessStatus.ROLE_*}.
     * @param id                  the process's id in its role.
     * @param version             its release label.
     * @param statusDir           where its error and latency logs go.
     * @param errorLogLength      the error log file's length in bytes.
     * @param histogramIntervalMs how often latency intervals are written.
     * @param clock               epoch clock for heartbeats, error times and start time.
     * @param echo                where errors are also printed (the process log), or null.
     */
    public ProcessMonitor(
        final Aeron aeron,
        final int role,
        final int id,
        final String version,
        final File statusDir,
        final int errorLogLength,
        final long histogramIntervalMs,
        final EpochClock clock,
        final PrintStream echo)
    {
        this.name = ProcessStatus.roleName(role) + "-" + id;
        this.statusDir = statusDir;
        this.histogramIntervalMs = histogramIntervalMs;
        final long nowMs = clock.time();
        this.errorLog = new ErrorLog(statusDir, name, errorLogLength, clock, echo);
        this.status = new ProcessStatus(aeron, role, id, version, nowMs);
    }

    /**
     * @return a monitor with the log length, interval and version from {@link StatusConfiguration}, and the status
     * directory of the client's Aeron directory ({@link StatusConfiguration#statusDir(String)}).
     */
    public static ProcessMonitor fromConfiguration(
        final Aeron aeron, final int role, final int id, final EpochClock clock, final PrintStream echo)
    {
        return new ProcessMonitor(
            aeron,
            role,
            id,
            StatusConfiguration.VERSION.get(),
            StatusConfiguration.statusDir(aeron.context().aeronDirectoryName()),
            (int)StatusConfiguration.ERROR_LOG_LENGTH.getSizeBytes(),
            TimeUnit.NANOSECONDS.toMillis(StatusConfiguration.HISTOGRAM_INTERVAL.getDurationNs(TimeUnit.SECONDS)),
            clock,
            echo);
    }

    /**
     * @return e.g. {@code gateway-2}.
     */
    public String name()
    {
        return name;
    }

    public ErrorLog errorLog()
    {
        return errorLog;
    }

    /**
     * @return records into the distinct error log (and echoes the first errors); any thread.
     */
    public ErrorHandler errorHandler()
    {
        return errorLog.handler();
    }

    /**
     * Creates a latency log {@code <name>-<what>.hlog} that {@link #doWork(long)} writes out. Call at start.
     *
     * @param what  what it measures, e.g. {@code push}.
     * @param nowMs now, epoch ms.
     * @return the log to record into.
     */
    public LatencyLog latencyLog(final String what, final long nowMs)
    {
        final LatencyLog log = new LatencyLog(statusDir, name + "-" + what, histogramIntervalMs, nowMs);
        latencyLogs.add(log);
        return log;
    }

    /**
     * Says the process serves (a gateway's listeners are bound; dispatch has replayed its store): the next
     * {@link #doWork(long)} heartbeats. Any thread; call once, when it is true.
     */
    public void serving()
    {
        serving = true;
    }

    /**
     * @param nowMs epoch ms.
     * @return work done.
     */
    public int doWork(final long nowMs)
    {
        int work = 0;
        if (nowMs >= nextHeartbeatMs && serving)
        {
            status.heartbeat(nowMs);
            nextHeartbeatMs = nowMs + HEARTBEAT_INTERVAL_MS;
            work++;
        }
        for (int i = 0; i < latencyLogs.size(); i++)
        {
            work += latencyLogs.get(i).poll(nowMs);
        }
        return work;
    }

    public void close()
    {
        CloseHelper.closeAll(status, errorLog);
        CloseHelper.closeAll(latencyLogs);
    }
}
