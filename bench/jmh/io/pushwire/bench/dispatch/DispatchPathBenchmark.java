package io.pushwire.bench.dispatch;

import io.pushwire.dispatch.DispatchState;
import io.pushwire.protocol.Protocol;
import io.pushwire.store.Store;
import io.pushwire.store.StoreContext;
import io.pushwire.store.StoreRecords;
import io.pushwire.store.StoredMessage;
import io.pushwire.store.SyncPolicy;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of dispatch's per-push path without Aeron, each on its own: the device id lookup (bytes, no
 * String), the store and state work of one push and its ACK (MESSAGE append, apply, ACKED append, apply), and
 * the PULL read-back of a stored message. Run with {@code -prof gc}: allocation per operation must be 0.
 * The store is a real Chronicle Queue under target/, deleted afterwards.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DispatchPathBenchmark
{
    private static final int DEVICES = 10_000;

    private File dir;
    private Store store;
    private DispatchState state;
    private UnsafeBuffer[] ids;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
    private final StoredMessage stored = new StoredMessage(4096);
    private long messageIndex;
    private long messageId = 1L << 40;
    private int next;

    @Setup
    public void setUp()
    {
        dir = new File("target/bench-dispatch-path-" + System.nanoTime());
        store = new Store(new StoreContext().dir(dir).syncPolicy(SyncPolicy.NONE));
        state = new DispatchState(1024, 1 << 20);
        ids = new UnsafeBuffer[DEVICES];
        for (int i = 0; i < DEVICES; i++)
        {
            ids[i] = new UnsafeBuffer(("device-" + i + "-of-a-realistic-length").getBytes(StandardCharsets.UTF_8));
            state.applyDevice(i, ids[i], 0, ids[i].capacity());
        }
        messageIndex = store.appendMessage(StoreRecords.DEVICE_STREAM, 0, 1, messageId, 0, Long.MAX_VALUE, 1, 0,
            StoreRecords.FLAG_FIRST_OF_MESSAGE, 0, 1, none, 0, 0, payload, 0, 64);
    }

    @TearDown
    public void tearDown()
    {
        store.close();
        IoUtil.delete(dir, true);
    }

    @Benchmark
    public int lookupDevice()
    {
        final UnsafeBuffer id = ids[next++ % DEVICES];
        return state.devices().lookup(id, 0, id.capacity());
    }

    @Benchmark
    public long storeAndAckOnePush()
    {
        final int device = next++ % DEVICES;
        final long seq = state.deviceStream(device).head() + 1;
        final long id = ++messageId;
        final long index = store.appendMessage(StoreRecords.DEVICE_STREAM, device, seq, id, 0, Long.MAX_VALUE, 1, 0,
            StoreRecords.FLAG_FIRST_OF_MESSAGE, 0, 1, none, 0, 0, payload, 0, 64);
        state.applyMessage(index, StoreRecords.DEVICE_STREAM, device, seq, id, 0, Long.MAX_VALUE,
            StoreRecords.FLAG_FIRST_OF_MESSAGE, 0, 1, 64);
        state.applyAck(device, Protocol.UNICAST_STREAM_ID, seq);
        store.appendAcked(device, Protocol.UNICAST_STREAM_ID, seq);
        messageIndex = index;
        return index;
    }

    @Benchmark
    public int readBackForPull()
    {
        return store.readMessage(messageIndex, stored) ? stored.payloadLength() : -1;
    }
}
