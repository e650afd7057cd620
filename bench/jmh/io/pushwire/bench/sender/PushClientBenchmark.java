package io.pushwire.bench.sender;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushListener;
import io.pushwire.sender.PushRequest;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What one push costs the sender: a real {@link PushClient} on a real embedded media driver, and a fake dispatch
 * on the benchmark thread that answers every PUSH with ACCEPTED at once. One operation = submit a push (encode,
 * offer), the fake dispatch reads it and answers, and the benchmark spins until the client's poller thread has
 * completed the request. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} counts every thread, so it
 * includes the poller's work (decode, completion) as well as the caller's, plus a small constant share of the
 * media driver's own threads. {@link #main} separates the threads: the caller's and the client poller's bytes
 * per push, from {@code com.sun.management.ThreadMXBean}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PushClientBenchmark
{
    private static final int DEVICES = 1000;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private Subscription commands;
    private Publication responses;
    private PushClient client;
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandMessages.ACCEPTED_LENGTH]);
    private final FragmentHandler fakeDispatch = (buffer, offset, length, header) ->
    {
        CommandEncoder.header(answer, 0, CommandMessages.ACCEPTED, buffer.getLong(offset + CommandMessages.CLIENT_ID_OFFSET),
            buffer.getLong(offset + CommandMessages.CORRELATION_ID_OFFSET));
        answer.putLong(CommandMessages.MESSAGE_ID_OFFSET, 1L << 40);
        answer.putInt(CommandMessages.ACCEPTED_TARGETS_OFFSET, 1);
        while (responses.offer(answer, 0, CommandMessages.ACCEPTED_LENGTH) < 0)
        {
            Thread.onSpinWait();
        }
    };
    private final PushRequest reused = PushRequest.toDevice("sim-0-1").payload(new byte[64]);
    private final String prefix = "sim";
    private final String[] devices = new String[DEVICES];
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final Answered answered = new Answered();
    private long n;

    @Setup
    public void setUp()
    {
        driver = new EmbeddedDriver();
        aeron = driver.connect();
        commands = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID);
        responses = aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.RESPONSE_STREAM_ID);
        client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()).awaitConnected(Duration.ofSeconds(10));
        for (int k = 0; k < DEVICES; k++)
        {
            devices[k] = prefix + "-" + (k / 100) + "-" + (k % 100);
        }
    }

    @TearDown
    public void tearDown()
    {
        CloseHelper.closeAll(client, commands, responses, aeron, driver);
    }

    /**
     * {@code pushAsync} of one request object reused for every push: the client's own cost.
     */
    @Benchmark
    public Object pushAsync()
    {
        final CompletableFuture<Long> future = client.pushAsync(reused);
        answer();
        while (!future.isDone())
        {
            Thread.onSpinWait();
        }
        return future;
    }

    /**
     * What the simulator's sender did per push before the allocation-free API: a device id string, a new
     * request, a new payload, {@code pushAsync} and a {@code whenComplete} callback.
     */
    @Benchmark
    public Object pushAsyncNewRequest()
    {
        final int k = (int)(n++ % DEVICES);
        final byte[] payload = new byte[64];
        final CompletableFuture<Long> future = client.pushAsync(
            PushRequest.toDevice(prefix + "-" + (k / 100) + "-" + (k % 100)).payload(payload));
        final CompletableFuture<Long> callback = future.whenComplete((id, error) -> n += null == error ? 0 : 1);
        answer();
        while (!callback.isDone())
        {
            Thread.onSpinWait();
        }
        return callback;
    }

    /**
     * What the simulator's sender does per push now: {@code tryPush} of one reused request (target replaced from
     * strings made beforehand, payload copied in from a reused buffer), answered on a listener.
     */
    @Benchmark
    public long tryPush()
    {
        final int k = (int)(n++ % DEVICES);
        payload.putLong(0, n);
        final long correlationId = client.tryPush(reused.target(devices[k]).payload(payload, 0, 64), answered);
        answer();
        while (answered.correlationId != correlationId)
        {
            Thread.onSpinWait();
        }
        return correlationId;
    }

    static final class Answered implements PushListener
    {
        volatile long correlationId;

        public void onAccepted(final long correlationId, final long messageId)
        {
            this.correlationId = correlationId;
        }

        public void onError(final long correlationId, final int code, final String text)
        {
            this.correlationId = correlationId;
        }
    }

    private void answer()
    {
        while (commands.poll(fakeDispatch, 1) == 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Bytes allocated per push by the calling thread and by the client's poller thread, measured with
     * {@code ThreadMXBean.getThreadAllocatedBytes} around {@code args[0]} operations (default 100,000) per round,
     * five rounds (the first two warm the JIT).
     */
    public static void main(final String[] args)
    {
        final int operations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PushClientBenchmark bench = new PushClientBenchmark();
        bench.setUp();
        try
        {
            final Thread poller = Thread.getAllStackTraces().keySet().stream()
                .filter((thread) -> thread.getName().startsWith("push-client-")).findFirst().orElseThrow();
            final long[] ids = { Thread.currentThread().threadId(), poller.threadId() };
            for (int round = 1; round <= 5; round++)
            {
                for (final String name : new String[]{ "pushAsync", "pushAsyncNewRequest", "tryPush" })
                {
                    final long[] before = threads.getThreadAllocatedBytes(ids);
                    final long startNs = System.nanoTime();
                    for (int i = 0; i < operations; i++)
                    {
                        switch (name)
                        {
                            case "pushAsync" -> bench.pushAsync();
                            case "pushAsyncNewRequest" -> bench.pushAsyncNewRequest();
                            default -> bench.tryPush();
                        }
                    }
                    final long tookNs = System.nanoTime() - startNs;
                    final long[] after = threads.getThreadAllocatedBytes(ids);
                    System.out.printf("round %d %-20s %8.1f ns/op   caller %7.1f B/op   poller %7.1f B/op%n", round, name,
                        (double)tookNs / operations, (double)(after[0] - before[0]) / operations,
                        (double)(after[1] - before[1]) / operations);
                }
            }
        }
        finally
        {
            bench.tearDown();
        }
    }
}
