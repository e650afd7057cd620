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
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMonitorTest
{
    @Test
    void shouldRegisterHeartbeatRecordErrorsAndWriteLatencyIntervals(@TempDir final File dir) throws Exception
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

            assertEquals(0, monitor.doWork(now[0] + 500));
            now[0] += 1_000;
            assertEquals(2, monitor.doWork(now[0]));

            final List<ProcessStatus.Entry> entries = new ArrayList<>();
            Await.until("heartbeat visible", 5_000, () ->
            {
                entries.clear();
                ProcessStatus.forEach(aeron.countersReader(), entries::add);
                return entries.size() == 1 && entries.get(0).heartbeatMs() == 11_000L;
            });
            assertEquals(10_000L, entries.get(0).startedAtMs());
            assertEquals(1, ErrorLog.read(new File(dir, "gateway-3.err"), (c, f, l, t) -> { }));
            assertEquals(1, LatencyLog.readSince(new File(dir, "gateway-3-push.hlog"), 0).getTotalCount());
            assertTrue(push.file().getName().endsWith(".hlog"));
        }
    }
}
