package io.pushwire.bench.gateway;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.link.GatewayProxy;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.LinkMessages;
import io.pushwire.link.TopicFanoutProxy;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.protocol.WelcomeDecoder;
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

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's hot paths through the real classes: one {@link Gateway} in invoker mode (one reactor) on a real
 * embedded media driver, {@value #DEVICES} devices on real loopback sockets, all on the benchmark thread. Each
 * operation runs gateway duty cycles until the result has arrived:
 * <ul>
 *   <li>{@code pingPong}: a device writes PING; the reactor selects, reads into its scratch buffer, decodes in
 *   place, writes PONG and moves the deadline; the device reads the PONG.</li>
 *   <li>{@code ackUpstream}: a device writes ACK; the reactor decodes it and offers it upstream; the benchmark
 *   polls the upstream stream until the DEVICE_FRAME is there.</li>
 *   <li>{@code deliver}: DELIVER of a 64-byte-payload MSG on the reactor's downstream stream; written to one
 *   socket; read by the device.</li>
 *   <li>{@code topicDeliver16} / {@code broadcast16}: one TOPIC_DELIVER, for a topic all {@value #DEVICES} devices
 *   are bound to / for broadcast; written to every socket; read by every device.</li>
 * </ul>
 * Times include the device side's syscalls (two per socket per operation). Run with {@code -prof gc}: the gateway
 * must allocate nothing per operation (and the device side here allocates nothing either). {@code -prof gc} counts
 * every thread of the JVM, the embedded driver's and the Aeron client's included; {@link #main} runs the same
 * operations without JMH and reports the benchmark thread's own allocation (gateway and devices) apart from the
 * rest:
 * <pre>
 *   java @bin/jvm.options -cp ... io.pushwire.bench.gateway.GatewayPathBenchmark [operations per round]
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GatewayPathBenchmark
{
    private static final int DEVICES = 16;
    private static final long TOPIC_STREAM_ID = 1L << 40;
    private static final long SPIN_LIMIT = 10_000_000;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private Gateway gateway;
    private Subscription upstream;
    private GatewayProxy downstream;
    private TopicFanoutProxy fanout;
    private final SocketChannel[] devices = new SocketChannel[DEVICES];
    private final long[] sessionIds = new long[DEVICES];
    private final int[] received = new int[DEVICES];
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private final ByteBuffer ping = ByteBuffer.allocateDirect(16);
    private final ByteBuffer ack = ByteBuffer.allocateDirect(16);
    private final UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private int msgLength;
    private int pongLength;
    private long deviceFrames;
    private final FragmentHandler upstreamSink = (buffer, offset, length, header) ->
    {
        if (LinkMessages.DEVICE_FRAME == buffer.getInt(offset + LinkMessages.TYPE_OFFSET))
        {
            deviceFrames++;
        }
    };

    @Setup
    public void setUp() throws IOException
    {
        driver = new EmbeddedDriver();
        aeron = driver.connect();
        upstream = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        gateway = Gateway.launch(new GatewayContext()
            .gatewayId(1)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
            .maxConnections(64)
            .rateFramesPerSec(1_000_000)
            .rateBurstFrames(1_000_000)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel()));
        downstream = new GatewayProxy(aeron.addExclusivePublication(
            EmbeddedDriver.ipcChannel(), LinkConfiguration.downstreamStreamId(1, 0)), 64 * 1024);
        fanout = new TopicFanoutProxy(aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.TOPIC_STREAM_ID), 64 * 1024);
        spin(() -> upstream.isConnected() && downstream.publication().isConnected() && fanout.publication().isConnected());

        final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < DEVICES; i++)
        {
            final String deviceId = "bench-device-" + i;
            devices[i] = SocketChannel.open(new InetSocketAddress("127.0.0.1", gateway.port()));
            devices[i].configureBlocking(false);
            final int length = FrameEncoder.hello(
                out, 0, 1, deviceId, issuer.issue(1, deviceId, now - 10, now + 86_400), 1800, new long[0], new long[0], 0);
            writeFully(devices[i], out.byteBuffer().duplicate().limit(length).position(0));
            final int device = i;
            spin(() -> readFrame(device, FrameType.WELCOME));
        }
        for (int i = 0; i < DEVICES; i++)
        {
            if (downstream.bindTopic(sessionIds[i], TOPIC_STREAM_ID) < 0)
            {
                throw new IllegalStateException("bind refused");
            }
        }

        ping.limit(FrameEncoder.ping(new UnsafeBuffer(ping), 0, 1800));
        pongLength = FrameEncoder.pong(new UnsafeBuffer(new byte[16]), 0, 1800);
        ack.limit(FrameEncoder.ack(new UnsafeBuffer(ack), 0, 0, 123_456));
        msgLength = FrameEncoder.msg(msg, 0, 0, 0, 1234, 1L << 40, 7, new UnsafeBuffer(new byte[64]), 0, 64);
        topicDeliver16();
    }

    @TearDown
    public void tearDown()
    {
        for (final SocketChannel device : devices)
        {
            CloseHelper.quietClose(device);
        }
        CloseHelper.closeAll(gateway, aeron, driver);
    }

    @Benchmark
    public int pingPong()
    {
        ping.position(0);
        writeFully(devices[0], ping);
        received[0] = 0;
        long spins = 0;
        while (received[0] < pongLength)
        {
            gateway.doWork();
            read(0);
            checkSpins(++spins);
        }
        return received[0];
    }

    @Benchmark
    public long ackUpstream()
    {
        ack.position(0);
        writeFully(devices[0], ack);
        final long target = deviceFrames + 1;
        long spins = 0;
        while (deviceFrames < target)
        {
            gateway.doWork();
            upstream.poll(upstreamSink, 16);
            checkSpins(++spins);
        }
        return deviceFrames;
    }

    @Benchmark
    public int deliver()
    {
        long spins = 0;
        while (downstream.deliver(sessionIds[0], msg, 0, msgLength) < 0)
        {
            gateway.doWork();
            checkSpins(++spins);
        }
        received[0] = 0;
        while (received[0] < msgLength)
        {
            gateway.doWork();
            read(0);
            checkSpins(++spins);
        }
        return received[0];
    }

    @Benchmark
    public int topicDeliver16()
    {
        return fanOut(TOPIC_STREAM_ID);
    }

    @Benchmark
    public int broadcast16()
    {
        return fanOut(Protocol.BROADCAST_STREAM_ID);
    }

    private int fanOut(final long topicStreamId)
    {
        long spins = 0;
        while (fanout.deliver(topicStreamId, msg, 0, msgLength) < 0)
        {
            gateway.doWork();
            checkSpins(++spins);
        }
        for (int i = 0; i < DEVICES; i++)
        {
            received[i] = 0;
        }
        int done = 0;
        while (done < DEVICES)
        {
            gateway.doWork();
            done = 0;
            for (int i = 0; i < DEVICES; i++)
            {
                if (received[i] < msgLength)
                {
                    read(i);
                }
                if (received[i] >= msgLength)
                {
                    done++;
                }
            }
            checkSpins(++spins);
        }
        return done;
    }

    private void read(final int device)
    {
        in.clear();
        try
        {
            final int n = devices[device].read(in);
            if (n < 0)
            {
                throw new IllegalStateException("device " + device + " closed by the gateway");
            }
            received[device] += n;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private boolean readFrame(final int device, final int type)
    {
        in.clear();
        try
        {
            final int n = devices[device].read(in);
            if (n > 0 && FrameHeader.type(inView, 0) == type)
            {
                final WelcomeDecoder welcome = new WelcomeDecoder();
                welcome.wrap(inView, FrameHeader.headerLength(inView, 0), FrameHeader.bodyLength(inView, 0));
                sessionIds[device] = welcome.sessionId();
                return true;
            }
            if (n != 0)
            {
                throw new IllegalStateException("device " + device + " got " + n + " bytes, not " + FrameType.name(type));
            }
            return false;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeFully(final SocketChannel channel, final ByteBuffer buffer)
    {
        try
        {
            long spins = 0;
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
                checkSpins(++spins);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void spin(final java.util.function.BooleanSupplier condition)
    {
        long spins = 0;
        while (!condition.getAsBoolean())
        {
            gateway.doWork();
            checkSpins(++spins);
        }
    }

    private static void checkSpins(final long spins)
    {
        if (spins > SPIN_LIMIT)
        {
            throw new IllegalStateException("no progress after " + SPIN_LIMIT + " duty cycles");
        }
    }

    /**
     * Each operation in rounds, printing time and bytes allocated per operation: by this thread (the gateway's
     * reactor and the devices) and by every thread.
     *
     * @param args operations per round (default 20,000).
     * @throws IOException if the setup fails.
     */
    public static void main(final String[] args) throws IOException
    {
        final int operations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final GatewayPathBenchmark bench = new GatewayPathBenchmark();
        bench.setUp();
        try
        {
            final String[] names = { "pingPong", "ackUpstream", "deliver", "topicDeliver16", "broadcast16" };
            for (int round = 1; round <= 3; round++)
            {
                for (final String name : names)
                {
                    final long allBefore = allocatedByAllThreads(threads);
                    final long before = threads.getCurrentThreadAllocatedBytes();
                    final long startNs = System.nanoTime();
                    for (int i = 0; i < operations; i++)
                    {
                        bench.run(name);
                    }
                    final long timeNs = System.nanoTime() - startNs;
                    final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    final long allAllocated = allocatedByAllThreads(threads) - allBefore;
                    System.out.printf("round %d %-15s %9.1f ns/op   this thread %.3f B/op   all threads %.3f B/op%n",
                        round, name, (double)timeNs / operations, (double)allocated / operations, (double)allAllocated / operations);
                }
            }
        }
        finally
        {
            bench.tearDown();
        }
    }

    private void run(final String name)
    {
        switch (name)
        {
            case "pingPong" -> pingPong();
            case "ackUpstream" -> ackUpstream();
            case "deliver" -> deliver();
            case "topicDeliver16" -> topicDeliver16();
            default -> broadcast16();
        }
    }

    private static long allocatedByAllThreads(final com.sun.management.ThreadMXBean threads)
    {
        long total = 0;
        for (final long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
        {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
