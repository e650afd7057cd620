package io.pushwire.dispatch;

import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.Protocol;
import io.pushwire.store.Store;
import io.pushwire.store.StoredMessage;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

/**
 * Decides what an online device is sent, after a message is stored: inline MSG while the device's
 * unacked window has room and nothing older is waiting, else one NOTIFY(stream, head) until the device
 * PULLs or ACKs (notification-first, no flood); serves PULLs from the store in order, bounded per PULL,
 * with a GAP for exactly each expired, collapsed or trimmed run; notifies a (re)connecting device of
 * every stream with something newer than its HELLO cursor; sends topic messages once to all gateways.
 * <p>
 * Nothing here can lose a message: on back pressure the device (or topic) is marked and gets a NOTIFY
 * on a later duty cycle, and the message waits in the store. A PULL cut short by back pressure is continued, in
 * order with the device's answers, from its reactor's {@link ReactorBacklog}; while that ring holds anything, the
 * reactor's devices get no other frame (they are marked for a NOTIFY instead), so nothing overtakes a waiting answer.
 * Allocates nothing per message. Not thread-safe: the dispatch agent owns it.
 */
final class Deliverer
{
    private final DispatchContext ctx;
    private final DispatchState state;
    private final Store store;
    private final Outbox outbox;
    private final DispatchCounters counters;
    private final StoredMessage stored;
    private static final int RECENT_BINDS = 4096;
    private static final long RECENT_BIND_MS = 200;
    private static final long PULL_DONE = 0;
    private int pullFramesSent;

    private boolean[] notifyOutstanding = new boolean[1024];
    private final long[] recentBindConnections = new long[RECENT_BINDS];
    private final int[] recentBindDevices = new int[RECENT_BINDS];
    private final int[] recentBindTopics = new int[RECENT_BINDS];
    private final long[] recentBindAtMs = new long[RECENT_BINDS];
    private long recentBindCount;
    private final IntArrayList retryScratch = new IntArrayList(256, -1);

    Deliverer(final DispatchContext ctx, final DispatchState state, final Store store, final Outbox outbox,
        final DispatchCounters counters)
    {
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.outbox = outbox;
        this.counters = counters;
        this.stored = new StoredMessage(ctx.maxPayload());
    }

    /**
     * A message was appended to an online or offline device's stream.
     */
    void onDeviceMessage(final int device, final long seq, final int priority, final long messageId, final int appId,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final long connectionId = state.routeConnectionId[device];
        if (DispatchState.NO_CONNECTION == connectionId)
        {
            return;
        }
        if (outbox.backlogWaiting(connectionId))
        {
            // nothing overtakes a waiting answer or PULL remainder: a NOTIFY follows them
            outbox.markDeviceRetry(device, connectionId);
            return;
        }
        final StreamLog log = state.deviceStreams[device];
        if (payloadLength <= ctx.inlineLimit() && state.sentSeq[device] == seq - 1 &&
            seq - log.acked() <= ctx.window() && inflightBytes(log, state.sentSeq[device]) + payloadLength <= ctx.windowBytes())
        {
            if (outbox.msg(connectionId, flags(priority), Protocol.UNICAST_STREAM_ID, seq, messageId, appId,
                payload, payloadOffset, payloadLength))
            {
                state.sentSeq[device] = seq;
                counters.deliveredInline.incrementOrdered();
            }
            else
            {
                outbox.markDeviceRetry(device, connectionId);
            }
            return;
        }
        notifyDevice(device, connectionId, false);
    }

    /**
     * A connection was just bound to a topic on its reactor. The bind travels on the reactor's downstream
     * stream and topic messages on the shared fan-out stream, which the reactor polls separately, so a
     * topic message sent right after the bind may reach the reactor before it. For a short while after a
     * bind, each topic message is therefore also announced to that connection with a NOTIFY on its
     * downstream stream (ordered after the bind): harmless if the MSG arrived, a PULL if it did not.
     */
    void onBound(final long connectionId, final int device, final int topicStreamId, final long nowMs)
    {
        final int slot = (int)(recentBindCount++ & (RECENT_BINDS - 1));
        recentBindConnections[slot] = connectionId;
        recentBindDevices[slot] = device;
        recentBindTopics[slot] = topicStreamId;
        recentBindAtMs[slot] = nowMs;
    }

