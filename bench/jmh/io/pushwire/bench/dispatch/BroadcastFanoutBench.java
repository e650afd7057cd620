package io.pushwire.bench.dispatch;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.pushwire.dispatch.Dispatch;
import io.pushwire.dispatch.DispatchContext;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayProcess;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
import io.pushwire.store.StoreContext;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out completion time of one broadcast: dispatch (in this JVM, store on disk) and two real gateways (child
 * JVMs, one reactor each) on one media driver, N devices on TCP loopback split over the two gateways (one
 * selector thread here, so the devices' reading is part of the time), and a {@link PushClient}. Each round
 * pushes one broadcast and times from just before the push until the last device has read its MSG.
 * <pre>
 *   java @bin/jvm.options -Xmx1g -cp ... io.pushwire.bench.dispatch.BroadcastFanoutBench [devices] [rounds]
 * </pre>
 */
public final class BroadcastFanoutBench
{
    private BroadcastFanoutBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int devices = args.length > 0 ? Integer.parseInt(args[0]) : 19_000;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final File storeDir = new File("target/bench-fanout-store-" + System.nanoTime());
        final String aeronDir = "/dev/shm/pushwire-fanout-" + System.nanoTime();
        final List<GatewayProcess> gateways = new ArrayList<>();
        try (MediaDriver driver = MediaDriver.launch(BoxMediaDriver.context(aeronDir, 4 * 1024 * 1024, true));
            Aeron aeron = BoxMediaDriver.connect(aeronDir, "fanout-bench");
            Swarm swarm = new Swarm())
        {
            final String channel = "aeron:ipc?term-length=" + 4 * 1024 * 1024;
            final Dispatch dispatch = new Dispatch(new DispatchContext().aeron(aeron).publicationChannel(channel)
                .subscriptionChannel("aeron:ipc").storeContext(new StoreContext().dir(storeDir))).start();
            final int[] ports = new int[2];
            for (int g = 0; g < 2; g++)
            {
                ports[g] = GatewayProcess.freePort();
                gateways.add(new GatewayProcess("fanout-gateway-" + g, List.of("-Xmx512m"), "io.pushwire.box.Pushwire", List.of(
                    "gateway", "--id", String.valueOf(g), "--port", String.valueOf(ports[g]), "--reactors", "1",
                    "--max-connections", String.valueOf(devices), "--dir", driver.aeronDirectoryName(), "--term-length", "4m")));
            }
            final PushClient client = PushClient.connect(aeron, channel).awaitConnected(Duration.ofSeconds(30));
            Thread.sleep(3_000);
            final long connectStart = System.nanoTime();
            final int welcomed = swarm.connect(ports, devices, TimeUnit.SECONDS.toMillis(120));
            while (dispatch.counters().onlineDevices.get() < welcomed)
            {
                Thread.sleep(10);
            }
            System.out.printf("%,d devices online over 2 gateways in %.1f s (%,d failed: %s)%n", welcomed,
                (System.nanoTime() - connectStart) / 1e9, devices - welcomed, swarm.failures);

            final long[] timesNs = new long[rounds];
            for (int round = 1; round <= rounds; round++)
            {
                Thread.sleep(1_000);
                swarm.startRound(round);
                final long startNs = System.nanoTime();
                client.push(PushRequest.broadcast().payload("round-" + round));
                final long acceptedNs = System.nanoTime();
                swarm.awaitRound(welcomed, TimeUnit.SECONDS.toNanos(30));
                timesNs[round - 1] = swarm.lastReceivedNs - startNs;
                System.out.printf("round %d: accepted after %.2f ms; %,d of %,d devices got the broadcast, the last %.1f ms after the push%n",
                    round, (acceptedNs - startNs) / 1e6, swarm.received, welcomed, timesNs[round - 1] / 1e6);
            }
            Arrays.sort(timesNs);
            System.out.printf("broadcast to %,d devices over 2 gateways: median %.1f ms, best %.1f ms, worst %.1f ms%n",
                welcomed, timesNs[rounds / 2] / 1e6, timesNs[0] / 1e6, timesNs[rounds - 1] / 1e6);
            CloseHelper.closeAll(client);
            gateways.forEach(GatewayProcess::close);
            gateways.clear();
            dispatch.close();
        }
        finally
        {
            gateways.forEach(GatewayProcess::close);
            IoUtil.delete(storeDir, true);
        }
    }

    /**
     * Devices on one selector: HELLO, WELCOME, then read; counts, per round, the devices that read the
     * round's broadcast MSG.
     */
    static final class Swarm implements AutoCloseable
    {
        final Selector selector = Selector.open();
        final List<SocketChannel> channels = new ArrayList<>();
        final ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
        final UnsafeBuffer readView = new UnsafeBuffer(read);
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
        final MsgDecoder msg = new MsgDecoder();
        final StringBuilder failures = new StringBuilder();
        byte[] roundPayload = new byte[0];
        int welcomed;
        int received;
        long lastReceivedNs;

        Swarm() throws IOException
        {
        }

        int connect(final int[] ports, final int count, final long timeoutMs) throws IOException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            final long now = System.currentTimeMillis() / 1000;
            int started = 0;
            int failed = 0;
            while (welcomed + failed < count && System.nanoTime() < deadline)
            {
                while (started < count && started - welcomed - failed < 500)
                {
                    final SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(new InetSocketAddress("127.0.0.1", ports[started % ports.length]));
                    channel.register(selector, SelectionKey.OP_CONNECT, "fan-" + started);
                    channels.add(channel);
                    started++;
                }
                selector.select(10);
                for (final SelectionKey key : selector.selectedKeys())
                {
                    final SocketChannel channel = (SocketChannel)key.channel();
                    try
                    {
                        if (key.isConnectable())
                        {
                            channel.finishConnect();
                            final String deviceId = (String)key.attachment();
                            final int length = FrameEncoder.hello(frame, 0, 1, deviceId, issuer.issue(1, deviceId, now - 10, now + 86_400),
                                1800, new long[0], new long[0], 0);
                            final ByteBuffer bb = frame.byteBuffer().duplicate();
                            bb.limit(length).position(0);
                            channel.write(bb);
                            key.interestOps(SelectionKey.OP_READ);
                        }
                        else if (key.isReadable())
                        {
                            read.clear();
                            final int n = channel.read(read);
                            if (n > 0 && FrameHeader.type(readView, 0) == FrameType.WELCOME)
                            {
                                welcomed++;
                            }
                            else if (n != 0)
                            {
                                failed++;
                                failures.append(n < 0 ? "closed " : FrameType.name(FrameHeader.type(readView, 0)) + " ");
                                key.cancel();
                            }
                        }
                    }
                    catch (final IOException ex)
                    {
                        failed++;
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
            return welcomed;
        }

        void startRound(final int round)
        {
            roundPayload = ("round-" + round).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            received = 0;
        }

        void awaitRound(final int expected, final long timeoutNs) throws IOException
        {
            final long deadline = System.nanoTime() + timeoutNs;
            while (received < expected && System.nanoTime() < deadline)
            {
                selector.selectNow();
                for (final SelectionKey key : selector.selectedKeys())
                {
                    if (key.isValid() && key.isReadable())
                    {
                        read.clear();
                        final int n = ((SocketChannel)key.channel()).read(read);
                        if (n > 0 && containsRoundMsg(n))
                        {
                            received++;
                            lastReceivedNs = System.nanoTime();
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private boolean containsRoundMsg(final int length)
        {
            int offset = 0;
            while (offset < length)
            {
                final int frameLength = FrameHeader.frameLength(readView, offset, length - offset, 1 << 20);
                if (frameLength <= 0)
                {
                    return false;
                }
                if (FrameHeader.type(readView, offset) == FrameType.MSG)
                {
                    msg.wrap(readView, offset + FrameHeader.headerLength(readView, offset), FrameHeader.bodyLength(readView, offset),
                        FrameHeader.flags(readView, offset));
                    if (msg.payloadLength() == roundPayload.length)
                    {
                        boolean same = true;
                        for (int i = 0; i < roundPayload.length && same; i++)
                        {
                            same = readView.getByte(msg.payloadOffset() + i) == roundPayload[i];
                        }
                        if (same)
                        {
                            return true;
                        }
                    }
                }
                offset += frameLength;
            }
            return false;
        }

        public void close()
        {
            channels.forEach(CloseHelper::quietClose);
            CloseHelper.quietClose(selector);
        }
    }
}
