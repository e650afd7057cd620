package io.pushwire.client;

import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.SubDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The device side of pushwire: holds one connection to a gateway, keeps it alive with an adaptive heartbeat, delivers
 * each message of each stream exactly once and in order to a {@link DeviceListener}, and reconnects on its own.
 * <pre>{@code
 * DeviceClient client = DeviceClient.start(new DeviceClient.Context()
 *     .deviceId("dev-7f3a9c")
 *     .token("AQGA...")                                  // base64url, from the app's back end
 *     .serverName("push.example.net").serverPort(5222)
 *     .fallbackAddresses(List.of("203.0.113.10:5222", "203.0.113.11:5222"))
 *     .cursorFile(Path.of(filesDir, "pushwire.state"))
 *     .listener(myListener));
 * ...
 * client.close();
 * }</pre>
 * <b>Threading</b>: one I/O thread per client runs selection, the connection, heartbeats and all listener callbacks.
 * {@link #subscribe(String, boolean)}, {@link #unsubscribe(String)}, {@link #send(int, DirectBuffer, int, int)},
 * {@link #networkChanged(String)}, {@link #close()} and the accessors may be called from any thread. Futures are
 * completed on the I/O thread (so their dependent stages run there unless given an executor).
 */
public final class DeviceClient implements AutoCloseable
{
    private final Context ctx;
    private final DeviceConductor conductor;
    private final Thread thread;

    private DeviceClient(final Context ctx)
    {
        this.ctx = ctx;
        this.conductor = new DeviceConductor(ctx);
        this.thread = Thread.ofPlatform().daemon().name("pushwire-device-" + ctx.deviceId()).unstarted(conductor);
    }

    /**
     * Concludes the context and starts the I/O thread, which selects a server and connects.
     *
     * @param ctx the settings; concluded here.
     * @return the running client.
     */
    public static DeviceClient start(final Context ctx)
    {
        ctx.conclude();
        final DeviceClient client = new DeviceClient(ctx);
        client.thread.start();
        return client;
    }

    /**
     * Subscribes to a topic. Completes with the topic's stream and head when the server's SUB_ACK says yes; from then
     * on the device receives what is published after the head (or, with {@code fromStart}, what the topic still
     * retains).
     *
     * @param topic     1..64 bytes of {@code [A-Za-z0-9._/-]}.
     * @param fromStart true to PULL the topic's retained history too.
     * @return the future; failed with {@link RequestFailedException} if refused or not connected.
     * @throws IllegalArgumentException for a topic the protocol does not allow.
     */
    public CompletableFuture<Subscription> subscribe(final String topic, final boolean fromStart)
    {
        checkTopic(topic);
        return conductor.subscribe(topic, fromStart, true);
    }

    /**
     * Unsubscribes from a topic; the stream's cursor is forgotten when the server confirms.
     *
     * @param topic the topic.
     * @return the future; failed with {@link RequestFailedException} if refused or not connected.
     */
    public CompletableFuture<Subscription> unsubscribe(final String topic)
    {
        checkTopic(topic);
        return conductor.subscribe(topic, false, false);
    }

    /**
     * Sends an upstream message (UP) to the application's back end.
     *
     * @param appId   the application id.
     * @param payload holds the payload (copied before return).
     * @param offset  first byte.
     * @param length  payload length.
     * @return completed when the server's UP_ACK accepts it; failed with {@link RequestFailedException} if refused or
     * not connected.
     */
    public CompletableFuture<Void> send(final int appId, final DirectBuffer payload, final int offset, final int length)
    {
        if (appId < 0 || length < 0 || length > Protocol.DEFAULT_MAX_BODY_LENGTH - 32)
        {
            throw new IllegalArgumentException("appId=" + appId + " length=" + length);
        }
        return conductor.up(appId, payload, offset, length);
    }

    /**
     * Sends an upstream message (UP) with a byte array payload.
     */
    public CompletableFuture<Void> send(final int appId, final byte[] payload)
    {
        return send(appId, new UnsafeBuffer(payload), 0, payload.length);
    }

    /**
     * The device moved to another network (e.g. another Wi-Fi SSID or carrier): the heartbeat learned for the old one
     * is saved, the one learned for the new one (or the initial one) takes over, and the client reconnects at once,
     * since the old connection's path is gone.
     *
     * @param networkId an app-chosen name of the network.
     */
    public void networkChanged(final String networkId)
    {
        conductor.networkChanged(networkId);
    }

    /**
     * @return the current connection state.
     */
    public ConnectionState state()
    {
        return conductor.state();
    }

    /**
     * @return the client's counters.
     */
    public ClientStats stats()
    {
        return conductor.stats();
    }

    /**
     * @return the heartbeat interval in force, seconds.
     */
    public int heartbeatIntervalSec()
    {
        return conductor.heartbeatIntervalSec();
    }

    /**
     * @return the gateway of the current (or last) session, or null before the first.
     */
    public InetSocketAddress currentServer()
    {
        return conductor.currentServer();
    }

    /**
     * @return the stream's cursor: the highest seq processed, 0 if none.
     */
    public long cursor(final long streamId)
    {
        return conductor.cursor(streamId);
    }

    /**
     * @return the server's clock minus the device's at the last WELCOME, milliseconds (0 before the first).
     */
    public long serverClockOffsetMs()
    {
        return conductor.serverClockOffsetMs();
    }

    /**
     * @return the settings this client runs with.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * Says BYE, closes the connection, stops the I/O thread (waiting up to the connect timeout plus a second, unless
     * called from a listener callback) and writes the cursors. Idempotent.
     */
    public void close()
    {
        conductor.close();
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(ctx.connectTimeoutMs() + 1000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkTopic(final String topic)
    {
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Protocol.MAX_TOPIC_LENGTH ||
            !SubDecoder.isValidTopic(new UnsafeBuffer(bytes), 0, bytes.length))
        {
            throw new IllegalArgumentException("bad topic: \"" + topic + "\" (1..64 of [A-Za-z0-9._/-])");
        }
    }

    /**
     * Settings of a {@link DeviceClient}: fluent setters, {@link #conclude()} validates them once. Defaults suit a
     * phone; tests shorten the intervals. Not thread-safe; do not change it after {@link DeviceClient#start(Context)}.
     */
    public static final class Context
    {
        private String deviceId;
        private byte[] token;
        private String serverName;
        private int serverPort = 5222;
        private final List<String> fallbackAddressTexts = new ArrayList<>();
        private List<InetSocketAddress> fallbackAddresses = List.of();
        private int probePort;
        private long probeTimeoutMs = 1_000;
        private long dnsTimeoutMs = 3_000;
        private long connectTimeoutMs = 10_000;
        private long welcomeTimeoutMs = 10_000;
        private int heartbeatInitialSec = 60;
        private int heartbeatMinSec = 20;
        private int heartbeatMaxSec = 600;
        private int heartbeatStepSec = 30;
        private int heartbeatSuccessesToStepUp = 3;
        private long heartbeatCeilingHoldMs = TimeUnit.MINUTES.toMillis(30);
        private long pongTimeoutMs = 10_000;
        private String networkId = "default";
        private Path cursorFile;
        private long cursorFlushIntervalMs = 1_000;
        private DeviceListener listener;
        private NanoClock nanoClock;
        private EpochClock epochClock;
        private RandomGenerator random;
        private long reconnectMinMs = 1_000;
        private long reconnectMaxMs = TimeUnit.MINUTES.toMillis(5);
        private double reconnectJitter = 0.5;
        private int maxBodyLength = 64 * 1024;
        private int pullWindow = 64;
        private int maxHeldMessages = 256;
        private long pullRetryMs = 5_000;
        private boolean concluded;

        /**
         * Validates the settings and fills in the defaults that need objects. Called by
         * {@link DeviceClient#start(Context)}; idempotent.
         *
         * @return this.
         * @throws IllegalArgumentException naming the first bad setting.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(null != deviceId && !deviceId.isEmpty() &&
                deviceId.getBytes(StandardCharsets.UTF_8).length <= Protocol.MAX_DEVICE_ID_LENGTH,
                "deviceId must be 1..128 bytes of UTF-8");
            require(null != token && token.length >= 1 && token.length <= Protocol.MAX_TOKEN_LENGTH,
                "token must be 1..256 bytes");
            require(serverPort >= 1 && serverPort <= 65535, "serverPort must be 1..65535");
            require(probePort >= 0 && probePort <= 65535, "probePort must be 0 (the TCP port) or 1..65535");
            final List<InetSocketAddress> parsed = new ArrayList<>(fallbackAddressTexts.size());
            for (final String text : fallbackAddressTexts)
            {
                parsed.add(parseAddress(text));
            }
            fallbackAddresses = List.copyOf(parsed);
            require((null != serverName && !serverName.isEmpty()) || !fallbackAddresses.isEmpty(),
                "need a serverName or at least one fallback address");
            require(probeTimeoutMs >= 0 && dnsTimeoutMs > 0 && connectTimeoutMs > 0 && welcomeTimeoutMs > 0,
                "timeouts must be positive (probeTimeoutMs may be 0 to skip probing)");
            require(heartbeatMinSec >= 1 && heartbeatMinSec <= heartbeatInitialSec &&
                heartbeatInitialSec <= heartbeatMaxSec, "heartbeat needs 1 <= min <= initial <= max");
            require(heartbeatStepSec >= 1 && heartbeatSuccessesToStepUp >= 1 && heartbeatCeilingHoldMs >= 0,
                "heartbeat step and successes must be at least 1");
            require(pongTimeoutMs > 0, "pongTimeoutMs must be positive");
            require(null != networkId, "networkId must not be null");
            require(cursorFlushIntervalMs >= 0, "cursorFlushIntervalMs must not be negative");
            require(reconnectMinMs >= 1 && reconnectMaxMs >= reconnectMinMs &&
                reconnectJitter >= 0 && reconnectJitter <= 1, "reconnect needs 1 <= min <= max and 0 <= jitter <= 1");
            require(maxBodyLength >= 256 && maxBodyLength <= Protocol.MAX_BODY_LENGTH,
                "maxBodyLength must be 256.." + Protocol.MAX_BODY_LENGTH);
            require(pullWindow >= 1 && maxHeldMessages >= 0 && pullRetryMs > 0,
                "pullWindow >= 1, maxHeldMessages >= 0, pullRetryMs > 0");
            if (null == listener)
            {
                listener = new DeviceListener()
                {
                };
            }
            if (null == nanoClock)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            if (null == epochClock)
            {
                epochClock = SystemEpochClock.INSTANCE;
            }
            if (null == random)
            {
                random = new SecureRandom();
            }
            concluded = true;
            return this;
        }

        /**
         * Parses {@code host:port} or {@code [ipv6]:port} into an unresolved address.
         *
         * @throws IllegalArgumentException if it is not that.
         */
        public static InetSocketAddress parseAddress(final String text)
        {
            final int colon = text.lastIndexOf(':');
            require(colon > 0 && colon < text.length() - 1, "address must be host:port: \"" + text + "\"");
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
            final int port;
            try
            {
                port = Integer.parseInt(text.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("address must be host:port: \"" + text + "\"", ex);
            }
            require(!host.isEmpty() && port >= 1 && port <= 65535, "address must be host:port: \"" + text + "\"");
            return InetSocketAddress.createUnresolved(host, port);
        }

        private static void require(final boolean condition, final String message)
        {
            if (!condition)
            {
                throw new IllegalArgumentException(message);
            }
        }

        /**
         * @param deviceId the device's id, 1..128 bytes of UTF-8 (what the token was issued for).
         */
        public Context deviceId(final String deviceId)
        {
            this.deviceId = deviceId;
            return this;
        }

        public String deviceId()
        {
            return deviceId;
        }

        /**
         * @param token the device token bytes (copied).
         */
        public Context token(final byte[] token)
        {
            this.token = token.clone();
            return this;
        }

        /**
         * @param base64Url the device token as printed by {@code pushwire token}: base64url, padding optional.
         */
        public Context token(final String base64Url)
        {
            this.token = Base64.getUrlDecoder().decode(base64Url);
            return this;
        }

        public byte[] token()
        {
            return null == token ? null : token.clone();
        }

        /**
         * @param serverName the DNS name of the gateways, or null to use the fallback addresses only.
         */
        public Context serverName(final String serverName)
        {
            this.serverName = serverName;
            return this;
        }

        public String serverName()
        {
            return serverName;
        }

        /**
         * @param serverPort the gateways' TCP port for addresses found by DNS.
         */
        public Context serverPort(final int serverPort)
        {
            this.serverPort = serverPort;
            return this;
        }

        public int serverPort()
        {
            return serverPort;
        }

        /**
         * @param addresses embedded fallback addresses, {@code host:port} (IP literals, so no DNS is needed), tried
         *                  after the DNS results and alone when DNS fails.
         */
        public Context fallbackAddresses(final List<String> addresses)
        {
            fallbackAddressTexts.clear();
            fallbackAddressTexts.addAll(addresses);
            return this;
        }

        /**
         * @return the parsed fallback addresses (after {@link #conclude()}).
         */
        public List<InetSocketAddress> fallbackAddresses()
        {
            return fallbackAddresses;
        }

        /**
         * @param probePort the UDP load probe port, or 0 (the default) to probe each address on its TCP port.
         */
        public Context probePort(final int probePort)
        {
            this.probePort = probePort;
            return this;
        }

        public int probePort()
        {
            return probePort;
        }

        /**
         * @param probeTimeoutMs how long the probe race waits for a first answer, milliseconds; 0 skips probing.
         */
        public Context probeTimeoutMs(final long probeTimeoutMs)
        {
            this.probeTimeoutMs = probeTimeoutMs;
            return this;
        }

        public long probeTimeoutMs()
        {
            return probeTimeoutMs;
        }

        /**
         * @param dnsTimeoutMs how long to wait for DNS before using the fallback list alone, milliseconds.
         */
        public Context dnsTimeoutMs(final long dnsTimeoutMs)
        {
            this.dnsTimeoutMs = dnsTimeoutMs;
            return this;
        }

        public long dnsTimeoutMs()
        {
            return dnsTimeoutMs;
        }

        /**
         * @param connectTimeoutMs TCP connect timeout per address, milliseconds.
         */
        public Context connectTimeoutMs(final long connectTimeoutMs)
        {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        public long connectTimeoutMs()
        {
            return connectTimeoutMs;
        }

        /**
         * @param welcomeTimeoutMs how long to wait for WELCOME after HELLO, milliseconds.
         */
        public Context welcomeTimeoutMs(final long welcomeTimeoutMs)
        {
            this.welcomeTimeoutMs = welcomeTimeoutMs;
            return this;
        }

        public long welcomeTimeoutMs()
        {
            return welcomeTimeoutMs;
        }

        /**
         * Heartbeat bounds, seconds: where to start on a network with nothing learned, the floor and the cap.
         */
        public Context heartbeat(final int initialSec, final int minSec, final int maxSec)
        {
            this.heartbeatInitialSec = initialSec;
            this.heartbeatMinSec = minSec;
            this.heartbeatMaxSec = maxSec;
            return this;
        }

        /**
         * How the heartbeat grows: by {@code stepSec} after {@code successesToStepUp} consecutive PONGs; a failure's
         * ceiling holds for {@code ceilingHoldMs}.
         */
        public Context heartbeatGrowth(final int stepSec, final int successesToStepUp, final long ceilingHoldMs)
        {
            this.heartbeatStepSec = stepSec;
            this.heartbeatSuccessesToStepUp = successesToStepUp;
            this.heartbeatCeilingHoldMs = ceilingHoldMs;
            return this;
        }

        public int heartbeatInitialSec()
        {
            return heartbeatInitialSec;
        }

        public int heartbeatMinSec()
        {
            return heartbeatMinSec;
        }

        public int heartbeatMaxSec()
        {
            return heartbeatMaxSec;
        }

        public int heartbeatStepSec()
        {
            return heartbeatStepSec;
        }

        public int heartbeatSuccessesToStepUp()
        {
            return heartbeatSuccessesToStepUp;
        }

        public long heartbeatCeilingHoldMs()
        {
            return heartbeatCeilingHoldMs;
        }

        /**
         * @param pongTimeoutMs how long after a PING its PONG may take before the heartbeat counts as failed,
         *                      milliseconds.
         */
        public Context pongTimeoutMs(final long pongTimeoutMs)
        {
            this.pongTimeoutMs = pongTimeoutMs;
            return this;
        }

        public long pongTimeoutMs()
        {
            return pongTimeoutMs;
        }

        /**
         * @param networkId the network the device starts on (e.g. a Wi-Fi SSID or carrier), for the learned heartbeat.
         */
        public Context networkId(final String networkId)
        {
            this.networkId = networkId;
            return this;
        }

        public String networkId()
        {
            return networkId;
        }

        /**
         * @param cursorFile where cursors and learned heartbeats persist, or null to keep them in memory only.
         */
        public Context cursorFile(final Path cursorFile)
        {
            this.cursorFile = cursorFile;
            return this;
        }

        public Path cursorFile()
        {
            return cursorFile;
        }

        /**
         * @param cursorFlushIntervalMs least time between two writes of the cursor file, milliseconds.
         */
        public Context cursorFlushIntervalMs(final long cursorFlushIntervalMs)
        {
            this.cursorFlushIntervalMs = cursorFlushIntervalMs;
            return this;
        }

        public long cursorFlushIntervalMs()
        {
            return cursorFlushIntervalMs;
        }

        public Context listener(final DeviceListener listener)
        {
            this.listener = listener;
            return this;
        }

        public DeviceListener listener()
        {
            return listener;
        }

        /**
         * @param nanoClock the monotonic clock for deadlines and round trips (inject one in tests).
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param epochClock the wall clock, for the server clock offset.
         */
        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        public EpochClock epochClock()
        {
            return epochClock;
        }

        /**
         * @param random the source of probe nonces, request ids and jitter (a seeded one makes tests repeatable).
         */
        public Context random(final RandomGenerator random)
        {
            this.random = random;
            return this;
        }

        public RandomGenerator random()
        {
            return random;
        }

        /**
         * Reconnect backoff: the first delay's base, the largest delay (milliseconds) and the random fraction.
         */
        public Context reconnectBackoff(final long minMs, final long maxMs, final double jitter)
        {
            this.reconnectMinMs = minMs;
            this.reconnectMaxMs = maxMs;
            this.reconnectJitter = jitter;
            return this;
        }

        public long reconnectMinMs()
        {
            return reconnectMinMs;
        }

        public long reconnectMaxMs()
        {
            return reconnectMaxMs;
        }

        public double reconnectJitter()
        {
            return reconnectJitter;
        }

        /**
         * @param maxBodyLength the largest frame body accepted from the server, bytes.
         */
        public Context maxBodyLength(final int maxBodyLength)
        {
            this.maxBodyLength = maxBodyLength;
            return this;
        }

        public int maxBodyLength()
        {
            return maxBodyLength;
        }

        /**
         * @param pullWindow most seqs one PULL asks for.
         */
        public Context pullWindow(final int pullWindow)
        {
            this.pullWindow = pullWindow;
            return this;
        }

        public int pullWindow()
        {
            return pullWindow;
        }

        /**
         * @param maxHeldMessages most out-of-order messages held per stream while a hole is filled.
         */
        public Context maxHeldMessages(final int maxHeldMessages)
        {
            this.maxHeldMessages = maxHeldMessages;
            return this;
        }

        public int maxHeldMessages()
        {
            return maxHeldMessages;
        }

        /**
         * @param pullRetryMs how long a PULL may go without progress before it is sent again, milliseconds.
         */
        public Context pullRetryMs(final long pullRetryMs)
        {
            this.pullRetryMs = pullRetryMs;
            return this;
        }

        public long pullRetryMs()
        {
            return pullRetryMs;
        }

        public String toString()
        {
            return "DeviceClient.Context{deviceId=" + deviceId + ", serverName=" + serverName + ", serverPort=" +
                serverPort + ", fallback=" + fallbackAddressTexts + ", probePort=" + probePort + ", probeTimeoutMs=" +
                probeTimeoutMs + ", heartbeat=" + heartbeatInitialSec + "s [" + heartbeatMinSec + ".." +
                heartbeatMaxSec + "], network=" + networkId + ", cursorFile=" + cursorFile + ", reconnect=" +
                reconnectMinMs + ".." + reconnectMaxMs + "ms}";
        }
    }
}
