package io.pushwire.bench.dispatch;

import io.pushwire.store.Store;
import io.pushwire.store.StoreContext;
import io.pushwire.store.StoreRecords;
import io.pushwire.store.SyncPolicy;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;

/**
 * What each sync policy costs an append: appends MESSAGE records (64-byte payloads) with none, periodic
 * (10 ms, driven as the agent drives it) and every, and prints the per-append time (mean and
 * percentiles, including the msync where the policy does one).
 * <pre>
 *   java @bin/jvm.options -cp ... io.pushwire.bench.dispatch.StoreSyncCostBench [appends]
 * </pre>
 */
public final class StoreSyncCostBench
{
    private StoreSyncCostBench()
    {
    }

    public static void main(final String[] args)
    {
        final int appends = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        for (final SyncPolicy policy : SyncPolicy.values())
        {
            final int count = policy == SyncPolicy.EVERY ? Math.min(appends, 5_000) : appends;
            run(policy, count / 10);
            run(policy, count);
        }
    }

    private static void run(final SyncPolicy policy, final int count)
    {
        final File dir = new File("target/bench-sync-store-" + System.nanoTime());
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
        final Histogram histogram = new Histogram(10_000_000_000L, 3);
        try (Store store = new Store(new StoreContext().dir(dir).syncPolicy(policy).syncIntervalMs(10)))
        {
            final long startNs = System.nanoTime();
            for (int i = 1; i <= count; i++)
            {
                final long t0 = System.nanoTime();
                store.appendMessage(StoreRecords.DEVICE_STREAM, i & 1023, i, i, 0, 0, 0, 0, 1, 0, 1, none, 0, 0, payload, 0, 64);
                store.doWork(t0 / 1_000_000);
                histogram.recordValue(System.nanoTime() - t0);
            }
            final double ns = (System.nanoTime() - startNs) / (double)count;
            System.out.printf("sync=%-8s %,8d appends: mean %,.0f ns/append (%,.0f appends/s), p50 %,d ns, p99 %,d ns, p99.9 %,d ns, syncs %,d%n",
                policy, count, ns, 1e9 / ns, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), store.syncs());
        }
        finally
        {
            IoUtil.delete(dir, true);
        }
    }
}
