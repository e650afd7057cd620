package io.pushwire.dispatch;

import io.pushwire.link.CommandErrors;
import io.pushwire.link.CommandListener;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.PushCommandDecoder;
import io.pushwire.link.ResponseProxy;
import io.pushwire.protocol.Protocol;
import io.pushwire.status.LatencyLog;
import io.pushwire.store.Store;
import io.pushwire.store.StoreRecords;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.EpochClock;

import static io.pushwire.link.CommandMessages.*;

/**
 * Executes commands from senders and the console: validates a command completely before touching
 * anything (a bad command changes nothing and is answered ERROR(code, text)), then appends to the
 * store, applies to {@link DispatchState}, hands messages to the {@link Deliverer} and answers.
 * A push is answered {@code ACCEPTED(messageId, targets)} only after every record of it is appended.
 * <p>
 * Every answer (ACCEPTED, RECEIPT, WHO, OK, ERROR) goes through the {@link ResponseProxy}, which holds one the
 * publication refuses for now and offers it again, in order, from {@link #retryAnswers()}.
 * <p>
 * Message ids are {@code max(last + 1, nowMs << 16)}: unique and increasing for the life of the store
 * (replay restores the last one), and roughly time-ordered. Device ids in a push are looked up by their
 * UTF-8 bytes without allocating; alias and topic names and idempotency keys become Strings (only
 * pushes that use them pay for one). Not thread-safe: the dispatch agent calls it.
 */
final class CommandHandler implements CommandListener
{
    private final DispatchContext ctx;
    private final DispatchState state;
    private final Store store;
    private final Deliverer deliverer;
    private final DeviceSessions sessions;
    private final ResponseProxy responses;
    private final DispatchCounters counters;
    private final EpochClock clock;
    private final IntArrayList targetDevices = new IntArrayList(16, -1);
    private final GroupCommit groupCommit;
    private final LatencyLog pushLatency;

    /**
     * @param pushLatency records, per accepted push, the time from its command decoded to the message handed to
     *                    the gateways' link (or queued for a retry), store append included; null records nothing.
     */
    CommandHandler(final DispatchContext ctx, final DispatchState state, final Store store, final Deliverer deliverer,
        final DeviceSessions sessions, final ResponseProxy responses, final DispatchCounters counters, final LatencyLog pushLatency)
    {
        this.pushLatency = pushLatency;
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.deliverer = deliverer;
        this.sessions = sessions;
        this.responses = responses;
        this.counters = counters;
        this.clock = ctx.epochClock();
        this.groupCommit = ctx.storeContext().syncPolicy() == io.pushwire.store.SyncPolicy.EVERY ?
            new GroupCommit(deliverer, ctx.maxPayload()) : null;
    }

    /**
     * With {@code sync=every}: the store was just synced, deliver and answer what waited for it.
     *
     * @return work done.
     */
    int flushGroupCommit()
    {
        return null == groupCommit || groupCommit.isEmpty() ? 0 : groupCommit.flush(store, this);
    }

    public void onPush(final long clientId, final long correlationId, final PushCommandDecoder push)
    {
        try
        {
            push(clientId, correlationId, push);
        }
        catch (final RuntimeException ex)
        {
            // A store failure (disk full, I/O error) after validation: the sender gets a clear error instead of a
            // timeout. Records already appended for some targets of this push stay (they are consistent).
            reject(clientId, correlationId, CommandErrors.STORE_FAILED, "store append failed: " + ex);
            throw ex;
        }
    }

