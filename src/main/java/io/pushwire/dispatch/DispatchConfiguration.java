package io.pushwire.dispatch;

import io.pushwire.config.Setting;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.store.StoreConfiguration;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the dispatch process. Read once by {@link DispatchContext#conclude()}.
 */
public final class DispatchConfiguration
{
    public static final Setting MAX_PAYLOAD = Setting.of(
        "pushwire.dispatch.max-payload", "4k", "largest push payload accepted (PAYLOAD_TOO_LARGE above)");
    public static final Setting INLINE_LIMIT = Setting.of(
        "pushwire.dispatch.inline-limit", "1k", "payloads up to this go inline (MSG) to an online device; larger ones by NOTIFY + PULL");
    public static final Setting WINDOW = Setting.of(
        "pushwire.dispatch.window", "32", "unacked inline messages per device stream before dispatch switches to NOTIFY");
    public static final Setting WINDOW_BYTES = Setting.of(
        "pushwire.dispatch.window-bytes", "64k", "unacked inline payload bytes per device stream before dispatch switches to NOTIFY");
    public static final Setting PULL_BATCH = Setting.of(
        "pushwire.dispatch.pull-batch", "64", "most messages (MSG or GAP) served for one PULL; the device pulls the rest");
    public static final Setting DEFAULT_TTL = Setting.of(
        "pushwire.dispatch.default-ttl", "1d", "time to live of a push that names none");
    public static final Setting MAX_TTL = Setting.of(
        "pushwire.dispatch.max-ttl", "7d", "longest time to live a push may ask for (TTL_TOO_LONG above); at most the store retention");
    public static final Setting TOPIC_RETENTION = Setting.of(
        "pushwire.dispatch.topic-retention", "1024", "messages kept per topic (older ones are trimmed: GAP reason 3)");
    public static final Setting MAX_SUBSCRIPTIONS = Setting.of(
        "pushwire.dispatch.max-subscriptions", "64", "topics one device may subscribe to");
    public static final Setting MAX_DEVICE_ANSWERS = Setting.of(
        "pushwire.dispatch.max-device-answers", "65536",
        "answers to devices (SUB_ACK, UP_ACK, ERROR), control messages (close, topic bind/unbind) and cut PULLs kept " +
        "per gateway reactor while it refuses offers, a power of two >= 64 (about 70 bytes each); beyond, answers and " +
        "control messages are dropped and counted");
    public static final Setting GATEWAY_TIMEOUT = Setting.of(
        "pushwire.dispatch.gateway-timeout", "5s", "a gateway silent this long is taken as gone: its routes are dropped");
    public static final Setting SWEEP_INTERVAL = Setting.of(
        "pushwire.dispatch.sweep-interval", "100ms", "how often the expiry sweep runs (bounded work each time)");
    public static final Setting RECEIPT_RETENTION = Setting.of(
        "pushwire.dispatch.receipt-retention", "10m", "how long a settled receipt stays queryable (bounded by max.receipts)");
    public static final Setting MAX_RECEIPTS = Setting.of(
        "pushwire.dispatch.max-receipts", "1048576", "receipts held at most, memory reserved at start (about 60 bytes each); the oldest is evicted beyond");

    public static final Setting IDLE_STRATEGY = Setting.of(
        "pushwire.dispatch.idle-strategy", "backoff:100,10,1us,100us",
        "what the agent does when a duty cycle found no work: " + Setting.IDLE_STRATEGY_FORMS);

    private DispatchConfiguration()
    {
    }

    /**
     * @return every setting the dispatch process reads: its own, the store's and the link's.
     */
    public static List<Setting> settings()
    {
        final List<Setting> settings = new ArrayList<>(LinkConfiguration.settings());
        settings.addAll(List.of(MAX_PAYLOAD, INLINE_LIMIT, WINDOW, WINDOW_BYTES, PULL_BATCH, DEFAULT_TTL, MAX_TTL,
            TOPIC_RETENTION, MAX_SUBSCRIPTIONS, MAX_DEVICE_ANSWERS, GATEWAY_TIMEOUT, SWEEP_INTERVAL, RECEIPT_RETENTION, MAX_RECEIPTS, IDLE_STRATEGY));
        settings.addAll(StoreConfiguration.settings());
        return settings;
    }
}
