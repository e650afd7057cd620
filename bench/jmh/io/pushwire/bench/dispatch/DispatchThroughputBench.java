package io.pushwire.bench.dispatch;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.pushwire.dispatch.Dispatch;
import io.pushwire.dispatch.DispatchContext;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.DispatchProxy;
import io.pushwire.link.DownstreamAdapter;
import io.pushwire.link.DownstreamListener;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.NotifyDecoder;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushListener;
import io.pushwire.sender.PushRequest;
import io.pushwire.store.StoreContext;
import io.pushwire.store.SyncPolicy;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Dispatch + store throughput and latency, in one JVM, over real Aeron IPC: a media driver, dispatch on its
 * own thread with its Chronicle store on disk, a {@link PushClient} sender, and a gateway peer thread
 * holding N online devices that ACKs every MSG it gets (as devices do), so each push costs dispatch a
 * command, a MESSAGE append, an inline MSG and an ACK append.
 * <p>
 * Phase 1: as many pushes per second as dispatch accepts (a window of pushes in flight), counting those
 * accepted-stored-and-delivered. Phase 2: a fixed rate; latency from the push's intended send time
 * (no coordinated omission) to the frame reaching the gateway peer, in an HdrHistogram.
 * <pre>
 *   java @bin/jvm.options -cp ... io.pushwire.bench.dispatch.DispatchThroughputBench [seconds] [devices] [rate] [sync] [latency|throughput|both]
 * </pre>
 */