    private void push(final long clientId, final long correlationId, final PushCommandDecoder push)
    {
        final long startNs = null == pushLatency ? 0 : System.nanoTime();
        final String problem = validate(push);
        if (null != problem)
        {
            return;
        }
        final DirectBuffer buffer = push.buffer();
        String idempotencyKey = null;
        if (push.idempotencyKeyLength() > 0)
        {
            idempotencyKey = buffer.getStringWithoutLengthUtf8(push.idempotencyKeyOffset(), push.idempotencyKeyLength());
            final long firstId = state.idempotencyKeys.getValue(idempotencyKey);
            if (firstId != 0)
            {
                accepted(clientId, correlationId, firstId, Math.max(0, state.receipts.targets(firstId)));
                return;
            }
        }

        final int kind = push.targetKind();
        long topic = 0;
        targetDevices.clear();
        switch (kind)
        {
            case TARGET_DEVICE, TARGET_DEVICES ->
            {
                for (int i = 0; i < push.targetCount(); i++)
                {
                    int device = state.devices.lookup(buffer, push.targetOffset(i), push.targetLength(i));
                    if (device < 0)
                    {
                        device = state.applyDevice(state.devices.size(), buffer, push.targetOffset(i), push.targetLength(i));
                        store.appendDevice(device, buffer, push.targetOffset(i), push.targetLength(i));
                    }
                    if (!targetDevices.containsInt(device))
                    {
                        targetDevices.addInt(device);
                    }
                }
            }
            case TARGET_ALIAS ->
            {
                final IntArrayList bound = state.aliasDevices(
                    buffer.getStringWithoutLengthUtf8(push.targetOffset(0), push.targetLength(0)));
                for (int i = 0; i < bound.size(); i++)
                {
                    targetDevices.addInt(bound.getInt(i));
                }
            }
            case TARGET_TOPIC -> topic = state.topicId(buffer.getStringWithoutLengthUtf8(push.targetOffset(0), push.targetLength(0)));
            default -> topic = DispatchState.BROADCAST;
        }

        final long nowMs = clock.time();
        final long messageId = Math.max(state.lastMessageId() + 1, nowMs << 16);
        final long expiryMs = nowMs + (push.ttlMs() == 0 ? ctx.defaultTtlMs() : push.ttlMs());
        final long collapseHash = push.collapseKeyLength() == 0 ? 0 :
            collapseHash(buffer, push.collapseKeyOffset(), push.collapseKeyLength());
        final int payloadOffset = push.payloadOffset();
        final int payloadLength = push.payloadLength();
        final int targets;
        if (0 == topic)
        {
            targets = targetDevices.size();
            for (int i = 0; i < targets; i++)
            {
                final int device = targetDevices.getInt(i);
                final int flags = i == 0 ? StoreRecords.FLAG_FIRST_OF_MESSAGE : 0;
                final long seq = state.deviceStream(device).head() + 1;
                final long index = store.appendMessage(StoreRecords.DEVICE_STREAM, device, seq, messageId, nowMs, expiryMs,
                    push.appId(), push.priority(), flags, collapseHash, targets, buffer, push.idempotencyKeyOffset(),
                    i == 0 ? push.idempotencyKeyLength() : 0, buffer, payloadOffset, payloadLength);
                if (0 != state.applyMessage(index, StoreRecords.DEVICE_STREAM, device, seq, messageId, nowMs, expiryMs, flags,
                    collapseHash, targets, payloadLength))
                {
                    counters.collapsed.incrementOrdered();
                }
                if (null != groupCommit)
                {
                    groupCommit.delivery(StoreRecords.DEVICE_STREAM, index);
                }
                else
                {
                    deliverer.onDeviceMessage(device, seq, push.priority(), messageId, push.appId(), buffer, payloadOffset,
                        payloadLength);
                }
            }
        }
        else
        {
            targets = state.topicSubscribers(topic);
            final long seq = state.topicStream(topic).head() + 1;
            final long index = store.appendMessage(StoreRecords.TOPIC_STREAM, topic, seq, messageId, nowMs, expiryMs,
                push.appId(), push.priority(), StoreRecords.FLAG_FIRST_OF_MESSAGE, collapseHash, targets, buffer,
                push.idempotencyKeyOffset(), push.idempotencyKeyLength(), buffer, payloadOffset, payloadLength);
            if (0 != state.applyMessage(index, StoreRecords.TOPIC_STREAM, topic, seq, messageId, nowMs, expiryMs,
                StoreRecords.FLAG_FIRST_OF_MESSAGE, collapseHash, targets, payloadLength))
            {
                counters.collapsed.incrementOrdered();
            }
            if (null != groupCommit)
            {
                groupCommit.delivery(StoreRecords.TOPIC_STREAM, index);
            }
            else
            {
                deliverer.onTopicMessage(topic, seq, push.priority(), messageId, push.appId(), buffer, payloadOffset,
                    payloadLength);
            }
        }
        if (null != idempotencyKey)
        {
            state.idempotencyKeys.put(idempotencyKey, messageId);
        }
        counters.pushesAccepted.incrementOrdered();
        if (null != pushLatency)
        {
            pushLatency.record(System.nanoTime() - startNs);
        }
        accepted(clientId, correlationId, messageId, targets);
    }

