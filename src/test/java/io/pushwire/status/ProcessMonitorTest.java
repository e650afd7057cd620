package io.pushwire.status;

import io.aeron.Aeron;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMonitorTest
{
    @Test
    void shouldRegisterAsStartingHeartbeatOnceServingRecordErrorsAndWriteLatencyIntervals(@TempDir final File dir) throws Exception
    {
        final long[] now = { 10_000L };
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            ProcessMonitor monitor = new ProcessMonitor(aeron, ProcessStatus.ROLE_GATEWAY, 3, "v9", dir, 64 * 1024, 1_000,
                () -> now[0], null))
        {
            assertEquals("gateway-3", monitor.name());
            final LatencyLog push = monitor.latencyLog("push", now[0]);
            push.record(2_000_000L);
            monitor.errorHandler().onError(new IllegalStateException("x"));

            final List<ProcessStatus.Entry> entries = new ArrayList<>();
            Await.until("registered, starting", 5_000, () ->
            {
                entries.clear();
                ProcessStatus.forEach(aeron.countersReader(), entries::add);
                return entries.size() == 1;
            });
            assertFalse(entries.get(0).isServing(), "no heartbeat before it serves");
            now[0] += 1_000;
            assertEquals(1, monitor.doWork(now[0]), "the latency interval only");
            assertEquals(ProcessStatus.STARTING, heartbeat(aeron));

            monitor.serving();
            now[0] += 100;
            assertEquals(1, monitor.doWork(now[0]), "the first heartbeat at once");
            assertEquals(0, monitor.doWork(now[0] + 400));
            assertEquals(2, monitor.doWork(now[0] + 1_000), "a heartbeat a second, and the next latency interval");
            Await.until("heartbeat visible", 5_000, () -> heartbeat(aeron) == 12_100L);
            entries.clear();
            ProcessStatus.forEach(aeron.countersReader(), entries::add);
            assertTrue(entries.get(0).isServing());
            assertEquals(10_000L, entries.get(0).startedAtMs());
            assertEquals(1, ErrorLog.read(new File(dir, "gateway-3.err"), (c, f, l, t) -> { }));
            assertEquals(1, LatencyLog.readSince(new File(dir, "gateway-3-push.hlog"), 0).getTotalCount());
            assertTrue(push.file().getName().endsWith(".hlog"));
        }
    }

    private static long heartbeat(final Aeron aeron)
    {
        final long[] heartbeatMs = { -1 };
        ProcessStatus.forEach(aeron.countersReader(), (entry) -> heartbeatMs[0] = entry.heartbeatMs());
        return heartbeatMs[0];
    }
}
