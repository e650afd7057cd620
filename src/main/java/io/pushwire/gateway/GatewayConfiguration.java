package io.pushwire.gateway;

import io.pushwire.config.Setting;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.StatusConfiguration;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's settings: system properties {@code pushwire.gateway.*} (and {@code pushwire.auth.keys}),
 * each also a {@code --option} of {@code pushwire gateway}. {@link GatewayContext#conclude()} reads them
 * once; nothing reads them on a hot path.
 */
public final class GatewayConfiguration
{
    /**
     * Development key, id 1: <b>insecure</b>, it is in the source. Production sets {@code pushwire.auth.keys}.
     */
    public static final String DEV_AUTH_KEYS = "1:70757368776972652d6465762d6b65792d6e6f742d666f722d70726f64";

    public static final Setting ID = Setting.of(
        "pushwire.gateway.id", "0", "this gateway's id on the box, 0 to 4095 (part of every connection id)");
    public static final Setting HOST = Setting.of(
        "pushwire.gateway.host", "127.0.0.1", "address the device listener and the probe bind to");
    public static final Setting PORT = Setting.of(
        "pushwire.gateway.port", "7100", "TCP port for devices, shared by every reactor and gateway process (SO_REUSEPORT)");
    public static final Setting REACTORS = Setting.of(
        "pushwire.gateway.reactors", String.valueOf(Math.min(16, Runtime.getRuntime().availableProcessors())),
        "reactor threads, each with its own selector and listener, 1 to 16 (default: processors)");
    public static final Setting THREADING = Setting.of(
        "pushwire.gateway.threading", "DEDICATED", "DEDICATED (a thread per agent) or INVOKER (the caller runs doWork, for tests)");
    public static final Setting MAX_CONNECTIONS = Setting.of(
        "pushwire.gateway.max-connections", "19000", "connections this process holds at most, split over its reactors " +
            "(keep under the process's open-file limit)");
    public static final Setting MAX_FRAME_LENGTH = Setting.of(
        "pushwire.gateway.max-frame-length", "8k", "largest device frame accepted, header included (FRAME_TOO_LARGE above)");
    public static final Setting CHUNK_LENGTH = Setting.of(
        "pushwire.gateway.chunk-length", "8k", "off-heap chunk size, at least max-frame-length (a partial inbound frame fits one)");
    public static final Setting CHUNKS = Setting.of(
        "pushwire.gateway.chunks", "512", "chunks reserved per reactor at start (partial reads and unsent writes)");
    public static final Setting AUTH_KEYS = Setting.of(
        "pushwire.auth.keys", DEV_AUTH_KEYS, "token secrets, keyId:hexSecret,... (the default is a published dev key: insecure)");
    public static final Setting AUTH_TIMEOUT = Setting.of(
        "pushwire.gateway.auth-timeout", "10s", "a connection that has not said a good HELLO by then is closed (AUTH_TIMEOUT)");
    public static final Setting HEARTBEAT_MIN = Setting.of(
        "pushwire.gateway.heartbeat-min", "30s", "shortest heartbeat interval a device is held to (PING intervals are clamped)");
    public static final Setting HEARTBEAT_MAX = Setting.of(
        "pushwire.gateway.heartbeat-max", "1800s", "longest heartbeat interval a device is held to");
    public static final Setting HEARTBEAT_FACTOR = Setting.of(
        "pushwire.gateway.heartbeat-factor", "1.5", "deadline = clamped interval x factor + grace after HELLO or a PING");
    public static final Setting HEARTBEAT_GRACE = Setting.of(
        "pushwire.gateway.heartbeat-grace", "0s", "added to every heartbeat deadline");
    public static final Setting IDLE_STRATEGY = Setting.of(
        "pushwire.gateway.idle-strategy", "backoff:10,20,1us,1ms",
        "what a reactor does when a duty cycle found no work: " + Setting.IDLE_STRATEGY_FORMS);
    public static final Setting TIMER_TICK = Setting.of(
        "pushwire.gateway.timer-tick", "512ms", "timer wheel tick, a power of two in ms: deadlines fire up to one tick late");
    public static final Setting RATE = Setting.of(
        "pushwire.gateway.rate-frames-per-sec", "200", "frames a connection may send a second, sustained (token bucket); " +
            "past the bucket: RATE_LIMITED");
    public static final Setting RATE_BURST = Setting.of(
        "pushwire.gateway.rate-burst-frames", "400", "frames a connection may send at once on top of an empty history " +
            "(the bucket's size; a PULL batch of 64 MSGs acked one by one needs 65)");
    public static final Setting OUTBOUND_HARD_LIMIT = Setting.of(
        "pushwire.gateway.outbound-hard-limit", "256k", "unsent bytes queued for one connection above which it closes at once (SLOW_CONSUMER)");
    public static final Setting OUTBOUND_SOFT_LIMIT = Setting.of(
        "pushwire.gateway.outbound-soft-limit", "64k", "unsent bytes queued for one connection that may last only outbound-soft-time");
    public static final Setting OUTBOUND_SOFT_TIME = Setting.of(
        "pushwire.gateway.outbound-soft-time", "10s", "how long a connection may stay over the soft limit before closing (SLOW_CONSUMER)");
    public static final Setting CAPACITY_HIGH = Setting.of(
        "pushwire.gateway.capacity-high", "95", "percent of a reactor's slots in use at which it closes its listener");
    public static final Setting CAPACITY_LOW = Setting.of(
        "pushwire.gateway.capacity-low", "85", "percent of a reactor's slots in use at or below which it reopens its listener");
    public static final Setting SOCKET_SEND_BUFFER = Setting.of(
        "pushwire.gateway.socket-send-buffer", "0", "SO_SNDBUF of device connections (0: the kernel's default and " +
            "autotuning, up to net.ipv4.tcp_wmem's maximum per connection)");
    public static final Setting POOL_PAUSE_PERCENT = Setting.of(
        "pushwire.gateway.pool-pause-percent", "12", "percent of a reactor's chunks free below which it stops taking " +
            "deliveries and fan-outs from dispatch (back pressure on the link); at least one chunk");
    public static final Setting POOL_RESUME_PERCENT = Setting.of(
        "pushwire.gateway.pool-resume-percent", "25", "percent of a reactor's chunks free at or above which a paused reactor " +
            "takes deliveries and fan-outs again");
    public static final Setting POOL_STALL_TIMEOUT = Setting.of(
        "pushwire.gateway.pool-stall-timeout", "10s", "how long a reactor may stay paused for its chunk pool before the " +
            "connections with the largest unsent queues are closed (SLOW_CONSUMER) until it can resume");
    public static final Setting UPSTREAM_STALL_TIMEOUT = Setting.of(
        "pushwire.gateway.upstream-stall-timeout", "10s", "how long a connection may wait for the dispatch link before it closes (OVERLOADED)");
    public static final Setting PROBE_PORT = Setting.of(
        "pushwire.gateway.probe-port", "", "UDP port of the load probe (default: the device port; -1: no probe)");
    public static final Setting PROBE_THRESHOLD = Setting.of(
        "pushwire.gateway.probe-threshold", "70", "load percent under which probes are answered at once");
    public static final Setting PROBE_MAX_DELAY = Setting.of(
        "pushwire.gateway.probe-max-delay", "200ms", "probe answer delay at full load (linear from the threshold)");
    public static final Setting REDIRECT_TO = Setting.of(
        "pushwire.gateway.redirect-to", "", "host:port,... sent in REDIRECT when draining or stopping (empty: BYE instead)");
    public static final Setting STOP_RATE = Setting.of(
        "pushwire.gateway.stop-rate", "5000", "connections a second told to go (BYE/REDIRECT) when the process stops");
    public static final Setting STOP_TIMEOUT = Setting.of(
        "pushwire.gateway.stop-timeout", "20s", "longest a stop waits for connections to be told; the rest are closed");
    /**
     * The process's release label: one setting for every process, so what a gateway reports to dispatch
     * (GATEWAY_STATUS) and what the console shows (its presence counter) cannot differ.
     */
    public static final Setting VERSION_LABEL = StatusConfiguration.VERSION;

    private GatewayConfiguration()
    {
    }

    /**
     * @return every setting {@code pushwire gateway} reads, the link's included.
     */
    public static List<Setting> settings()
    {
        final List<Setting> settings = new ArrayList<>(List.of(
            ID, HOST, PORT, REACTORS, THREADING, MAX_CONNECTIONS, MAX_FRAME_LENGTH, CHUNK_LENGTH, CHUNKS, AUTH_KEYS,
            AUTH_TIMEOUT, HEARTBEAT_MIN, HEARTBEAT_MAX, HEARTBEAT_FACTOR, HEARTBEAT_GRACE, TIMER_TICK, IDLE_STRATEGY, RATE, RATE_BURST,
            OUTBOUND_HARD_LIMIT, OUTBOUND_SOFT_LIMIT, OUTBOUND_SOFT_TIME, CAPACITY_HIGH, CAPACITY_LOW,
            SOCKET_SEND_BUFFER, POOL_PAUSE_PERCENT, POOL_RESUME_PERCENT, POOL_STALL_TIMEOUT, UPSTREAM_STALL_TIMEOUT, PROBE_PORT, PROBE_THRESHOLD, PROBE_MAX_DELAY, REDIRECT_TO, STOP_RATE, STOP_TIMEOUT,
            VERSION_LABEL));
        settings.addAll(LinkConfiguration.settings());
        return settings;
    }

    /**
     * How agents are put on threads.
     */
    public enum ThreadingMode
    {
        /**
         * One thread per reactor, one for the probe.
         */
        DEDICATED,

        /**
         * No threads: the owner calls {@link Gateway#doWork()} (tests, with a controllable clock).
         */
        INVOKER
    }
}