    public void onReceipt(final long clientId, final long correlationId, final long messageId)
    {
        final Receipts receipts = state.receipts;
        final int targets = receipts.targets(messageId);
        if (targets < 0)
        {
            reject(clientId, correlationId, CommandErrors.UNKNOWN_MESSAGE, "no receipt for message id " + messageId);
            return;
        }
        final int delivered = receipts.deliveredCount(messageId);
        final int expired = receipts.expiredCount(messageId);
        responses.receipt(clientId, correlationId, messageId, targets, delivered, targets - delivered - expired, expired);
    }

    public void onAlias(final long clientId, final long correlationId, final boolean bind, final DirectBuffer buffer,
        final int aliasOffset, final int aliasLength, final int deviceIdOffset, final int deviceIdLength)
    {
        if (aliasLength < 1 || aliasLength > MAX_KEY_LENGTH)
        {
            reject(clientId, correlationId, CommandErrors.BAD_TARGET, "alias must be 1 to " + MAX_KEY_LENGTH + " bytes");
            return;
        }
        if (deviceIdLength < 1 || deviceIdLength > Protocol.MAX_DEVICE_ID_LENGTH)
        {
            reject(clientId, correlationId, CommandErrors.BAD_TARGET, "device id must be 1 to " + Protocol.MAX_DEVICE_ID_LENGTH + " bytes");
            return;
        }
        final String alias = buffer.getStringWithoutLengthUtf8(aliasOffset, aliasLength);
        int device = state.devices.lookup(buffer, deviceIdOffset, deviceIdLength);
        if (!bind)
        {
            if (device < 0 || !state.applyAlias(false, device, alias))
            {
                reject(clientId, correlationId, CommandErrors.UNKNOWN_ALIAS, "alias '" + alias + "' is not bound to that device");
                return;
            }
            store.appendAlias(false, device, buffer, aliasOffset, aliasLength);
            responses.ok(clientId, correlationId);
            return;
        }
        if (device < 0)
        {
            device = state.applyDevice(state.devices.size(), buffer, deviceIdOffset, deviceIdLength);
            store.appendDevice(device, buffer, deviceIdOffset, deviceIdLength);
        }
        if (state.applyAlias(true, device, alias))
        {
            store.appendAlias(true, device, buffer, aliasOffset, aliasLength);
        }
        responses.ok(clientId, correlationId);
    }

    public void onDeviceCommand(final long clientId, final long correlationId, final int type, final DirectBuffer buffer,
        final int deviceIdOffset, final int deviceIdLength)
    {
        final int device = state.devices.lookup(buffer, deviceIdOffset, deviceIdLength);
        if (device < 0)
        {
            reject(clientId, correlationId, CommandErrors.UNKNOWN_DEVICE,
                "unknown device '" + buffer.getStringWithoutLengthUtf8(deviceIdOffset, deviceIdLength) + "'");
            return;
        }
        if (type == KICK)
        {
            sessions.kick(device);
            responses.ok(clientId, correlationId);
            return;
        }
        final long connectionId = state.connectionId(device);
        final boolean online = DispatchState.NO_CONNECTION != connectionId;
        responses.beginWho(clientId, correlationId, online, online ? state.routeHeartbeatSec[device] : 0, connectionId,
            online ? state.routeOpenedAtMs[device] : 0);
        final StreamLog log = state.deviceStream(device);
        responses.whoStream(Protocol.UNICAST_STREAM_ID, log.head(), log.acked());
        responses.whoStream(DispatchState.BROADCAST, state.topicStream(DispatchState.BROADCAST).head(),
            state.topicAcked(device, DispatchState.BROADCAST));
        final IntArrayList topics = state.subscriptions(device);
        if (null != topics)
        {
            for (int i = 0; i < topics.size(); i++)
            {
                final int topic = topics.getInt(i);
                responses.whoStream(topic, state.topicStream(topic).head(), state.topicAcked(device, topic));
            }
        }
        responses.sendWho();
    }

    public void onBadCommand(final long clientId, final long correlationId, final int code, final String text)
    {
        reject(clientId, correlationId, code, text);
    }