    /**
     * A message was appended to a topic stream: one copy to every gateway.
     */
    void onTopicMessage(final long topicStreamId, final long seq, final int priority, final long messageId, final int appId,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final boolean sent = payloadLength <= ctx.inlineLimit() ?
            outbox.topicMsg(topicStreamId, flags(priority), seq, messageId, appId, payload, payloadOffset, payloadLength) :
            outbox.topicNotify(topicStreamId, seq);
        if (sent)
        {
            counters.topicFanouts.incrementOrdered();
        }
        else
        {
            outbox.markTopicRetry((int)topicStreamId);
        }
        notifyRecentBinds(topicStreamId, seq);
    }

    private void notifyRecentBinds(final long topicStreamId, final long seq)
    {
        final long sinceMs = ctx.epochClock().time() - RECENT_BIND_MS;
        final long oldest = Math.max(0, recentBindCount - RECENT_BINDS);
        for (long i = recentBindCount - 1; i >= oldest; i--)
        {
            final int slot = (int)(i & (RECENT_BINDS - 1));
            if (recentBindAtMs[slot] < sinceMs)
            {
                break;
            }
            final int device = recentBindDevices[slot];
            final long connectionId = recentBindConnections[slot];
            if (recentBindTopics[slot] == topicStreamId && state.routeConnectionId[device] == connectionId &&
                (outbox.backlogWaiting(connectionId) || !outbox.notify(connectionId, topicStreamId, seq)))
            {
                outbox.markDeviceRetry(device, connectionId);
            }
        }
    }

    /**
     * A device session starts: forget what the old session was told, notify every stream newer than the
     * device's cursor. Cursors of the HELLO were already applied as acks.
     *
     * @param cursors the device's cursor per stream id, 0 where the HELLO had none.
     */
    void onSessionStart(final int device, final long connectionId, final CursorLookup cursors)
    {
        ensureCapacity(device);
        notifyOutstanding[device] = false;
        final StreamLog log = state.deviceStreams[device];
        state.sentSeq[device] = Math.max(log.acked(), Math.min(cursors.cursor(Protocol.UNICAST_STREAM_ID), log.head()));
        if (log.head() > state.sentSeq[device] && !sendSmallBacklog(device, connectionId, log))
        {
            notifyDevice(device, connectionId, true);
        }
        notifyTopics(device, connectionId, cursors);
    }

    /**
     * Retries NOTIFYs for devices and topics whose sends were back-pressured: per gateway reactor, up to
     * {@code limit} devices, stopping at the first that reactor still refuses (its publication is full: the rest
     * of its devices would be refused too), so one reactor that stays back-pressured holds back no other's.
     *
     * @param limit most devices tried per reactor, and topics tried.
     * @return NOTIFYs sent.
     */
    int retry(final int limit)
    {
        int work = 0;
        final IntArrayList reactors = outbox.retryReactors();
        // reactors listed while this runs (a device now routed elsewhere) are retried from the next call
        for (int r = 0, count = reactors.size(); r < count; r++)
        {
            final int reactorIndex = reactors.getInt(r);
            if (!outbox.backlogWaitingOn(reactorIndex))
            {
                // else the reactor still refuses what waits in its backlog, which goes first
                work += retryDevices(reactorIndex, limit);
            }
        }
        outbox.pruneRetryReactors();
        retryScratch.clear();
        final IntHashSet.IntIterator topics = outbox.retryTopics().iterator();
        while (topics.hasNext() && retryScratch.size() < limit)
        {
            retryScratch.addInt(topics.nextValue());
        }
        for (int i = 0, size = retryScratch.size(); i < size; i++)
        {
            final int topic = retryScratch.getInt(i);
            if (!outbox.topicNotify(topic, state.topicStream(topic).head()))
            {
                break;
            }
            outbox.retryTopics().remove(topic);
            counters.backPressureRetries.incrementOrdered();
            work++;
        }
        return work;
    }

