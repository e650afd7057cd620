package io.pushwire.console;

import io.pushwire.status.LatencyLog;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints {@code latency}: for every HdrHistogram interval log in the status directory
 * ({@code <status dir>/*.hlog}, e.g. {@code dispatch-0-push}), the intervals of the last window merged, as
 * count and p50 / p90 / p99 / p99.9 / max. Reads the files the processes append to; asks no process.
 */
final class LatencyReport
{
    private final File statusDir;

    LatencyReport(final File statusDir)
    {
        this.statusDir = statusDir;
    }

    /**
     * @param out      where to print.
     * @param nowMs    now, epoch ms.
     * @param windowMs how far back intervals are merged.
     * @return the number of logs read.
     */
    int print(final PrintStream out, final long nowMs, final long windowMs)
    {
        final File[] files = statusDir.listFiles((dir, name) -> name.endsWith(LatencyLog.SUFFIX));
        if (null == files || files.length == 0)
        {
            out.println("no latency logs in " + statusDir);
            return 0;
        }
        Arrays.sort(files);
        out.println("latency over the last " + TimeUnit.MILLISECONDS.toSeconds(windowMs) + " s (from " + statusDir + ")");
        final Table table = new Table("LOG", "COUNT", "P50", "P90", "P99", "P99.9", "MAX");
        for (final File file : files)
        {
            final String name = file.getName().substring(0, file.getName().length() - LatencyLog.SUFFIX.length());
            try
            {
                final Histogram h = LatencyLog.readSince(file, nowMs - windowMs);
                if (h.getTotalCount() == 0)
                {
                    table.row(name, 0, "-", "-", "-", "-", "-");
                }
                else
                {
                    table.row(name, h.getTotalCount(), duration(h.getValueAtPercentile(50)), duration(h.getValueAtPercentile(90)),
                        duration(h.getValueAtPercentile(99)), duration(h.getValueAtPercentile(99.9)), duration(h.getMaxValue()));
                }
            }
            catch (final FileNotFoundException | RuntimeException ex)
            {
                table.row(name, "-", "unreadable: " + ex.getMessage(), "", "", "", "");
            }
        }
        table.print(out, "");
        return files.length;
    }

    /**
     * @param ns nanoseconds.
     * @return e.g. {@code 850us}, {@code 12.3ms}, {@code 1.20s}.
     */
    static String duration(final long ns)
    {
        if (ns < 1_000_000)
        {
            return (ns / 1000) + "us";
        }
        if (ns < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.1fms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fs", ns / 1e9);
    }
}
