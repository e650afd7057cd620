package io.pushwire.gateway;

import io.aeron.Aeron;
import io.pushwire.protocol.CloseReason;
import io.pushwire.status.CounterTypes;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One gateway process's counters, as Aeron client counters in the media driver's CnC file: any tool
 * reads them without asking the process. Labels are {@code gateway-<id>: <name>}; the key holds the
 * gateway id as an int at offset 0; type ids are {@link CounterTypes#GATEWAY_BASE} + the constants below.
 * <p>
 * Thread-safety: the counters are shared by every reactor of the process, so reactors update them with
 * atomic adds ({@link AtomicCounter#increment()}, {@link AtomicCounter#getAndAdd(long)}); the busy ones
 * (frames and bytes) are summed locally per duty cycle and added once. Gauges (connections, sessions,
 * outbound bytes queued, reactors paused) are adjusted with signed adds, never set, for the same reason.
 */
public final class GatewayCounters implements AutoCloseable
{
    public static final int CONNECTIONS = CounterTypes.GATEWAY_BASE;
    public static final int SESSIONS = CounterTypes.GATEWAY_BASE + 1;
    public static final int ACCEPTS = CounterTypes.GATEWAY_BASE + 2;
    public static final int ACCEPTS_REFUSED = CounterTypes.GATEWAY_BASE + 3;
    public static final int AUTH_FAILURES = CounterTypes.GATEWAY_BASE + 4;
    public static final int FRAMES_IN = CounterTypes.GATEWAY_BASE + 5;
    public static final int FRAMES_OUT = CounterTypes.GATEWAY_BASE + 6;
    public static final int BYTES_IN = CounterTypes.GATEWAY_BASE + 7;
    public static final int BYTES_OUT = CounterTypes.GATEWAY_BASE + 8;
    public static final int DECODE_ERRORS = CounterTypes.GATEWAY_BASE + 9;
    public static final int OUTBOUND_BYTES_QUEUED = CounterTypes.GATEWAY_BASE + 10;
    public static final int SLOW_CONSUMER_CLOSES = CounterTypes.GATEWAY_BASE + 11;
    public static final int RATE_LIMITED_CLOSES = CounterTypes.GATEWAY_BASE + 12;
    public static final int UPSTREAM_BACK_PRESSURE = CounterTypes.GATEWAY_BASE + 13;
    public static final int UPSTREAM_EVENTS_LOST = CounterTypes.GATEWAY_BASE + 14;
    public static final int CHUNK_POOL_EXHAUSTED = CounterTypes.GATEWAY_BASE + 15;
    public static final int LISTENER_CLOSES = CounterTypes.GATEWAY_BASE + 16;
    public static final int PROBE_REQUESTS = CounterTypes.GATEWAY_BASE + 17;
    public static final int PROBE_DELAYED = CounterTypes.GATEWAY_BASE + 18;
    public static final int PROBE_DROPPED = CounterTypes.GATEWAY_BASE + 19;
    public static final int DOWNSTREAM_DROPPED = CounterTypes.GATEWAY_BASE + 20;
    public static final int DOWNSTREAM_PAUSES = CounterTypes.GATEWAY_BASE + 21;
    public static final int REACTORS_PAUSED = CounterTypes.GATEWAY_BASE + 22;
    public static final int CONTROL_ANSWERS_DELAYED = CounterTypes.GATEWAY_BASE + 23;
    public static final int CONTROL_ANSWERS_DROPPED = CounterTypes.GATEWAY_BASE + 24;

    /**
     * Type id of the close counter for reason {@code r} is {@code CLOSES_BASE + r}.
     */
    public static final int CLOSES_BASE = CounterTypes.GATEWAY_BASE + 30;

    public final AtomicCounter connections;
    public final AtomicCounter sessions;
    public final AtomicCounter accepts;
    public final AtomicCounter acceptsRefused;
    public final AtomicCounter authFailures;
    public final AtomicCounter framesIn;
    public final AtomicCounter framesOut;
    public final AtomicCounter bytesIn;
    public final AtomicCounter bytesOut;
    public final AtomicCounter decodeErrors;
    public final AtomicCounter outboundBytesQueued;
    public final AtomicCounter slowConsumerCloses;
    public final AtomicCounter rateLimitedCloses;
    public final AtomicCounter upstreamBackPressure;
    public final AtomicCounter upstreamEventsLost;
    public final AtomicCounter chunkPoolExhausted;
    public final AtomicCounter listenerCloses;
    public final AtomicCounter probeRequests;
    public final AtomicCounter probeDelayed;
    public final AtomicCounter probeDropped;
    public final AtomicCounter downstreamDropped;
    /**
     * Times a reactor stopped taking deliveries and fan-outs from the link because its chunk pool ran low.
     */
    public final AtomicCounter downstreamPauses;
    /**
     * Gauge: reactors paused for their chunk pool now.
     */
    public final AtomicCounter reactorsPaused;
    /**
     * Answers to control commands (DRAIN) that waited for a retry (a term's end, back pressure); the control agent
     * writes it.
     */
    public final AtomicCounter controlAnswersDelayed;
    /**
     * Answers to control commands dropped: nobody reads them, or too many wait; the control agent writes it.
     */
    public final AtomicCounter controlAnswersDropped;
    private final AtomicCounter[] closes = new AtomicCounter[CloseReason.MAX_REASON + 1];
    private final List<AtomicCounter> all = new ArrayList<>();

    /**
     * @param aeron     the client whose driver holds the counters.
     * @param gatewayId the gateway, for labels and keys.
     */
    public GatewayCounters(final Aeron aeron, final int gatewayId)
    {
        final String prefix = "gateway-" + gatewayId + ": ";
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
        key.putInt(0, gatewayId);
        connections = add(aeron, key, CONNECTIONS, prefix + "connections");
        sessions = add(aeron, key, SESSIONS, prefix + "sessions");
        accepts = add(aeron, key, ACCEPTS, prefix + "accepts");
        acceptsRefused = add(aeron, key, ACCEPTS_REFUSED, prefix + "accepts refused (full)");
        authFailures = add(aeron, key, AUTH_FAILURES, prefix + "auth failures");
        framesIn = add(aeron, key, FRAMES_IN, prefix + "frames in");
        framesOut = add(aeron, key, FRAMES_OUT, prefix + "frames out");
        bytesIn = add(aeron, key, BYTES_IN, prefix + "bytes in");
        bytesOut = add(aeron, key, BYTES_OUT, prefix + "bytes out");
        decodeErrors = add(aeron, key, DECODE_ERRORS, prefix + "decode errors");
        outboundBytesQueued = add(aeron, key, OUTBOUND_BYTES_QUEUED, prefix + "outbound bytes queued");
        slowConsumerCloses = add(aeron, key, SLOW_CONSUMER_CLOSES, prefix + "slow consumer closes");
        rateLimitedCloses = add(aeron, key, RATE_LIMITED_CLOSES, prefix + "rate limited closes");
        upstreamBackPressure = add(aeron, key, UPSTREAM_BACK_PRESSURE, prefix + "upstream back pressure");
        upstreamEventsLost = add(aeron, key, UPSTREAM_EVENTS_LOST, prefix + "upstream events lost");
        chunkPoolExhausted = add(aeron, key, CHUNK_POOL_EXHAUSTED, prefix + "chunk pool exhausted");
        listenerCloses = add(aeron, key, LISTENER_CLOSES, prefix + "listener closes (capacity)");
        probeRequests = add(aeron, key, PROBE_REQUESTS, prefix + "probe requests");
        probeDelayed = add(aeron, key, PROBE_DELAYED, prefix + "probe answers delayed");
        probeDropped = add(aeron, key, PROBE_DROPPED, prefix + "probe answers dropped");
        downstreamDropped = add(aeron, key, DOWNSTREAM_DROPPED, prefix + "downstream frames for gone connections");
        downstreamPauses = add(aeron, key, DOWNSTREAM_PAUSES, prefix + "downstream pauses (chunk pool low)");
        reactorsPaused = add(aeron, key, REACTORS_PAUSED, prefix + "reactors paused (chunk pool low)");
        controlAnswersDelayed = add(aeron, key, CONTROL_ANSWERS_DELAYED, prefix + "control answers delayed");
        controlAnswersDropped = add(aeron, key, CONTROL_ANSWERS_DROPPED, prefix + "control answers dropped");
        for (int reason = 1; reason <= CloseReason.MAX_REASON; reason++)
        {
            closes[reason] = add(aeron, key, CLOSES_BASE + reason,
                prefix + "closes " + CloseReason.describe(reason).toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    private AtomicCounter add(final Aeron aeron, final UnsafeBuffer key, final int typeId, final String label)
    {
        final AtomicCounter counter = aeron.addCounter(typeId, key, 0, key.capacity(), new UnsafeBuffer(label.getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)), 0, label.length());
        all.add(counter);
        return counter;
    }

    /**
     * @param reason a {@link CloseReason}, 1 to {@link CloseReason#MAX_REASON}.
     * @return its close counter.
     */
    public AtomicCounter closes(final int reason)
    {
        return closes[reason];
    }

    public void close()
    {
        CloseHelper.closeAll(all);
    }
}
