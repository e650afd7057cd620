package io.pushwire.link;

import io.pushwire.config.Setting;

import java.util.List;

/**
 * Where the processes of a box meet: the Aeron directory of the box's media driver, the channel the
 * links use, and the stream ids.
 * <p>
 * On one box every link is {@code aeron:ipc}; between boxes the same streams run over an
 * {@code aeron:udp} channel set with {@link #CHANNEL}. Term buffers are sized down from Aeron's
 * 64 MiB IPC default (see {@link #TERM_LENGTH}), because a box runs dozens of publications.
 * <p>
 * Stream ids:
 * <ul>
 *   <li>{@link #UPSTREAM_STREAM_ID}: every gateway reactor publishes, dispatch subscribes.</li>
 *   <li>{@link #downstreamStreamId(int, int)}: one stream per gateway reactor; dispatch publishes.</li>
 *   <li>{@link #TOPIC_STREAM_ID}: topic fan-out; dispatch publishes one copy, every reactor subscribes.</li>
 *   <li>{@link #COMMAND_STREAM_ID} / {@link #RESPONSE_STREAM_ID}: senders and the console to dispatch, and back.</li>
 * </ul>
 */
public final class LinkConfiguration
{
    public static final int UPSTREAM_STREAM_ID = 10;
    public static final int TOPIC_STREAM_ID = 20;
    public static final int COMMAND_STREAM_ID = 30;
    public static final int RESPONSE_STREAM_ID = 31;
    public static final int CONTROL_STREAM_ID = 40;
    public static final int CONTROL_RESPONSE_STREAM_ID = 41;
    public static final int DOWNSTREAM_STREAM_ID_BASE = 1000;

    public static final Setting AERON_DIR = Setting.of(
        "pushwire.aeron.dir", defaultAeronDir(), "the Aeron directory of this box's media driver");
    public static final Setting CHANNEL = Setting.of(
        "pushwire.link.channel", "aeron:ipc", "the Aeron channel between gateways and dispatch (aeron:udp?... between boxes)");
    public static final Setting TERM_LENGTH = Setting.of(
        "pushwire.link.term.length", "1m", "term buffer length of each link publication (power of two, 64k to 1g)");

    public static final Setting CLIENT_LIVENESS_TIMEOUT = Setting.of(
        "pushwire.link.client-liveness-timeout", "10s", "how long the driver keeps a silent client; a client " +
            "starved longer (GC pause, overloaded box) exits to be restarted (raise it on an oversubscribed box)");

    public static final Setting DRIVER_IDLE_STRATEGY = Setting.of(
        "pushwire.driver.idle-strategy", "backoff:10,20,1us,100us",
        "what the box's media driver (shared thread) does when idle: " + Setting.IDLE_STRATEGY_FORMS);

    private LinkConfiguration()
    {
    }

    /**
     * @return the settings every process that joins the link reads.
     */
    public static List<Setting> settings()
    {
        return List.of(AERON_DIR, CHANNEL, TERM_LENGTH, CLIENT_LIVENESS_TIMEOUT);
    }

    /**
     * @return the settings of the media driver process: the link's and its idle strategy.
     */
    public static List<Setting> driverSettings()
    {
        return List.of(AERON_DIR, CHANNEL, TERM_LENGTH, CLIENT_LIVENESS_TIMEOUT, DRIVER_IDLE_STRATEGY);
    }

    /**
     * @param gatewayId the gateway, 0 to {@link ConnectionId#MAX_GATEWAYS} - 1.
     * @param reactor   the reactor within it, 0 to {@link ConnectionId#MAX_REACTORS} - 1.
     * @return the stream id dispatch publishes that reactor's downstream messages on.
     */
    public static int downstreamStreamId(final int gatewayId, final int reactor)
    {
        return DOWNSTREAM_STREAM_ID_BASE + gatewayId * ConnectionId.MAX_REACTORS + reactor;
    }

    /**
     * @return the link channel with the configured term length, for publications.
     */
    public static String publicationChannel()
    {
        final String channel = CHANNEL.get();
        if (channel.contains("term-length="))
        {
            return channel;
        }
        return channel + (channel.indexOf('?') < 0 ? "?" : "|") + "term-length=" + TERM_LENGTH.getSizeBytes();
    }

    /**
     * @return the link channel for subscriptions.
     */
    public static String subscriptionChannel()
    {
        return CHANNEL.get();
    }

    private static String defaultAeronDir()
    {
        final String base = new java.io.File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        return base + "/pushwire-" + System.getProperty("user.name", "default") + "/aeron";
    }
}
