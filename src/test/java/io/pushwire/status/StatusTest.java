package io.pushwire.status;

import io.aeron.Aeron;
import io.pushwire.test.EmbeddedDriver;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusTest
{
    @Test
    void shouldKeepDistinctErrorsWithCountsReadableFromTheFile(@TempDir final File dir)
    {
        final List<String> seen = new ArrayList<>();
        try (ErrorLog log = new ErrorLog(dir, "gateway-1", 64 * 1024, SystemEpochClock.INSTANCE, null))
        {
            for (int i = 0; i < 5; i++)
            {
                log.record(sameError());
            }
            log.record(new IllegalArgumentException("other"));

            final int distinct = ErrorLog.read(log.file(), (count, first, last, text) -> seen.add(count + " " + text.lines().findFirst().orElse("")));
            assertEquals(2, distinct);
        }
        assertTrue(seen.contains("5 java.lang.IllegalStateException: boom"), seen.toString());
        assertTrue(seen.contains("1 java.lang.IllegalArgumentException: other"), seen.toString());
    }

    private static IllegalStateException sameError()
    {
        return new IllegalStateException("boom");
    }

    @Test
    void shouldListProcessesAndHeartbeatsFromTheCncFile()
    {
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            ProcessStatus status = new ProcessStatus(aeron, ProcessStatus.ROLE_GATEWAY, 7, "v2-canary", 1_000L);
            Aeron reader = driver.connect())
        {
            status.heartbeat(5_000L);
            final List<ProcessStatus.Entry> entries = new ArrayList<>();
            io.pushwire.test.Await.until("process counter visible", 5_000, () ->
            {
                entries.clear();
                ProcessStatus.forEach(reader.countersReader(), entries::add);
                return entries.size() == 1 && entries.get(0).heartbeatMs() == 5_000L;
            });
            final ProcessStatus.Entry entry = entries.get(0);
            assertEquals("gateway-7", entry.name());
            assertEquals("v2-canary", entry.version());
            assertEquals(ProcessHandle.current().pid(), entry.pid());
            assertEquals(1_000L, entry.startedAtMs());
        }
    }

    @Test
    void shouldWriteIntervalHistogramsThatReadBack(@TempDir final File dir) throws Exception
    {
        final long start = 1_000_000L;
        try (LatencyLog log = new LatencyLog(dir, "dispatch-0-push", 1_000, start))
        {
            for (int i = 1; i <= 100; i++)
            {
                log.record(TimeUnit.MICROSECONDS.toNanos(i * 10));
            }
            assertEquals(0, log.poll(start + 500));
            assertEquals(1, log.poll(start + 1_000));
            log.record(TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(1, log.poll(start + 2_000));
        }
        final Histogram all = LatencyLog.readSince(new File(dir, "dispatch-0-push" + LatencyLog.SUFFIX), 0);
        assertEquals(101, all.getTotalCount());
        final Histogram last = LatencyLog.readSince(new File(dir, "dispatch-0-push" + LatencyLog.SUFFIX), start + 1_500);
        assertEquals(1, last.getTotalCount());
        assertTrue(last.getMaxValue() >= TimeUnit.MILLISECONDS.toNanos(50));
    }
}
