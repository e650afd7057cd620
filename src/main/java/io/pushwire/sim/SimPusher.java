package io.pushwire.sim;

import io.pushwire.link.LinkConfiguration;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushListener;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulator's sender: pushes through {@link PushClient} to the simulated devices, with a bounded
 * number of pushes awaiting {@code accepted}. Each payload starts with the send time
 * ({@code System.nanoTime()}, little-endian), which the device subtracts from its own clock: at a
 * fixed rate it is the intended send time, so a stall is charged to the latency rather than hidden
 * (no coordinated omission).
 * <p>
 * Unicast pushes go through {@link PushClient#tryPush} with one reused request, payload buffer and listener, and
 * device id strings made before the first push: the sender allocates nothing per push, so its young-GC pauses
 * stay out of the measured latency. The window is a counter the listener decrements on the client's poller
 * thread; the pushing thread waits for room with a backoff (spin, yield, park up to 100 us).
 */
final class SimPusher implements AutoCloseable, PushListener
{
    static final int MAX_IN_FLIGHT = 2048;

    private final PushClient client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final int payloadLength = Math.max(2 * Long.BYTES, SimConfiguration.PAYLOAD.getInt());
    private volatile long nonce;
    private final String prefix = SimConfiguration.DEVICE_PREFIX.get();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[payloadLength]);
    private final BackoffIdleStrategy windowIdle = new BackoffIdleStrategy(
        100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));

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
        final String[] devices = new String[connections];
        for (int k = 0; k < connections; k++)
        {
            devices[k] = prefix + "-" + (k / perWorker) + "-" + (k % perWorker);
        }
        final PushRequest request = PushRequest.toDevice(devices[0]);
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
            awaitInFlightAtMost(MAX_IN_FLIGHT - 1, TimeUnit.SECONDS.toNanos(10),
                "no answer from dispatch for 10 s with " + MAX_IN_FLIGHT + " pushes in flight");
            inFlight.incrementAndGet();
            payload(sendNs);
            if (client.tryPush(request.target(devices[(int)(n % connections)]).payload(payload, 0, payloadLength), this) < 0)
            {
                onError(0, 0, null); // not sent: refused, as a failed future was before
            }
            n++;
        }
        awaitInFlightAtMost(0, TimeUnit.SECONDS.toNanos(30), "pushes still unanswered 30 s after the last was sent");
    }

    /**
     * A push was stored: called on the client's poller thread.
     */
    public void onAccepted(final long correlationId, final long messageId)
    {
        accepted.incrementAndGet();
        inFlight.decrementAndGet();
    }

    /**
     * A push was refused or timed out: called on the client's poller thread.
     */
    public void onError(final long correlationId, final int code, final String text)
    {
        refused.incrementAndGet();
        inFlight.decrementAndGet();
    }

    private void awaitInFlightAtMost(final int most, final long timeoutNs, final String failure)
    {
        if (inFlight.get() <= most)
        {
            return;
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        windowIdle.reset();
        while (inFlight.get() > most)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(failure);
            }
            windowIdle.idle();
        }
    }

    /**
     * @return the broadcast's message id, once accepted.
     */
    long broadcast()
    {
        payload(System.nanoTime());
        final long id = client.push(PushRequest.broadcast().payload(payload, 0, payloadLength));
        accepted.incrementAndGet();
        return id;
    }

    String receipt(final long messageId)
    {
        final Receipt receipt = client.receipt(messageId);
        return "targets " + receipt.targets() + ", delivered " + receipt.delivered() + ", pending " + receipt.pending() +
            ", expired " + receipt.expired();
    }

    private void payload(final long sendNs)
    {
        payload.putLong(0, sendNs, ByteOrder.LITTLE_ENDIAN);
        payload.putLong(Long.BYTES, nonce, ByteOrder.LITTLE_ENDIAN);
    }

    public void close()
    {
        client.close();
    }
}
