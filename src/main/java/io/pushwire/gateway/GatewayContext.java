package io.pushwire.gateway;

import io.aeron.Aeron;
import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.Protocol;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.pushwire.gateway.GatewayConfiguration.ThreadingMode;

import static io.pushwire.gateway.GatewayConfiguration.*;

/**
 * Everything a {@link Gateway} is built from. Fields start from {@link GatewayConfiguration}'s settings
 * (system properties) when the context is created; fluent setters override them (tests do); {@link #conclude()}
 * validates and derives once. Not thread-safe: fill it on one thread, then hand it to {@link Gateway#launch}.
 */
public final class GatewayContext
{
    private int gatewayId = ID.getInt();
    private String host = HOST.get();
    private int port = PORT.getInt();
    private int reactors = REACTORS.getInt();
    private ThreadingMode threadingMode = ThreadingMode.valueOf(THREADING.get().trim().toUpperCase(java.util.Locale.ROOT));
    private int maxConnections = MAX_CONNECTIONS.getInt();
    private int maxFrameLength = (int)MAX_FRAME_LENGTH.getSizeBytes();
    private int chunkLength = (int)CHUNK_LENGTH.getSizeBytes();
    private int chunksPerReactor = CHUNKS.getInt();
    private String authKeys = AUTH_KEYS.get();
    private long authTimeoutMs = ms(AUTH_TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    private int heartbeatMinSec = (int)TimeUnit.NANOSECONDS.toSeconds(HEARTBEAT_MIN.getDurationNs(TimeUnit.SECONDS));
    private int heartbeatMaxSec = (int)TimeUnit.NANOSECONDS.toSeconds(HEARTBEAT_MAX.getDurationNs(TimeUnit.SECONDS));
    private double heartbeatFactor = parseDouble(HEARTBEAT_FACTOR.propertyName(), HEARTBEAT_FACTOR.get());
    private long heartbeatGraceMs = ms(HEARTBEAT_GRACE.getDurationNs(TimeUnit.SECONDS));
    private long timerTickMs = ms(TIMER_TICK.getDurationNs(TimeUnit.MILLISECONDS));
    private String idleStrategy = GatewayConfiguration.IDLE_STRATEGY.get();
    private int rateFramesPerSec = RATE.getInt();
    private int rateBurstFrames = RATE_BURST.getInt();
    private int outboundHardLimit = (int)OUTBOUND_HARD_LIMIT.getSizeBytes();
    private int outboundSoftLimit = (int)OUTBOUND_SOFT_LIMIT.getSizeBytes();
    private long outboundSoftTimeMs = ms(OUTBOUND_SOFT_TIME.getDurationNs(TimeUnit.SECONDS));
    private int capacityHighPercent = CAPACITY_HIGH.getInt();
    private int capacityLowPercent = CAPACITY_LOW.getInt();
    private int socketSendBufferBytes = (int)SOCKET_SEND_BUFFER.getSizeBytes();
    private int poolPausePercent = POOL_PAUSE_PERCENT.getInt();
    private int poolResumePercent = POOL_RESUME_PERCENT.getInt();
    private long poolStallTimeoutMs = ms(POOL_STALL_TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    private long upstreamStallTimeoutMs = ms(UPSTREAM_STALL_TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    private int probePort = PROBE_PORT.get().isBlank() ? 0 : PROBE_PORT.getInt();
    private int probeThresholdPercent = PROBE_THRESHOLD.getInt();
    private long probeMaxDelayMs = ms(PROBE_MAX_DELAY.getDurationNs(TimeUnit.MILLISECONDS));
    private String redirectTo = REDIRECT_TO.get();
    private int stopRatePerSec = STOP_RATE.getInt();
    private long stopTimeoutMs = ms(STOP_TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    private String versionLabel = VERSION_LABEL.get();
    private String aeronDirectoryName = LinkConfiguration.AERON_DIR.get();
    private String publicationChannel;
    private String subscriptionChannel;
    private Aeron aeron;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private IntSupplier probeLoadPermille;

    private String[] redirectHosts = new String[0];
    private int[] redirectPorts = new int[0];
    private int slotsPerReactor;
    private boolean concluded;

    /**
     * Validates and derives. Called by {@link Gateway#launch}; idempotent.
     *
     * @return this.
     * @throws ConfigurationException when a value is out of range or values contradict each other.
     */
    public GatewayContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        check(gatewayId >= 0 && gatewayId < ConnectionId.MAX_GATEWAYS, "gateway id must be 0..4095: " + gatewayId);
        check(reactors >= 1 && reactors <= ConnectionId.MAX_REACTORS, "reactors must be 1..16: " + reactors);
        check(port >= 0 && port <= 65535, "port must be 0..65535: " + port);
        check(maxConnections >= reactors, "max-connections must be at least the reactor count: " + maxConnections);
        slotsPerReactor = (maxConnections + reactors - 1) / reactors;
        check(slotsPerReactor < (1 << 20), "at most 1,048,575 connections per reactor");
        check(maxFrameLength >= 64 && maxFrameLength - FrameHeader.MAX_HEADER_LENGTH <= Protocol.MAX_BODY_LENGTH,
            "max-frame-length must be 64 .. 2 MiB: " + maxFrameLength);
        check(chunkLength >= maxFrameLength, "chunk-length (" + chunkLength + ") must be at least max-frame-length (" +
            maxFrameLength + "): a partial inbound frame lives in one chunk");
        check(chunksPerReactor >= 1, "chunks must be at least 1");
        check(heartbeatMinSec >= 1 && heartbeatMinSec <= heartbeatMaxSec, "need 1s <= heartbeat-min <= heartbeat-max");
        check(heartbeatFactor >= 1.0, "heartbeat-factor must be at least 1");
        check(Long.bitCount(timerTickMs) == 1, "timer-tick must be a power of two in ms: " + timerTickMs);
        Setting.idleStrategy(GatewayConfiguration.IDLE_STRATEGY.propertyName(), idleStrategy);
        check(rateFramesPerSec >= 1 && rateFramesPerSec <= 1_000_000, "rate-frames-per-sec must be 1..1,000,000");
        check(rateBurstFrames >= 1 && rateBurstFrames <= 1_000_000, "rate-burst-frames must be 1..1,000,000");
        check(outboundSoftLimit <= outboundHardLimit, "outbound-soft-limit must not exceed outbound-hard-limit");
        check(capacityLowPercent < capacityHighPercent && capacityHighPercent <= 100 && capacityLowPercent >= 0,
            "need 0 <= capacity-low < capacity-high <= 100");
        check(poolPausePercent >= 0 && poolPausePercent < poolResumePercent && poolResumePercent <= 100,
            "need 0 <= pool-pause-percent < pool-resume-percent <= 100");
        check(socketSendBufferBytes >= 0, "socket-send-buffer must not be negative");
        check(poolStallTimeoutMs >= 0, "pool-stall-timeout must not be negative");
        check(probeThresholdPercent >= 0 && probeThresholdPercent < 100, "probe-threshold must be 0..99");
        check(stopRatePerSec >= 1, "stop-rate must be at least 1");
        if (0 == probePort)
        {
            probePort = port;
        }
        parseRedirect();
        if (null == publicationChannel)
        {
            publicationChannel = LinkConfiguration.publicationChannel();
        }
        if (null == subscriptionChannel)
        {
            subscriptionChannel = LinkConfiguration.subscriptionChannel();
        }
        concluded = true;
        return this;
    }

    private void parseRedirect()
    {
        final String text = redirectTo.trim();
        if (text.isEmpty())
        {
            return;
        }
        final String[] parts = text.split(",");
        check(parts.length <= Protocol.MAX_REDIRECT_TARGETS, "at most 8 redirect targets");
        redirectHosts = new String[parts.length];
        redirectPorts = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i].trim();
            final int colon = part.lastIndexOf(':');
            check(colon > 0, "redirect target must be host:port: " + part);
            redirectHosts[i] = part.substring(0, colon);
            try
            {
                redirectPorts[i] = Integer.parseInt(part.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigurationException("redirect target must be host:port: " + part);
            }
        }
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new ConfigurationException(message);
        }
    }

    private static long ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }

    private static double parseDouble(final String name, final String value)
    {
        try
        {
            return Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(name + "=" + value + " is not a number");
        }
    }

    public int gatewayId()
    {
        return gatewayId;
    }

    public GatewayContext gatewayId(final int gatewayId)
    {
        this.gatewayId = gatewayId;
        return this;
    }

    public String host()
    {
        return host;
    }

    public GatewayContext host(final String host)
    {
        this.host = host;
        return this;
    }

    /**
     * @return the device TCP port; 0 binds an ephemeral port (see {@link Gateway#port()}).
     */
    public int port()
    {
        return port;
    }

    public GatewayContext port(final int port)
    {
        this.port = port;
        return this;
    }

    public int reactors()
    {
        return reactors;
    }

    public GatewayContext reactors(final int reactors)
    {
        this.reactors = reactors;
        return this;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    public GatewayContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    public GatewayContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * @return slots in each reactor's table: max connections / reactors, rounded up (after {@link #conclude()}).
     */
    public int slotsPerReactor()
    {
        return slotsPerReactor;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public GatewayContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * @return the largest body accepted: max frame length less the longest header.
     */
    public int maxBodyLength()
    {
        return maxFrameLength - FrameHeader.MAX_HEADER_LENGTH;
    }

    public int chunkLength()
    {
        return chunkLength;
    }

    public GatewayContext chunkLength(final int chunkLength)
    {
        this.chunkLength = chunkLength;
        return this;
    }

    public int chunksPerReactor()
    {
        return chunksPerReactor;
    }

    public GatewayContext chunksPerReactor(final int chunksPerReactor)
    {
        this.chunksPerReactor = chunksPerReactor;
        return this;
    }

    public String authKeys()
    {
        return authKeys;
    }

    public GatewayContext authKeys(final String authKeys)
    {
        this.authKeys = authKeys;
        return this;
    }

    public long authTimeoutMs()
    {
        return authTimeoutMs;
    }

    public GatewayContext authTimeoutMs(final long authTimeoutMs)
    {
        this.authTimeoutMs = authTimeoutMs;
        return this;
    }

    public int heartbeatMinSec()
    {
        return heartbeatMinSec;
    }

    public GatewayContext heartbeatMinSec(final int heartbeatMinSec)
    {
        this.heartbeatMinSec = heartbeatMinSec;
        return this;
    }

    public int heartbeatMaxSec()
    {
        return heartbeatMaxSec;
    }

    public GatewayContext heartbeatMaxSec(final int heartbeatMaxSec)
    {
        this.heartbeatMaxSec = heartbeatMaxSec;
        return this;
    }

    public double heartbeatFactor()
    {
        return heartbeatFactor;
    }

    public GatewayContext heartbeatFactor(final double heartbeatFactor)
    {
        this.heartbeatFactor = heartbeatFactor;
        return this;
    }

    public long heartbeatGraceMs()
    {
        return heartbeatGraceMs;
    }

    public GatewayContext heartbeatGraceMs(final long heartbeatGraceMs)
    {
        this.heartbeatGraceMs = heartbeatGraceMs;
        return this;
    }

    /**
     * @return a new idle strategy for a reactor (see {@link GatewayConfiguration#IDLE_STRATEGY}).
     */
    public IdleStrategy newIdleStrategy()
    {
        return Setting.idleStrategy(GatewayConfiguration.IDLE_STRATEGY.propertyName(), idleStrategy);
    }

    public GatewayContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public long timerTickMs()
    {
        return timerTickMs;
    }

    public GatewayContext timerTickMs(final long timerTickMs)
    {
        this.timerTickMs = timerTickMs;
        return this;
    }

    public int rateFramesPerSec()
    {
        return rateFramesPerSec;
    }

    public GatewayContext rateFramesPerSec(final int rateFramesPerSec)
    {
        this.rateFramesPerSec = rateFramesPerSec;
        return this;
    }

    public int rateBurstFrames()
    {
        return rateBurstFrames;
    }

    public GatewayContext rateBurstFrames(final int rateBurstFrames)
    {
        this.rateBurstFrames = rateBurstFrames;
        return this;
    }

    public int outboundHardLimit()
    {
        return outboundHardLimit;
    }

    public GatewayContext outboundHardLimit(final int outboundHardLimit)
    {
        this.outboundHardLimit = outboundHardLimit;
        return this;
    }

    public int outboundSoftLimit()
    {
        return outboundSoftLimit;
    }

    public GatewayContext outboundSoftLimit(final int outboundSoftLimit)
    {
        this.outboundSoftLimit = outboundSoftLimit;
        return this;
    }

    public long outboundSoftTimeMs()
    {
        return outboundSoftTimeMs;
    }

    public GatewayContext outboundSoftTimeMs(final long outboundSoftTimeMs)
    {
        this.outboundSoftTimeMs = outboundSoftTimeMs;
        return this;
    }

    public int capacityHighPercent()
    {
        return capacityHighPercent;
    }

    public GatewayContext capacityHighPercent(final int capacityHighPercent)
    {
        this.capacityHighPercent = capacityHighPercent;
        return this;
    }

    public int capacityLowPercent()
    {
        return capacityLowPercent;
    }

    public GatewayContext capacityLowPercent(final int capacityLowPercent)
    {
        this.capacityLowPercent = capacityLowPercent;
        return this;
    }

    /**
     * @return SO_SNDBUF set on each device connection, bytes; 0 leaves the kernel's default (autotuned).
     */
    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    public GatewayContext socketSendBufferBytes(final int socketSendBufferBytes)
    {
        this.socketSendBufferBytes = socketSendBufferBytes;
        return this;
    }

    /**
     * @return percent of a reactor's chunks free below which it pauses taking deliveries and fan-outs from the link.
     */
    public int poolPausePercent()
    {
        return poolPausePercent;
    }

    public GatewayContext poolPausePercent(final int poolPausePercent)
    {
        this.poolPausePercent = poolPausePercent;
        return this;
    }

    /**
     * @return percent of a reactor's chunks free at or above which a paused reactor takes them again.
     */
    public int poolResumePercent()
    {
        return poolResumePercent;
    }

    public GatewayContext poolResumePercent(final int poolResumePercent)
    {
        this.poolResumePercent = poolResumePercent;
        return this;
    }

    /**
     * @return how long a reactor may stay paused for its pool before its largest unsent queues are closed, ms.
     */
    public long poolStallTimeoutMs()
    {
        return poolStallTimeoutMs;
    }

    public GatewayContext poolStallTimeoutMs(final long poolStallTimeoutMs)
    {
        this.poolStallTimeoutMs = poolStallTimeoutMs;
        return this;
    }

    public long upstreamStallTimeoutMs()
    {
        return upstreamStallTimeoutMs;
    }

    public GatewayContext upstreamStallTimeoutMs(final long upstreamStallTimeoutMs)
    {
        this.upstreamStallTimeoutMs = upstreamStallTimeoutMs;
        return this;
    }

    /**
     * @return the UDP probe port: 0 before {@link #conclude()} means the device port, -1 no probe.
     */
    public int probePort()
    {
        return probePort;
    }

    public GatewayContext probePort(final int probePort)
    {
        this.probePort = probePort;
        return this;
    }

    public int probeThresholdPercent()
    {
        return probeThresholdPercent;
    }

    public GatewayContext probeThresholdPercent(final int probeThresholdPercent)
    {
        this.probeThresholdPercent = probeThresholdPercent;
        return this;
    }

    public long probeMaxDelayMs()
    {
        return probeMaxDelayMs;
    }

    public GatewayContext probeMaxDelayMs(final long probeMaxDelayMs)
    {
        this.probeMaxDelayMs = probeMaxDelayMs;
        return this;
    }

    /**
     * @return where the probe's load figure comes from, permille; null means connections over capacity.
     */
    public IntSupplier probeLoadPermille()
    {
        return probeLoadPermille;
    }

    public GatewayContext probeLoadPermille(final IntSupplier probeLoadPermille)
    {
        this.probeLoadPermille = probeLoadPermille;
        return this;
    }

    public GatewayContext redirectTo(final String redirectTo)
    {
        this.redirectTo = redirectTo;
        return this;
    }

    String[] redirectHosts()
    {
        return redirectHosts;
    }

    int[] redirectPorts()
    {
        return redirectPorts;
    }

    public int stopRatePerSec()
    {
        return stopRatePerSec;
    }

    public GatewayContext stopRatePerSec(final int stopRatePerSec)
    {
        this.stopRatePerSec = stopRatePerSec;
        return this;
    }

    public long stopTimeoutMs()
    {
        return stopTimeoutMs;
    }

    public GatewayContext stopTimeoutMs(final long stopTimeoutMs)
    {
        this.stopTimeoutMs = stopTimeoutMs;
        return this;
    }

    public String versionLabel()
    {
        return versionLabel;
    }

    public GatewayContext versionLabel(final String versionLabel)
    {
        this.versionLabel = versionLabel;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public GatewayContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public String publicationChannel()
    {
        return publicationChannel;
    }

    public GatewayContext publicationChannel(final String channel)
    {
        this.publicationChannel = channel;
        return this;
    }

    public String subscriptionChannel()
    {
        return subscriptionChannel;
    }

    public GatewayContext subscriptionChannel(final String channel)
    {
        this.subscriptionChannel = channel;
        return this;
    }

    /**
     * @return an Aeron client to use; null means the gateway connects (and closes) its own.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    public GatewayContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    /**
     * @return the clock for deadlines (heartbeats, auth, limits); tests pass a {@code CachedNanoClock}.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    public GatewayContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * @return the clock for timestamps sent to devices and dispatch, and for token expiry.
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }

    public GatewayContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    public String toString()
    {
        return "GatewayContext{id=" + gatewayId + ", " + host + ":" + port + ", reactors=" + reactors + ", threading=" +
            threadingMode + ", maxConnections=" + maxConnections + "}";
    }
}
