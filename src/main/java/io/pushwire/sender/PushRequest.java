package io.pushwire.sender;

import io.pushwire.link.CommandMessages;
import org.agrona.DirectBuffer;

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
 * <p>
 * <b>Reuse.</b> The client encodes a request before {@code push}, {@code pushAsync} or {@code tryPush} returns,
 * so a sender may change a request and push it again: {@link #target(String)} replaces the one target of a
 * device, alias or topic push, and {@link #payload(DirectBuffer, int, int)} copies into the request's own
 * array, which only grows. A sender that reuses one request (and ASCII target strings it already has)
 * allocates nothing per push.
 */
public final class PushRequest
{
    private final int targetKind;
    private final List<String> targetList;
    private String target;
    private byte[] payload = new byte[0];
    private int payloadLength;
    private int appId;
    private long ttlMs;
    private String collapseKey;
    private int priority;
    private String idempotencyKey;

    private PushRequest(final int targetKind, final List<String> targets)
    {
        this.targetKind = targetKind;
        this.targetList = List.copyOf(targets);
    }

    private PushRequest(final int targetKind, final String target)
    {
        this.targetKind = targetKind;
        this.targetList = null;
        this.target = Objects.requireNonNull(target);
    }

    public static PushRequest toDevice(final String deviceId)
    {
        return new PushRequest(CommandMessages.TARGET_DEVICE, deviceId);
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
        return new PushRequest(CommandMessages.TARGET_ALIAS, alias);
    }

    public static PushRequest toTopic(final String topic)
    {
        return new PushRequest(CommandMessages.TARGET_TOPIC, topic);
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

    /**
     * Replaces the one target of a request made by {@link #toDevice}, {@link #toAlias} or {@link #toTopic}, so one
     * request can be pushed to many targets in turn.
     *
     * @throws IllegalStateException for a broadcast or a list of targets.
     */
    public PushRequest target(final String target)
    {
        if (null == this.target)
        {
            throw new IllegalStateException("only a device, alias or topic push has one target to replace");
        }
        this.target = Objects.requireNonNull(target);
        return this;
    }

    /**
     * Copies the payload (the caller may change its array afterwards).
     */
    public PushRequest payload(final byte[] payload)
    {
        final byte[] copy = payload.length <= this.payload.length ? this.payload : new byte[payload.length];
        System.arraycopy(payload, 0, copy, 0, payload.length);
        this.payload = copy;
        this.payloadLength = payload.length;
        return this;
    }

    /**
     * Copies the payload into this request's own array, which grows when needed and is otherwise reused.
     */
    public PushRequest payload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > payload.length)
        {
            payload = new byte[length];
        }
        buffer.getBytes(offset, payload, 0, length);
        payloadLength = length;
        return this;
    }

    public PushRequest payload(final String text)
    {
        this.payload = text.getBytes(StandardCharsets.UTF_8);
        this.payloadLength = payload.length;
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

    /**
     * @return the targets (a new list for a device, alias or topic push).
     */
    public List<String> targets()
    {
        return null != target ? List.of(target) : targetList;
    }

    int targetCount()
    {
        return null != target ? 1 : targetList.size();
    }

    String target(final int index)
    {
        return null != target ? target : targetList.get(index);
    }

    /**
     * @return the array holding the payload in its first {@link #payloadLength()} bytes.
     */
    byte[] payloadArray()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payloadLength;
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
