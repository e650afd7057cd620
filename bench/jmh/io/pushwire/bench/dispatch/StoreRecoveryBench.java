package io.pushwire.bench.dispatch;

import io.pushwire.dispatch.DispatchState;
import io.pushwire.store.Store;
import io.pushwire.store.StoreContext;
import io.pushwire.store.StoreRecords;
import io.pushwire.store.SyncPolicy;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Recovery time: writes N store records as dispatch would (devices, then messages to them, each acked
 * one message later: half MESSAGE with a 16-byte payload, half ACKED), then times a fresh
 * {@link DispatchState} replaying them, which is what dispatch does at start. Deletes the files after.
 * <pre>
 *   java @bin/jvm.options -Xmx3g -cp ... io.pushwire.bench.dispatch.StoreRecoveryBench [records] [devices]
 * </pre>
 */
public final class StoreRecoveryBench
{
    private StoreRecoveryBench()
    {
    }

    public static void main(final String[] args)
    {
        final long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final int devices = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final File dir = new File("target/bench-recovery-store-" + System.nanoTime());
        try
        {
            final long[] heads = new long[devices];
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
            final long writeStartNs = System.nanoTime();
            long written = 0;
            try (Store store = new Store(new StoreContext().dir(dir).syncPolicy(SyncPolicy.NONE)))
            {
                for (int d = 0; d < devices; d++)
                {
                    final UnsafeBuffer id = new UnsafeBuffer(("device-" + d).getBytes(StandardCharsets.UTF_8));
                    store.appendDevice(d, id, 0, id.capacity());
                    written++;
                }
                long messageId = System.currentTimeMillis() << 16;
                final long nowMs = System.currentTimeMillis();
                while (written < records)
                {
                    final int device = (int)((written / 2) % devices);
                    if ((written & 1) == 0)
                    {
                        final long seq = ++heads[device];
                        payload.putLong(0, seq);
                        store.appendMessage(StoreRecords.DEVICE_STREAM, device, seq, ++messageId, nowMs, nowMs + 86_400_000L,
                            1, 0, StoreRecords.FLAG_FIRST_OF_MESSAGE, 0, 1, none, 0, 0, payload, 0, 16);
                    }
                    else if (heads[device] > 1)
                    {
                        store.appendAcked(device, 0, heads[device] - 1);
                    }
                    else
                    {
                        store.appendAcked(device, 0, 0);
                    }
                    written++;
                }
                final double writeSec = (System.nanoTime() - writeStartNs) / 1e9;
                System.out.printf("wrote %,d records (%,d bytes of records) in %.2f s = %,.0f appends/s%n",
                    written, store.appendedBytes(), writeSec, written / writeSec);
            }
            System.out.printf("store files: %,d bytes on disk in %s%n", du(dir), dir);

            for (int run = 1; run <= 2; run++)
            {
                final long startNs = System.nanoTime();
                final DispatchState state;
                final long replayed;
                try (Store store = new Store(new StoreContext().dir(dir).syncPolicy(SyncPolicy.NONE)))
                {
                    state = new DispatchState(1024, 1 << 20);
                    replayed = store.replay(state);
                }
                final long ns = System.nanoTime() - startNs;
                System.out.printf("recovery run %d: %,d records replayed in %,d ms = %,.0f records/s (devices %,d, last message id %d)%n",
                    run, replayed, TimeUnit.NANOSECONDS.toMillis(ns), replayed / (ns / 1e9), state.devices().size(),
                    state.lastMessageId());
            }
        }
        finally
        {
            IoUtil.delete(dir, true);
        }
    }

    private static long du(final File dir)
    {
        long bytes = 0;
        final File[] files = dir.listFiles();
        if (null != files)
        {
            for (final File file : files)
            {
                bytes += file.length();
            }
        }
        return bytes;
    }
}