    private int retryDevices(final int reactorIndex, final int limit)
    {
        final IntHashSet marked = outbox.retryDevices(reactorIndex);
        retryScratch.clear();
        final IntHashSet.IntIterator iterator = marked.iterator();
        while (iterator.hasNext() && retryScratch.size() < limit)
        {
            retryScratch.addInt(iterator.nextValue());
        }
        // Sends happen after the iteration: a failed send marks the device again, which must not modify the
        // set while it is being iterated.
        int work = 0;
        for (int i = 0, size = retryScratch.size(); i < size; i++)
        {
            final int device = retryScratch.getInt(i);
            final long connectionId = state.routeConnectionId[device];
            if (DispatchState.NO_CONNECTION == connectionId)
            {
                marked.remove(device);
                continue;
            }
            if (outbox.backlogWaiting(connectionId) ||
                !outbox.notify(connectionId, Protocol.UNICAST_STREAM_ID, state.deviceStreams[device].head()))
            {
                if (Outbox.reactorIndex(connectionId) == reactorIndex)
                {
                    break;
                }
                // the device reconnected through another reactor, which refuses too: it waits for that one
                marked.remove(device);
                outbox.markDeviceRetry(device, connectionId);
                continue;
            }
            marked.remove(device);
            counters.backPressureRetries.incrementOrdered();
            ensureCapacity(device);
            notifyOutstanding[device] = true;
            notifyTopics(device, connectionId, CursorLookup.NONE);
            work++;
        }
        return work;
    }

    /**
     * The device acked its own stream: a NOTIFY may be sent again.
     */
    void onDeviceAck(final int device)
    {
        ensureCapacity(device);
        notifyOutstanding[device] = false;
        final long connectionId = state.routeConnectionId[device];
        final StreamLog log = state.deviceStreams[device];
        if (DispatchState.NO_CONNECTION != connectionId && state.sentSeq[device] < log.head() &&
            state.sentSeq[device] == log.acked())
        {
            notifyDevice(device, connectionId, false);
        }
    }

    /**
     * A PULL(stream, from, to) from a connection: validated, then served (see {@link #servePull}). If answers or PULL
     * remainders wait for the connection's reactor it waits behind them; a PULL cut short by back pressure keeps its
     * remainder in the reactor's ring and is continued from there ({@link #retryBacklogs(int)}), so the device gets
     * the whole answer it asked for without asking again.
     */
    void onPull(final int device, final long connectionId, final long streamId, final long fromSeq, final long toSeq,
        final long nowMs)
    {
        final boolean unicast = streamId == Protocol.UNICAST_STREAM_ID;
        if (!unicast && !state.isSubscribed(device, streamId))
        {
            outbox.error(device, connectionId, ErrorCode.UNKNOWN_STREAM, "not subscribed to stream " + streamId);
            return;
        }
        if (fromSeq < 1 || toSeq < fromSeq)
        {
            outbox.error(device, connectionId, ErrorCode.BAD_RANGE, "bad PULL range");
            return;
        }
        if (unicast)
        {
            ensureCapacity(device);
            notifyOutstanding[device] = false;
        }
        if (outbox.backlogWaiting(connectionId))
        {
            keepPull(device, connectionId, streamId, fromSeq, toSeq, ctx.pullBatch());
            return;
        }
        final long nextSeq = servePull(device, connectionId, streamId, fromSeq, toSeq, ctx.pullBatch(), nowMs);
        if (PULL_DONE != nextSeq)
        {
            keepPull(device, connectionId, streamId, nextSeq, toSeq, ctx.pullBatch() - pullFramesSent);
        }
    }

    /**
     * Offers again, per gateway reactor and in order, what waits in its {@link ReactorBacklog}: answers, control
     * messages, and the rest of PULLs (served from the store as far as the reactor takes offers). Stops at a reactor's
     * first refusal; a reactor that refuses holds back only its own ring. Answers and PULLs for a connection that is
     * no longer its device's route are discarded: the connection is gone or going, and its device asks again on its
     * next session. Control messages are always sent: a close must reach the connection it names (it is often sent
     * because the route changed), and the gateway ignores a bind or unbind for a connection it no longer has.
     *
     * @param limit most entries completed per reactor.
     * @return entries completed.
     */
    int retryBacklogs(final int limit)
    {
        int work = 0;
        final long nowMs = ctx.epochClock().time();
        final IntArrayList reactors = outbox.backlogReactors();
        for (int r = 0, count = reactors.size(); r < count; r++)
        {
            final ReactorBacklog ring = outbox.backlog(reactors.getInt(r));
            int done = 0;
            while (!ring.isEmpty() && done < limit)
            {
                final long connectionId = ring.headConnectionId();
                final int device = ring.headDevice();
                final int kind = ring.headKind();
                if (!ReactorBacklog.isControl(kind) && state.routeConnectionId[device] != connectionId)
                {
                    ring.removeHead();
                    continue;
                }
                if (ReactorBacklog.PULL == kind)
                {
                    final int budget = (int)ring.headD();
                    final long nextSeq = servePull(device, connectionId, ring.headA(), ring.headB(), ring.headC(), budget, nowMs);
                    if (PULL_DONE != nextSeq)
                    {
                        ring.headPullProgress(nextSeq, budget - pullFramesSent);
                        break;
                    }
                }
                else if (!outbox.sendHead(ring))
                {
                    break;
                }
                ring.removeHead();
                counters.backPressureRetries.incrementOrdered();
                done++;
            }
            work += done;
        }
        outbox.pruneBacklogReactors();
        return work;
    }

