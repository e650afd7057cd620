package io.pushwire.sim;

import io.pushwire.link.LinkConfiguration;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulator's sender: pushes through {@link PushClient} to the simulated devices, with a bounded
 * number of pushes awaiting {@code accepted}. Each payload starts with the send time
 * ({@code System.nanoTime()}, little-endian), which the device subtracts from its own clock: at a
 * fixed rate it is the intended send time, so a stall is charged to the latency rather than hidden
 * (no coordinated omission).
 */
final class SimPusher implements AutoCloseable
{
    static final int MAX_IN_FLIGHT = 2048;

    private final PushClient client;
    private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final int payloadLength = Math.max(2 * Long.BYTES, SimConfiguration.PAYLOAD.getInt());
    private volatile long nonce;
    private final String prefix = SimConfiguration.DEVICE_PREFIX.get();

    private SimPusher(final PushClient client)
    {
        this.client = client;
    }

    static SimPusher connect()
    {
        return new SimPusher(PushClient.connect(LinkConfiguration.AERON_DIR.get()).awaitConnected(Duration.ofSeconds(10)));
    }

    /**
     * @return a new measurement nonce, carried in every payload from now on.
     */
    long newNonce()
    {
        nonce = ThreadLocalRandom.current().nextLong();
        return nonce;
    }

    long accepted()
    {
        return accepted.get();
    }

    long refused()
    {
        return refused.get();
    }

    void resetCounts()
    {
        accepted.set(0);
        refused.set(0);
    }

    /**
     * Pushes to the devices in turn until {@code maxPushes} or {@code durationNs}, then waits for the
     * pushes still in flight.
     *
     * @param connections  devices the simulator holds.
     * @param perWorker    devices per worker (device k is {@code <prefix>-<k / perWorker>-<k % perWorker>}).
     * @param ratePerSec   pushes a second, or 0 for as fast as dispatch accepts them.
     * @param maxPushes    most pushes to send.
     * @param durationNs   longest time to push for.
     */
    void unicast(final int connections, final int perWorker, final int ratePerSec, final long maxPushes, final long durationNs)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationNs;
        final long intervalNs = ratePerSec > 0 ? TimeUnit.SECONDS.toNanos(1) / ratePerSec : 0;
        long n = 0;
        while (n < maxPushes)
        {
            final long sendNs;
            if (intervalNs > 0)
            {
                sendNs = startNs + n * intervalNs;
                long waitNs;
                while ((waitNs = sendNs - System.nanoTime()) > 0)
                {
                    LockSupport.parkNanos(Math.min(waitNs, 50_000));
                }
            }
            else
            {
                sendNs = System.nanoTime();
            }
            if (sendNs - endNs > 0)
            {
                break;
            }
            if (!window.tryAcquire(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("no answer from dispatch for 10 s with " + MAX_IN_FLIGHT + " pushes in flight");
            }
            final int k = (int)(n % connections);
            final String device = prefix + "-" + (k / perWorker) + "-" + (k % perWorker);
            client.pushAsync(PushRequest.toDevice(device).payload(payload(sendNs))).whenComplete((id, error) ->
            {
                (null == error ? accepted : refused).incrementAndGet();
                window.release();
            });
            n++;
        }
        if (!window.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("pushes still unanswered 30 s after the last was sent");
        }
        window.release(MAX_IN_FLIGHT);
    }

    /**
     * @return the broadcast's message id, once accepted.
     */
    long broadcast()
    {
        final long id = client.push(PushRequest.broadcast().payload(payload(System.nanoTime())));
        accepted.incrementAndGet();
        return id;
    }

    String receipt(final long messageId)
    {
        final Receipt receipt = client.receipt(messageId);
        return "targets " + receipt.targets() + ", delivered " + receipt.delivered() + ", pending " + receipt.pending() +
            ", expired " + receipt.expired();
    }

    private byte[] payload(final long sendNs)
    {
        final byte[] bytes = new byte[payloadLength];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, sendNs).putLong(Long.BYTES, nonce);
        return bytes;
    }

    public void close()
    {
        client.close();
    }
}
