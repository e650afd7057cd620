package io.pushwire.status;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A latency histogram that a process records into and writes out as HdrHistogram interval logs
 * ({@code <status dir>/<name>.hlog}), so any tool can read percentiles per interval without asking the
 * process. Values are nanoseconds, from 1 µs to 1 minute at 3 significant digits.
 * <p>
 * {@link #record(long)} is wait-free and safe from any thread (HdrHistogram's {@link Recorder});
 * {@link #poll(long)} writes an interval when one is due and must be called from one thread only (the
 * process's main agent duty cycle).
 */
public final class LatencyLog implements AutoCloseable
{
    public static final String SUFFIX = ".hlog";
    static final long LOWEST_NS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);

    private final Recorder recorder = new Recorder(LOWEST_NS, HIGHEST_NS, 3);
    private final File file;
    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final long intervalMs;
    private Histogram interval;
    private long nextWriteMs;

    /**
     * @param dir        the status directory.
     * @param name       the log's name, e.g. {@code dispatch-0-push}.
     * @param intervalMs how often an interval is written.
     * @param nowMs      the current epoch ms (start of the first interval).
     */
    public LatencyLog(final File dir, final String name, final long intervalMs, final long nowMs)
    {
        if (!dir.isDirectory() && !dir.mkdirs())
        {
            throw new IllegalStateException("cannot create status directory " + dir);
        }
        this.file = new File(dir, name + SUFFIX);
        try
        {
            this.out = new PrintStream(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write latency log " + file + ": " + ex.getMessage(), ex);
        }
        this.writer = new HistogramLogWriter(out);
        this.intervalMs = intervalMs;
        writer.outputStartTime(nowMs);
        writer.outputLogFormatVersion();
        writer.outputLegend();
        out.flush();
        this.nextWriteMs = nowMs + intervalMs;
        this.interval = recorder.getIntervalHistogram();
    }

    public File file()
    {
        return file;
    }

    /**
     * @param latencyNs a latency in nanoseconds; clamped into the histogram's range.
     */
    public void record(final long latencyNs)
    {
        recorder.recordValue(Math.max(LOWEST_NS, Math.min(HIGHEST_NS, latencyNs)));
    }

    /**
     * Writes the interval just ended if it is due.
     *
     * @param nowMs epoch ms.
     * @return 1 if an interval was written, else 0 (a work count for a duty cycle).
     */
    public int poll(final long nowMs)
    {
        if (nowMs < nextWriteMs)
        {
            return 0;
        }
        interval = recorder.getIntervalHistogram(interval);
        interval.setStartTimeStamp(nextWriteMs - intervalMs);
        interval.setEndTimeStamp(nowMs);
        writer.outputIntervalHistogram(interval);
        out.flush();
        nextWriteMs = nowMs + intervalMs;
        return 1;
    }

    public void close()
    {
        out.close();
    }

    /**
     * Merges the intervals of a log written since {@code sinceMs}.
     *
     * @param file    a log written by {@link LatencyLog}.
     * @param sinceMs epoch ms; intervals that ended before it are skipped.
     * @return the merged histogram (empty when the log has no such interval).
     * @throws FileNotFoundException if there is no such log.
     */
    public static Histogram readSince(final File file, final long sinceMs) throws FileNotFoundException
    {
        final Histogram total = new Histogram(LOWEST_NS, HIGHEST_NS, 3);
        try (HistogramLogReader reader = new HistogramLogReader(file))
        {
            while (reader.hasNext())
            {
                final EncodableHistogram next = reader.nextIntervalHistogram();
                if (next instanceof Histogram h && h.getEndTimeStamp() >= sinceMs)
                {
                    total.add(h);
                }
            }
        }
        return total;
    }
}
