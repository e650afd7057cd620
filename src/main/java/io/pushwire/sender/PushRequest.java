package io.pushwire.sender;

import io.pushwire.link.CommandMessages;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One push: its target and options. Build with a target factory ({@link #toDevice}, {@link #toDevices},
 * {@link #toAlias}, {@link #toTopic}, {@link #broadcast}) and the fluent options; hand to
 * {@link PushClient#push(PushRequest)}. Mutable while being built; not thread-safe.
 * <p>
 * Options: payload (1 byte to dispatch's max.payload), app id, TTL (zero for dispatch's default, at most
 * its ttl.max), collapse key (a newer push with the same key replaces an undelivered older one in the
 * same stream), priority (0 normal, 1 high: flagged in the MSG frame), and an idempotency key
 * (resubmitting one returns the first message id and stores nothing new).
 */
public final class PushRequest
{
    private final int targetKind;
    private final List<String> targets;
    private byte[] payload = new byte[0];
    private int appId;
    private long ttlMs;
    private String collapseKey;
    private int priority;
    private String idempotencyKey;

    private PushRequest(final int targetKind, final List<String> targets)
    {
        this.targetKind = targetKind;
        this.targets = List.copyOf(targets);
    }

    public static PushRequest toDevice(final String deviceId)
    {
        return new PushRequest(CommandMessages.TARGET_DEVICE, List.of(Objects.requireNonNull(deviceId)));
    }

    public static PushRequest toDevices(final List<String> deviceIds)
    {
        return new PushRequest(CommandMessages.TARGET_DEVICES, deviceIds);
    }

    /**
     * @param alias a user's alias: every device bound to it ({@link PushClient#bindAlias}).
     */
    public static PushRequest toAlias(final String alias)
    {
        return new PushRequest(CommandMessages.TARGET_ALIAS, List.of(Objects.requireNonNull(alias)));
    }

    public static PushRequest toTopic(final String topic)
    {
        return new PushRequest(CommandMessages.TARGET_TOPIC, List.of(Objects.requireNonNull(topic)));
    }

    /**
     * To every device (the built-in broadcast topic, stream 1).
     */
    public static PushRequest broadcast()
    {
        return new PushRequest(CommandMessages.TARGET_BROADCAST, List.of());
    }

    /**
     * Any target kind, unchecked: for tests of how dispatch answers bad commands.
     */
    public static PushRequest raw(final int targetKind, final List<String> targets)
    {
        return new PushRequest(targetKind, targets);
    }

    public PushRequest payload(final byte[] payload)
    {
        this.payload = payload.clone();
        return this;
    }

    public PushRequest payload(final String text)
    {
        this.payload = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public PushRequest appId(final int appId)
    {
        this.appId = appId;
        return this;
    }

    public PushRequest ttl(final Duration ttl)
    {
        this.ttlMs = ttl.toMillis();
        return this;
    }

    public PushRequest ttlMs(final long ttlMs)
    {
        this.ttlMs = ttlMs;
        return this;
    }

    public PushRequest collapseKey(final String collapseKey)
    {
        this.collapseKey = collapseKey;
        return this;
    }

    /**
     * @param priority 0 normal, 1 high.
     */
    public PushRequest priority(final int priority)
    {
        this.priority = priority;
        return this;
    }

    public PushRequest idempotencyKey(final String idempotencyKey)
    {
        this.idempotencyKey = idempotencyKey;
        return this;
    }

    public int targetKind()
    {
        return targetKind;
    }

    public List<String> targets()
    {
        return targets;
    }

    byte[] payloadBytes()
    {
        return payload;
    }

    public int appId()
    {
        return appId;
    }

    public long ttlMs()
    {
        return ttlMs;
    }

    public String collapseKey()
    {
        return collapseKey;
    }

    public int priority()
    {
        return priority;
    }

    public String idempotencyKey()
    {
        return idempotencyKey;
    }
}