    /**
     * @return null when the push may be executed, else the problem (already answered).
     */
    private String validate(final PushCommandDecoder push)
    {
        final int kind = push.targetKind();
        final int count = push.targetCount();
        final int code;
        final String text;
        if (kind < TARGET_DEVICE || kind > TARGET_BROADCAST)
        {
            code = CommandErrors.UNKNOWN_TARGET_KIND;
            text = "unknown target kind " + kind;
        }
        else if (push.payloadLength() == 0)
        {
            code = CommandErrors.EMPTY_PAYLOAD;
            text = "empty payload";
        }
        else if (push.payloadLength() > ctx.maxPayload())
        {
            code = CommandErrors.PAYLOAD_TOO_LARGE;
            text = "payload of " + push.payloadLength() + " bytes is over the maximum of " + ctx.maxPayload();
        }
        else if (push.ttlMs() < 0 || push.ttlMs() > ctx.maxTtlMs())
        {
            code = CommandErrors.TTL_TOO_LONG;
            text = "ttl " + push.ttlMs() + " ms is not within 0 (default) to " + ctx.maxTtlMs() + " ms";
        }
        else if (push.priority() > 1)
        {
            code = CommandErrors.BAD_PRIORITY;
            text = "priority must be 0 (normal) or 1 (high)";
        }
        else if (kind == TARGET_BROADCAST ? count != 0 : (kind == TARGET_DEVICES ? count < 1 : count != 1))
        {
            code = CommandErrors.BAD_TARGET;
            text = "wrong number of targets (" + count + ") for target kind " + kind;
        }
        else if (push.collapseKeyLength() > MAX_KEY_LENGTH || push.idempotencyKeyLength() > MAX_KEY_LENGTH)
        {
            code = CommandErrors.BAD_TARGET;
            text = "collapse or idempotency key longer than " + MAX_KEY_LENGTH + " bytes";
        }
        else
        {
            return validateTargets(push);
        }
        reject(push, code, text);
        return text;
    }

    private String validateTargets(final PushCommandDecoder push)
    {
        final int kind = push.targetKind();
        final int maxLength = kind == TARGET_DEVICE || kind == TARGET_DEVICES ? Protocol.MAX_DEVICE_ID_LENGTH :
            (kind == TARGET_TOPIC ? Protocol.MAX_TOPIC_LENGTH : MAX_KEY_LENGTH);
        for (int i = 0; i < push.targetCount(); i++)
        {
            if (push.targetLength(i) < 1 || push.targetLength(i) > maxLength)
            {
                final String text = "target " + i + " must be 1 to " + maxLength + " bytes";
                reject(push, CommandErrors.BAD_TARGET, text);
                return text;
            }
        }
        final DirectBuffer buffer = push.buffer();
        if (kind == TARGET_ALIAS)
        {
            final String alias = buffer.getStringWithoutLengthUtf8(push.targetOffset(0), push.targetLength(0));
            final IntArrayList bound = state.aliasDevices(alias);
            if (null == bound || bound.isEmpty())
            {
                final String text = "unknown alias '" + alias + "'";
                reject(push, CommandErrors.UNKNOWN_ALIAS, text);
                return text;
            }
        }
        else if (kind == TARGET_TOPIC)
        {
            final String topic = buffer.getStringWithoutLengthUtf8(push.targetOffset(0), push.targetLength(0));
            if (state.topicId(topic) <= 0)
            {
                final String text = "unknown topic '" + topic + "' (no device ever subscribed to it)";
                reject(push, CommandErrors.UNKNOWN_TOPIC, text);
                return text;
            }
        }
        return null;
    }

    private void reject(final PushCommandDecoder push, final int code, final String text)
    {
        final DirectBuffer buffer = push.buffer();
        reject(buffer.getLong(CommandMessages.CLIENT_ID_OFFSET + pushOffset(push)),
            buffer.getLong(CommandMessages.CORRELATION_ID_OFFSET + pushOffset(push)), code, text);
    }

    private static int pushOffset(final PushCommandDecoder push)
    {
        return push.offset();
    }

    private void reject(final long clientId, final long correlationId, final int code, final String text)
    {
        counters.pushesRejected.incrementOrdered();
        responses.error(clientId, correlationId, code, CommandErrors.name(code) + ": " + text);
    }

    private void accepted(final long clientId, final long correlationId, final long messageId, final int targets)
    {
        if (null != groupCommit)
        {
            groupCommit.accepted(clientId, correlationId, messageId, targets);
        }
        else
        {
            sendAccepted(clientId, correlationId, messageId, targets);
        }
    }

    void sendAccepted(final long clientId, final long correlationId, final long messageId, final int targets)
    {
        responses.accepted(clientId, correlationId, messageId, targets);
    }

    /**
     * Offers the answers that wait for the response publication; call every duty cycle.
     *
     * @return answers sent or dropped.
     */
    int retryAnswers()
    {
        return responses.retry();
    }

    static long collapseHash(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }
}
