package io.pushwire.gateway;

import io.pushwire.protocol.Probe;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The load probe: a UDP endpoint that answers a probe request at once while the gateway's load is under
 * a threshold and deliberately later above it, the delay growing linearly with load up to a maximum, so a
 * client that races probes to several servers connects to the one that answers first: the least loaded.
 * <p>
 * Delayed answers wait in a bounded ring (first in, first out) and go out from this agent's duty cycle
 * when due; a full ring drops the answer (counted). Nothing blocks. Single-threaded Agent. The socket is
 * {@code SO_REUSEPORT}, so several gateway processes of a box share one probe port (the kernel picks one
 * per datagram). The JDK allocates a sender address for a datagram from a new sender.
 */
final class LoadProbeAgent implements Agent
{
    private static final int RECEIVE_BATCH = 64;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBuffer = BufferUtil.allocateDirectAligned(64, 64);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receiveBuffer);
    private final ByteBuffer sendBuffer = BufferUtil.allocateDirectAligned(64, 64);
    private final UnsafeBuffer sendView = new UnsafeBuffer(sendBuffer);
    private final NanoClock clock;
    private final IntSupplier loadPermille;
    private final LongSupplier connections;
    private final IntSupplier flags;
    private final GatewayCounters counters;
    private final int thresholdPermille;
    private final long maxDelayMs;
    private final long[] dueMs;
    private final long[] nonces;
    private final int[] loads;
    private final SocketAddress[] senders;
    private int head;
    private int size;

    /**
     * @param address      where to bind.
     * @param clock        the clock for delays.
     * @param loadPermille the current load, 0 to 1000.
     * @param connections  connections held, reported in answers.
     * @param flags        {@link Probe#FLAG_DRAINING} / {@link Probe#FLAG_FULL} now.
     * @param counters     requests, delayed and dropped answers.
     * @param ctx          threshold and maximum delay.
     * @param queueLength  delayed answers held at most.
     */
    LoadProbeAgent(
        final InetSocketAddress address,
        final NanoClock clock,
        final IntSupplier loadPermille,
        final LongSupplier connections,
        final IntSupplier flags,
        final GatewayCounters counters,
        final GatewayContext ctx,
        final int queueLength)
    {
        this.clock = clock;
        this.loadPermille = loadPermille;
        this.connections = connections;
        this.flags = flags;
        this.counters = counters;
        this.thresholdPermille = ctx.probeThresholdPercent() * 10;
        this.maxDelayMs = ctx.probeMaxDelayMs();
        this.dueMs = new long[queueLength];
        this.nonces = new long[queueLength];
        this.loads = new int[queueLength];
        this.senders = new SocketAddress[queueLength];
        try
        {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            channel.bind(address);
            channel.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the probe on " + address, ex);
        }
    }

    /**
     * @param loadPermille a load, 0 to 1000.
     * @return how long to hold the answer, ms: 0 up to the threshold, then linear up to the maximum at 1000.
     */
    long delayMs(final int loadPermille)
    {
        final int load = Math.min(1000, Math.max(0, loadPermille));
        if (load <= thresholdPermille)
        {
            return 0;
        }
        return maxDelayMs * (load - thresholdPermille) / (1000 - thresholdPermille);
    }

    int port()
    {
        return channel.socket().getLocalPort();
    }

    public String roleName()
    {
        return "gateway-probe";
    }

    public int doWork() throws IOException
    {
        final long nowMs = clock.nanoTime() / 1_000_000;
        int work = 0;
        for (int i = 0; i < RECEIVE_BATCH; i++)
        {
            receiveBuffer.clear();
            final SocketAddress sender = channel.receive(receiveBuffer);
            if (null == sender)
            {
                break;
            }
            work++;
            if (!Probe.isRequest(receiveView, 0, receiveBuffer.position()))
            {
                continue;
            }
            counters.probeRequests.increment();
            final long nonce = Probe.nonce(receiveView, 0);
            final int load = loadPermille.getAsInt();
            final long delay = delayMs(load);
            if (0 == delay)
            {
                answer(sender, nonce, load);
            }
            else if (size == dueMs.length)
            {
                counters.probeDropped.increment();
            }
            else
            {
                counters.probeDelayed.increment();
                final int tail = (head + size) % dueMs.length;
                dueMs[tail] = nowMs + delay;
                nonces[tail] = nonce;
                loads[tail] = load;
                senders[tail] = sender;
                size++;
            }
        }
        while (size > 0 && dueMs[head] <= nowMs)
        {
            answer(senders[head], nonces[head], loads[head]);
            senders[head] = null;
            head = head + 1 == dueMs.length ? 0 : head + 1;
            size--;
            work++;
        }
        return work;
    }

    private void answer(final SocketAddress sender, final long nonce, final int load) throws IOException
    {
        final int length = Probe.encodeResponse(sendView, 0, nonce, load, connections.getAsLong(), flags.getAsInt());
        sendBuffer.limit(length).position(0);
        channel.send(sendBuffer, sender);
    }

    public void onClose()
    {
        CloseHelper.quietClose(channel);
    }
}