public final class DispatchThroughputBench
{
    private DispatchThroughputBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final int devices = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        final SyncPolicy sync = args.length > 3 ? SyncPolicy.parse(args[3]) : SyncPolicy.NONE;
        final String mode = args.length > 4 ? args[4] : "both";
        final File storeDir = new File("target/bench-dispatch-store-" + System.nanoTime());
        final String aeronDir = "/dev/shm/pushwire-bench-" + System.nanoTime();
        final int termLength = 8 * 1024 * 1024;
        try (MediaDriver driver = MediaDriver.launch(BoxMediaDriver.context(aeronDir, termLength, true));
            Aeron aeron = BoxMediaDriver.connect(aeronDir, "bench"))
        {
            System.out.println("media driver in " + driver.aeronDirectoryName());
            final String channel = "aeron:ipc?term-length=" + termLength;
            final Dispatch dispatch = new Dispatch(new DispatchContext()
                .aeron(aeron)
                .publicationChannel(channel)
                .subscriptionChannel("aeron:ipc")
                .window(32)
                .storeContext(new StoreContext().dir(storeDir).syncPolicy(sync).syncIntervalMs(10)))
                .start();
            final Peer peer = new Peer(aeron, channel, devices);
            final Thread peerThread = new Thread(peer, "gateway-peer");
            peerThread.start();
            final PushClient client = PushClient.connect(aeron, channel);
            client.awaitConnected(java.time.Duration.ofSeconds(10));
            peer.openSessions();
            while (dispatch.counters().onlineDevices.get() < devices)
            {
                Thread.sleep(10);
            }
            System.out.printf("%d devices online, store sync=%s%n", devices, sync);

            final String[] ids = new String[devices];
            for (int i = 0; i < devices; i++)
            {
                ids[i] = "device-" + i;
            }
            if (!mode.equals("throughput"))
            {
                runFixedRate(client, peer, ids, 2, rate, "warm-up at rate");
                runFixedRate(client, peer, ids, seconds, rate, "fixed rate");
            }
            if (!mode.equals("latency"))
            {
                runMaxThroughput(client, peer, ids, 2, "warm-up");
                final Thread agentThread = Thread.getAllStackTraces().keySet().stream()
                    .filter((t) -> t.getName().equals("dispatch")).findFirst().orElseThrow();
                final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
                final long allocatedBefore = threads.getThreadAllocatedBytes(agentThread.threadId());
                final long acceptedBefore = dispatch.counters().pushesAccepted.get();
                runMaxThroughput(client, peer, ids, seconds, "max throughput");
                final long pushes = dispatch.counters().pushesAccepted.get() - acceptedBefore;
                final long allocated = threads.getThreadAllocatedBytes(agentThread.threadId()) - allocatedBefore;
                System.out.printf("dispatch agent thread allocated %,d bytes for %,d pushes = %.2f bytes/push%n",
                    allocated, pushes, allocated / (double)pushes);
            }
            System.out.printf("dispatch back-pressured offers: %d%n", dispatch.agent().backPressured());

            peer.running = false;
            peerThread.join();
            CloseHelper.closeAll(client, dispatch);
        }
        finally
        {
            IoUtil.delete(storeDir, true);
        }
    }

    private static void runMaxThroughput(
        final PushClient client, final Peer peer, final String[] ids, final int seconds, final String name)
    {
        final int window = 1024;
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final PushListener listener = new PushListener()
        {
            public void onAccepted(final long correlationId, final long messageId)
            {
                accepted.incrementAndGet();
                inFlight.decrementAndGet();
            }

            public void onError(final long correlationId, final int code, final String text)
            {
                inFlight.decrementAndGet();
            }
        };
        final PushRequest request = PushRequest.toDevice(ids[0]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        final long deliveredBefore = peer.delivered.get();
        final long startNs = System.nanoTime();
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        while (System.nanoTime() < endNs)
        {
            while (inFlight.get() >= window)
            {
                Thread.onSpinWait();
            }
            inFlight.incrementAndGet();
            payload.putLong(0, System.nanoTime(), ByteOrder.LITTLE_ENDIAN);
            if (client.tryPush(request.target(ids[(int)(sent % ids.length)]).payload(payload, 0, 32), listener) < 0)
            {
                inFlight.decrementAndGet();
            }
            sent++;
        }
        while (inFlight.get() > 0)
        {
            Thread.onSpinWait();
        }
        final double elapsedSec = (System.nanoTime() - startNs) / 1e9;
        waitForDelivery(peer, deliveredBefore + accepted.get());
        System.out.printf("%s: %,d pushes accepted in %.2f s = %,.0f pushes/s accepted-stored-and-delivered (%,d delivered)%n",
            name, accepted.get(), elapsedSec, accepted.get() / elapsedSec, peer.delivered.get() - deliveredBefore);
    }

    private static void runFixedRate(
        final PushClient client, final Peer peer, final String[] ids, final int seconds, final int rate, final String name)
    {
        peer.histogram.reset();
        final PushListener ignore = new PushListener()
        {
            public void onAccepted(final long correlationId, final long messageId)
            {
            }

            public void onError(final long correlationId, final int code, final String text)
            {
            }
        };
        final PushRequest request = PushRequest.toDevice(ids[0]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        final long deliveredBefore = peer.delivered.get();
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final long startNs = System.nanoTime();
        final long count = (long)rate * seconds;
        for (long i = 0; i < count; i++)
        {
            final long intendedNs = startNs + i * intervalNs;
            long waitNs;
            while ((waitNs = intendedNs - System.nanoTime()) > 0)
            {
                // park rather than spin: the box has two cores shared by every thread of the bench
                LockSupport.parkNanos(Math.min(waitNs, 50_000));
            }
            payload.putLong(0, intendedNs, ByteOrder.LITTLE_ENDIAN);
            client.tryPush(request.target(ids[(int)(i % ids.length)]).payload(payload, 0, 32), ignore);
        }
        waitForDelivery(peer, deliveredBefore + count);
        final Histogram h = peer.histogram.copy();
        System.out.printf("%s %,d/s for %d s: push -> gateway peer latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%,d samples)%n",
            name, rate, seconds, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
            h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount());
    }

    private static void waitForDelivery(final Peer peer, final long target)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (peer.delivered.get() < target && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
    }


    /**
     * A gateway with two reactors and N devices that ACK every MSG.
     */
    static final class Peer implements Runnable, DownstreamListener
    {
        final AtomicLong delivered = new AtomicLong();
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        volatile boolean running = true;
        private final int devices;
        private final DispatchProxy[] proxies = new DispatchProxy[2];
        private final DownstreamAdapter[] adapters = new DownstreamAdapter[2];
        private final MsgDecoder msg = new MsgDecoder();
        private final NotifyDecoder notify = new NotifyDecoder();
        private final long[] cursors;
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[64]);
        private volatile boolean open;

        Peer(final Aeron aeron, final String channel, final int devices)
        {
            this.devices = devices;
            this.cursors = new long[devices];
            for (int r = 0; r < 2; r++)
            {
                proxies[r] = new DispatchProxy(aeron.addExclusivePublication(channel, LinkConfiguration.UPSTREAM_STREAM_ID), 4096);
                adapters[r] = new DownstreamAdapter(aeron.addSubscription(channel, LinkConfiguration.downstreamStreamId(0, r)), this);
            }
        }

        void openSessions()
        {
            open = true;
        }

        public void run()
        {
            while (!proxies[0].publication().isConnected() || !proxies[1].publication().isConnected())
            {
                Thread.onSpinWait();
            }
            while (!open)
            {
                Thread.onSpinWait();
            }
            final UnsafeBuffer hello = new UnsafeBuffer(new byte[256]);
            final UnsafeBuffer token = new UnsafeBuffer(new byte[]{ 1 });
            for (int i = 0; i < devices; i++)
            {
                final UnsafeBuffer id = new UnsafeBuffer(("device-" + i).getBytes(StandardCharsets.UTF_8));
                final int length = FrameEncoder.hello(hello, 0, 1, id, 0, id.capacity(), token, 0, 1, 60, new long[0], new long[0], 0);
                final int headerLength = FrameHeader.headerLength(hello, 0);
                final int reactor = i & 1;
                while (proxies[reactor].sessionOpened(ConnectionId.pack(0, reactor, i, 1), System.currentTimeMillis(), 60,
                    hello, headerLength, length - headerLength) < 0)
                {
                    poll();
                }
            }
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 50_000);
            while (running)
            {
                idle.idle(poll());
            }
        }

        private int poll()
        {
            return adapters[0].poll(256) + adapters[1].poll(256);
        }

        public boolean onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
        {
            final int type = FrameHeader.type(buffer, offset);
            if (type == FrameType.NOTIFY)
            {
                notify.wrap(buffer, offset + FrameHeader.headerLength(buffer, offset), FrameHeader.bodyLength(buffer, offset));
                final int device = ConnectionId.slot(connectionId);
                if (notify.newestSeq() > cursors[device])
                {
                    send(connectionId, FrameType.PULL, FrameEncoder.pull(ack, 0, notify.streamId(), cursors[device] + 1, notify.newestSeq()));
                }
                return true;
            }
            if (type != FrameType.MSG)
            {
                return true;
            }
            final long now = System.nanoTime();
            msg.wrap(buffer, offset + FrameHeader.headerLength(buffer, offset), FrameHeader.bodyLength(buffer, offset),
                FrameHeader.flags(buffer, offset));
            histogram.recordValue(Math.max(0, now - buffer.getLong(msg.payloadOffset())));
            delivered.incrementAndGet();
            final int device = ConnectionId.slot(connectionId);
            cursors[device] = Math.max(cursors[device], msg.seq());
            send(connectionId, FrameType.ACK, FrameEncoder.ack(ack, 0, msg.streamId(), msg.seq()));
            return true;
        }

        private void send(final long connectionId, final int type, final int frameLength)
        {
            final int headerLength = FrameHeader.headerLength(ack, 0);
            final DispatchProxy proxy = proxies[ConnectionId.reactor(connectionId)];
            while (proxy.deviceFrame(connectionId, type, ack, headerLength, frameLength - headerLength) < 0)
            {
                Thread.onSpinWait();
            }
        }

        public void onClose(final long connectionId, final int closeReason)
        {
        }

        public void onTopicBind(final long connectionId, final long topicStreamId)
        {
        }

        public void onTopicUnbind(final long connectionId, final long topicStreamId)
        {
        }

        public boolean onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }
    }
}
