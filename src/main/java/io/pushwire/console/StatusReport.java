package io.pushwire.console;

import io.pushwire.status.ErrorLog;
import io.pushwire.status.ProcessStatus;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@code status} and {@code top} from one or two {@link StatusSample}s: a line per process (role,
 * version, pid, uptime, availability, the headline counters with rates, errors), the backlog of each link
 * stream, and (for {@code status}) every counter of every process with its rate.
 * <p>
 * Availability: a process registered but not yet serving (no heartbeat yet: a gateway binding its listeners,
 * dispatch replaying its store) is {@code starting}; one whose heartbeat is younger than {@link #UP_WITHIN_MS} is
 * {@code up}; older, it is shown as {@code SILENT <age>} (hung, or gone and not yet removed by the driver).
 */
final class StatusReport
{
    static final long UP_WITHIN_MS = 3_000;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final File statusDir;

    StatusReport(final File statusDir)
    {
        this.statusDir = statusDir;
    }

    /**
     * @param out      where to print.
     * @param previous the earlier sample, or null (no rates).
     * @param current  the later sample.
     * @param detail   also print every counter.
     */
    void print(final PrintStream out, final StatusSample previous, final StatusSample current, final boolean detail)
    {
        final double seconds = null == previous ? 0 : (current.timeMs - previous.timeMs) / 1000.0;
        out.println("pushwire status at " + TIME.format(Instant.ofEpochMilli(current.timeMs)) + " UTC" +
            (seconds > 0 ? String.format(Locale.ROOT, ", rates over %.1f s", seconds) : ", no rates (one sample)"));
        out.println();
        final Table processes = new Table("PROCESS", "VERSION", "PID", "UPTIME", "STATE", "CONNS", "IN/S", "OUT/S", "QUEUED", "ERRORS");
        for (final StatusSample.Process process : current.processes)
        {
            final String name = process.name();
            final String in;
            final String out2;
            if (name.startsWith("gateway-"))
            {
                in = rate(previous, current, name, seconds, "frames in");
                out2 = rate(previous, current, name, seconds, "frames out");
            }
            else if (name.startsWith("dispatch-"))
            {
                in = rate(previous, current, name, seconds, "pushes accepted");
                out2 = rate(previous, current, name, seconds, "messages delivered inline", "notifies sent");
            }
            else
            {
                in = "-";
                out2 = "-";
            }
            final long connections = Math.max(current.counter(name, "connections"), current.counter(name, "online devices"));
            final long queued = current.counter(name, "outbound bytes queued");
            processes.row(
                name,
                process.version(),
                process.pid(),
                uptime(current.timeMs - process.startedAtMs()),
                ProcessStatus.STARTING == process.heartbeatMs() ? "starting" : state(current.timeMs - process.heartbeatMs()),
                connections < 0 ? "-" : connections,
                in,
                out2,
                queued < 0 ? "-" : queued,
                errors(name));
        }
        processes.print(out, "");
        out.println("  IN/S, OUT/S: gateways count device frames in and out; dispatch counts pushes accepted and messages sent " +
            "(inline + notify).");
        out.println("  QUEUED: bytes waiting for slow sockets. ERRORS: observations in the process's distinct error log.");

        if (!current.links.isEmpty())
        {
            out.println();
            final Table links = new Table("STREAM", "LINK", "PUBS", "SUBS", "BACKLOG");
            for (final StatusSample.Link link : current.links.values())
            {
                links.row(link.streamId(), StatusSample.streamName(link.streamId()), link.publishers(), link.subscribers(),
                    bytes(link.backlogBytes()));
            }
            links.print(out, "");
        }

        if (detail)
        {
            for (final Map.Entry<String, Map<String, Long>> process : current.counters.entrySet())
            {
                out.println();
                out.println(process.getKey() + ":");
                final Table counters = new Table("COUNTER", "VALUE", "RATE/S");
                for (final Map.Entry<String, Long> counter : process.getValue().entrySet())
                {
                    counters.row(counter.getKey(), counter.getValue(),
                        rate(previous, current, process.getKey(), seconds, counter.getKey()));
                }
                counters.print(out, "  ");
            }
        }
    }

    private long errors(final String process)
    {
        final File file = new File(statusDir, process + ErrorLog.SUFFIX);
        if (!file.isFile())
        {
            return 0;
        }
        final long[] total = new long[1];
        try
        {
            ErrorLog.read(file, (count, first, last, text) -> total[0] += count);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
        return total[0];
    }

    private static String rate(
        final StatusSample previous, final StatusSample current, final String process, final double seconds, final String... names)
    {
        if (null == previous || seconds <= 0)
        {
            return "-";
        }
        long delta = 0;
        boolean found = false;
        for (final String name : names)
        {
            final long now = current.counter(process, name);
            final long before = previous.counter(process, name);
            if (now >= 0 && before >= 0)
            {
                delta += now - before;
                found = true;
            }
        }
        return found ? formatRate(delta / seconds) : "-";
    }

    static String formatRate(final double perSecond)
    {
        if (Math.abs(perSecond) >= 100 || perSecond == Math.rint(perSecond))
        {
            return String.valueOf(Math.round(perSecond));
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String uptime(final long ms)
    {
        final long s = Math.max(0, ms / 1000);
        final long days = s / 86_400;
        final String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
        return days > 0 ? days + "d " + hms : hms;
    }

    static String state(final long heartbeatAgeMs)
    {
        return heartbeatAgeMs < UP_WITHIN_MS ? "up" : "SILENT " + (heartbeatAgeMs / 1000) + "s";
    }

    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024)
        {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