    private void keepPull(final int device, final long connectionId, final long streamId, final long nextSeq,
        final long toSeq, final int frameBudget)
    {
        if (!outbox.queuePull(device, connectionId, streamId, nextSeq, toSeq, frameBudget))
        {
            // the reactor's ring is full: the device gets a NOTIFY once it drains, and pulls the rest
            outbox.markDeviceRetry(device, connectionId);
        }
    }

    /**
     * Serves seqs {@code fromSeq .. min(toSeq, head)} of a PULL to one connection: at most {@code frameBudget} MSG and
     * GAP frames ({@link DispatchContext#pullBatch()} for the whole PULL, however often it is continued), in seq order;
     * a GAP covers its whole run however long. A device that asked for more than the budget covered pulls the rest;
     * news beyond {@code toSeq} is announced with a NOTIFY. Sets {@link #pullFramesSent}.
     *
     * @return {@link #PULL_DONE}, or the first seq not offered because the reactor refused it (the caller keeps the
     * rest, {@code result .. toSeq}, with {@code frameBudget - pullFramesSent} frames left).
     */
    private long servePull(final int device, final long connectionId, final long streamId, final long fromSeq,
        final long toSeq, final int frameBudget, final long nowMs)
    {
        pullFramesSent = 0;
        final boolean unicast = streamId == Protocol.UNICAST_STREAM_ID;
        final StreamLog log = unicast ? state.deviceStreams[device] :
            (state.isSubscribed(device, streamId) ? state.topicStream(streamId) : null);
        if (null == log)
        {
            return PULL_DONE; // unsubscribed since the PULL was kept: nothing more to say
        }
        final long limit = Math.min(toSeq, log.head());
        long seq = fromSeq;
        int frames = 0;
        while (seq <= limit && frames < frameBudget)
        {
            pullFramesSent = frames;
            frames++;
            final int reason = gapReason(log, seq, nowMs, !unicast);
            if (0 != reason)
            {
                // one GAP frame for the whole run, however long: a device back after days gets one frame
                long runEnd = seq;
                while (runEnd < limit && gapReason(log, runEnd + 1, nowMs, !unicast) == reason)
                {
                    runEnd++;
                }
                if (!outbox.gap(connectionId, streamId, seq, runEnd, reason))
                {
                    return seq;
                }
                counters.gapsSent.incrementOrdered();
                seq = runEnd + 1;
                continue;
            }
            if (!store.readMessage(log.storeIndex(seq), stored))
            {
                if (!outbox.gap(connectionId, streamId, seq, seq, Protocol.GAP_TRIMMED))
                {
                    return seq;
                }
                counters.gapsSent.incrementOrdered();
            }
            else if (outbox.msg(connectionId, flags(stored.priority()), streamId, seq, stored.messageId(), stored.appId(),
                stored.payload(), 0, stored.payloadLength()))
            {
                counters.pulled.incrementOrdered();
            }
            else
            {
                return seq;
            }
            if (unicast)
            {
                state.sentSeq[device] = Math.max(state.sentSeq[device], seq);
            }
            seq++;
        }
        pullFramesSent = frames;
        if (log.head() > toSeq)
        {
            if (unicast)
            {
                notifyDevice(device, connectionId, true);
            }
            else if (outbox.notify(connectionId, streamId, log.head()))
            {
                counters.notified.incrementOrdered();
            }
            else
            {
                outbox.markDeviceRetry(device, connectionId);
            }
        }
        return PULL_DONE;
    }

