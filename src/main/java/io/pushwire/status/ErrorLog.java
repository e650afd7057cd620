package io.pushwire.status;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.io.File;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process's distinct error log in a memory-mapped file: each distinct error (same type, message and
 * stack) is stored once with its count and first and last times, so an error storm costs a counter
 * increment, not disk. Other processes (the console's {@code errors}) read the file while it is
 * written. Thread-safe for writers ({@link DistinctErrorLog} is); one instance per process.
 */
public final class ErrorLog implements AutoCloseable
{
    public static final String SUFFIX = ".err";
    public static final int MAX_ECHOED = 1000;

    private final File file;
    private final MappedByteBuffer mapped;
    private final DistinctErrorLog log;
    private final PrintStream echo;
    private final AtomicLong echoed = new AtomicLong();

    /**
     * @param dir    the status directory.
     * @param name   the process's name, e.g. {@code gateway-2}; the file is {@code <dir>/<name>.err}.
     * @param length the file's length in bytes.
     * @param clock  time stamps for the entries.
     * @param echo   where errors are also printed (the process log), the first {@link #MAX_ECHOED} only, or null.
     */
    public ErrorLog(final File dir, final String name, final int length, final EpochClock clock, final PrintStream echo)
    {
        IoUtil.ensureDirectoryExists(dir, "status");
        this.file = new File(dir, name + SUFFIX);
        IoUtil.deleteIfExists(file);
        this.mapped = IoUtil.mapNewFile(file, length);
        this.log = new DistinctErrorLog(new UnsafeBuffer(mapped), clock, StandardCharsets.UTF_8);
        this.echo = echo;
    }

    public File file()
    {
        return file;
    }

    /**
     * Records an error. Safe from any thread.
     *
     * @param error the error.
     * @return false if the log is full (the error was not recorded).
     */
    public boolean record(final Throwable error)
    {
        final boolean recorded = log.record(error);
        if (null != echo)
        {
            final long n = echoed.incrementAndGet();
            if (n < MAX_ECHOED)
            {
                echo.println("error: " + error);
            }
            else if (n == MAX_ECHOED)
            {
                echo.println("error: " + error + " (further errors go only to " + file + ")");
            }
        }
        return recorded;
    }

    /**
     * @return an Agrona error handler that records into this log.
     */
    public org.agrona.ErrorHandler handler()
    {
        return this::record;
    }

    /**
     * Reads a log file written by any process.
     *
     * @param file     the file.
     * @param consumer called for each distinct error.
     * @return the number of distinct errors read.
     */
    public static int read(final File file, final ErrorConsumer consumer)
    {
        final MappedByteBuffer buffer = IoUtil.mapExistingFile(file, "error log");
        try
        {
            final AtomicBuffer atomic = new UnsafeBuffer(buffer);
            return ErrorLogReader.read(atomic, consumer);
        }
        finally
        {
            IoUtil.unmap(buffer);
        }
    }

    public void close()
    {
        CloseHelper.quietClose(() -> IoUtil.unmap(mapped));
    }
}