    /**
     * Sends a backlog inline when it is small: at most the window, every entry live, unexpired and within
     * the inline limit (else NOTIFY, and the PULL says GAP for what expired). A device that reconnects without a cursor for its stream so gets again what it never acked.
     *
     * @return false when the backlog is not small (the caller notifies instead) or a send failed.
     */
    private boolean sendSmallBacklog(final int device, final long connectionId, final StreamLog log)
    {
        final long from = state.sentSeq[device] + 1;
        final long head = log.head();
        if (from < log.base() || head - log.acked() > ctx.window() || outbox.backlogWaiting(connectionId))
        {
            return false;
        }
        final long nowMs = ctx.epochClock().time();
        int bytes = 0;
        for (long seq = from; seq <= head; seq++)
        {
            bytes += log.payloadLength(seq);
            if (log.state(seq) != StreamLog.LIVE || log.expiryMs(seq) <= nowMs || log.payloadLength(seq) > ctx.inlineLimit() ||
                bytes > ctx.windowBytes())
            {
                return false;
            }
        }
        for (long seq = from; seq <= head; seq++)
        {
            if (!store.readMessage(log.storeIndex(seq), stored) ||
                !outbox.msg(connectionId, flags(stored.priority()), Protocol.UNICAST_STREAM_ID, seq, stored.messageId(),
                stored.appId(), stored.payload(), 0, stored.payloadLength()))
            {
                return false;
            }
            state.sentSeq[device] = seq;
            counters.deliveredInline.incrementOrdered();
        }
        return true;
    }

    private int gapReason(final StreamLog log, final long seq, final long nowMs, final boolean topic)
    {
        if (seq < log.base())
        {
            return Protocol.GAP_TRIMMED;
        }
        byte entryState = log.state(seq);
        if (entryState == StreamLog.LIVE && log.expiryMs(seq) <= nowMs)
        {
            state.expire(topic, log, seq);
            counters.expired.incrementOrdered();
            entryState = StreamLog.EXPIRED;
        }
        return switch (entryState)
        {
            case StreamLog.EXPIRED -> Protocol.GAP_EXPIRED;
            case StreamLog.COLLAPSED -> Protocol.GAP_COLLAPSED;
            default -> 0;
        };
    }

    private void notifyDevice(final int device, final long connectionId, final boolean force)
    {
        ensureCapacity(device);
        if (notifyOutstanding[device] && !force)
        {
            return;
        }
        final long head = state.deviceStreams[device].head();
        if (!outbox.backlogWaiting(connectionId) && outbox.notify(connectionId, Protocol.UNICAST_STREAM_ID, head))
        {
            notifyOutstanding[device] = true;
            counters.notified.incrementOrdered();
        }
        else
        {
            outbox.markDeviceRetry(device, connectionId);
        }
    }

    private void notifyTopics(final int device, final long connectionId, final CursorLookup cursors)
    {
        notifyTopic(device, connectionId, DispatchState.BROADCAST, cursors);
        final IntArrayList topics = state.subscriptions(device);
        if (null != topics)
        {
            for (int i = 0, size = topics.size(); i < size; i++)
            {
                notifyTopic(device, connectionId, topics.getInt(i), cursors);
            }
        }
    }

    private void notifyTopic(final int device, final long connectionId, final long topic, final CursorLookup cursors)
    {
        final StreamLog log = state.topicStream(topic);
        final long seen = Math.max(cursors.cursor(topic), state.topicAcked(device, topic));
        if (null != log && log.head() > seen)
        {
            if (!outbox.backlogWaiting(connectionId) && outbox.notify(connectionId, topic, log.head()))
            {
                counters.notified.incrementOrdered();
            }
            else
            {
                outbox.markDeviceRetry(device, connectionId);
            }
        }
    }

    private int inflightBytes(final StreamLog log, final long sentSeq)
    {
        int bytes = 0;
        for (long s = Math.max(log.base(), log.acked() + 1); s <= sentSeq; s++)
        {
            bytes += log.payloadLength(s);
        }
        return bytes;
    }

    private static int flags(final int priority)
    {
        return priority > 0 ? FrameType.FLAG_HIGH_PRIORITY : 0;
    }

    private void ensureCapacity(final int device)
    {
        if (device >= notifyOutstanding.length)
        {
            notifyOutstanding = java.util.Arrays.copyOf(notifyOutstanding, Math.max(device + 1, notifyOutstanding.length * 2));
        }
    }

    /**
     * A device's cursors, as its HELLO carried them.
     */
    interface CursorLookup
    {
        CursorLookup NONE = (streamId) -> 0;

        /**
         * @return the device's cursor for the stream, 0 if it sent none.
         */
        long cursor(long streamId);
    }
}
