package io.pushwire.client;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-order, exactly-once delivery per stream on top of the cursors: decides for each MSG, NOTIFY and GAP whether to
 * deliver, drop, hold or PULL, and which ACKs are due.
 * <ul>
 *   <li>MSG at or below the cursor: a duplicate, dropped; the cursor is ACKed again so the server stops resending.</li>
 *   <li>MSG at cursor + 1: delivered; the cursor advances (and is ACKed) only if {@code onMessage} returned normally;
 *       then held messages that now follow are delivered.</li>
 *   <li>MSG beyond cursor + 1 (a hole): held (a copy, at most {@code maxHeld} per stream; beyond that it is dropped and
 *       PULLed later) and the missing range is PULLed.</li>
 *   <li>NOTIFY(newest): the range {@code cursor+1 .. newest} is PULLed in windows of at most {@code pullWindow}
 *       seqs; the next window goes out when the previous one has been consumed.</li>
 *   <li>GAP: reported to the listener; the cursor moves past it and is ACKed. A GAP beyond cursor + 1 is held like a
 *       message until what precedes it has arrived.</li>
 * </ul>
 * A PULL with no progress for {@code pullRetryNs} is sent again; after a callback failure the stream waits that long
 * before PULLing again, so a message whose handler keeps throwing is retried slowly rather than in a tight loop.
 * ACKs are collected and sent by {@link #flushAcks()}, once per batch of frames read. Not thread-safe: the client's
 * I/O thread owns it.
 */
final class StreamTracker
{
    /**
     * Where the tracker's frames go.
     */
    interface Output
    {
        void pull(long streamId, long fromSeq, long toSeq);

        void ack(long streamId, long seq);
    }

    private static final System.Logger LOG = System.getLogger(StreamTracker.class.getName());

    private record Held(long seq, long toSeq, boolean gap, int reason, long messageId, int appId, byte[] payload)
    {
    }

    private static final class StreamState
    {
        final long streamId;
        final TreeMap<Long, Held> held = new TreeMap<>();
        long known;
        long requested;
        long pullSentNs;
        long notBeforeNs;
        boolean retryWait;

        StreamState(final long streamId)
        {
            this.streamId = streamId;
        }
    }

    private final CursorStore cursors;
    private final DeviceListener listener;
    private final Output output;
    private final ClientStats stats;
    private final int pullWindow;
    private final int maxHeld;
    private final long pullRetryNs;
    private final Map<Long, StreamState> streams = new HashMap<>();
    private final LinkedHashSet<Long> acksDue = new LinkedHashSet<>();
    private final UnsafeBuffer heldView = new UnsafeBuffer(new byte[0]);

    StreamTracker(
        final CursorStore cursors,
        final DeviceListener listener,
        final Output output,
        final ClientStats stats,
        final int pullWindow,
        final int maxHeld,
        final long pullRetryNs)
    {
        this.cursors = cursors;
        this.listener = listener;
        this.output = output;
        this.stats = stats;
        this.pullWindow = pullWindow;
        this.maxHeld = maxHeld;
        this.pullRetryNs = pullRetryNs;
    }

    void onMsg(
        final long streamId,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        final StreamState s = state(streamId);
        final long cursor = cursors.cursor(streamId);
        if (seq <= cursor)
        {
            stats.duplicatesDropped.incrementAndGet();
            acksDue.add(streamId);
            return;
        }
        s.known = Math.max(s.known, seq);
        if (seq == cursor + 1)
        {
            if (!deliver(s, seq, messageId, appId, buffer, offset, length, nowNs))
            {
                return;
            }
            drainHeld(s, nowNs);
        }
        else if (s.held.size() < maxHeld && !s.held.containsKey(seq))
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            s.held.put(seq, new Held(seq, seq, false, 0, messageId, appId, copy));
        }
        maybePull(s, nowNs);
    }

    /**
     * A NOTIFY: PULL what is newer than the cursor. A NOTIFY for nothing newer (the device's ACK for it was lost,
     * e.g. dispatch restarted before storing it) is answered with an ACK of the cursor: dispatch sends no further
     * NOTIFY for the stream until the device PULLs or ACKs, so without it newer messages would wait for the next
     * session.
     */
    void onNotify(final long streamId, final long newestSeq, final long nowNs)
    {
        final StreamState s = state(streamId);
        s.known = Math.max(s.known, newestSeq);
        if (newestSeq <= cursors.cursor(streamId) && cursors.cursor(streamId) > 0)
        {
            acksDue.add(streamId);
        }
        maybePull(s, nowNs);
    }

    void onGap(final long streamId, final long fromSeq, final long toSeq, final int reason, final long nowNs)
    {
        final StreamState s = state(streamId);
        final long cursor = cursors.cursor(streamId);
        if (toSeq <= cursor)
        {
            acksDue.add(streamId);
            return;
        }
        s.known = Math.max(s.known, toSeq);
        if (fromSeq > cursor + 1)
        {
            if (s.held.size() < maxHeld)
            {
                s.held.put(fromSeq, new Held(fromSeq, toSeq, true, reason, 0, 0, null));
            }
        }
        else
        {
            applyGap(s, cursor + 1, toSeq, reason, nowNs);
            drainHeld(s, nowNs);
        }
        maybePull(s, nowNs);
    }

    /**
     * A SUB_ACK: start the stream's cursor at the head (or at 0 to get the retained history) and PULL if needed.
     */
    void onSubscribed(final long streamId, final long headSeq, final boolean fromStart, final long nowNs)
    {
        cursors.advance(streamId, fromStart ? 0 : headSeq);
        final StreamState s = state(streamId);
        s.known = Math.max(s.known, headSeq);
        maybePull(s, nowNs);
    }

    void onUnsubscribed(final long streamId)
    {
        streams.remove(streamId);
        acksDue.remove(streamId);
        cursors.remove(streamId);
    }

    /**
     * Re-sends PULLs that made no progress and retries streams that waited after a callback failure.
     */
    void doWork(final long nowNs)
    {
        for (final StreamState s : streams.values())
        {
            final long cursor = cursors.cursor(s.streamId);
            if (s.requested > cursor && nowNs - s.pullSentNs >= pullRetryNs)
            {
                s.requested = cursor;
            }
            maybePull(s, nowNs);
        }
    }

    /**
     * Sends the ACKs collected since the last call: one per stream, of its cursor.
     */
    void flushAcks()
    {
        if (acksDue.isEmpty())
        {
            return;
        }
        for (final Long streamId : acksDue)
        {
            output.ack(streamId, cursors.cursor(streamId));
            stats.acksSent.incrementAndGet();
        }
        acksDue.clear();
    }

    /**
     * A new connection: outstanding PULLs, held messages and pending ACKs belonged to the old one (HELLO carries the
     * cursors, so the server resends or notifies what is missing).
     */
    void reset()
    {
        streams.clear();
        acksDue.clear();
    }

    /**
     * @return messages held across holes, over all streams (for tests).
     */
    int heldCount()
    {
        int count = 0;
        for (final StreamState s : streams.values())
        {
            count += s.held.size();
        }
        return count;
    }

    private StreamState state(final long streamId)
    {
        return streams.computeIfAbsent(streamId, StreamState::new);
    }

    private boolean deliver(
        final StreamState s,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        try
        {
            listener.onMessage(s.streamId, seq, messageId, appId, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            stats.callbackFailures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING,
                "onMessage threw for stream " + s.streamId + " seq " + seq + "; not acknowledged, will be redelivered",
                ex);
            s.requested = cursors.cursor(s.streamId);
            s.notBeforeNs = nowNs + pullRetryNs;
            s.retryWait = true;
            return false;
        }
        cursors.advance(s.streamId, seq);
        stats.messagesDelivered.incrementAndGet();
        acksDue.add(s.streamId);
        s.pullSentNs = nowNs;
        s.retryWait = false;
        return true;
    }

    private void applyGap(final StreamState s, final long fromSeq, final long toSeq, final int reason, final long nowNs)
    {
        try
        {
            listener.onGap(s.streamId, fromSeq, toSeq, reason);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "onGap threw for stream " + s.streamId, ex);
        }
        stats.gapsReported.incrementAndGet();
        cursors.advance(s.streamId, toSeq);
        acksDue.add(s.streamId);
        s.pullSentNs = nowNs;
    }

    private void drainHeld(final StreamState s, final long nowNs)
    {
        Map.Entry<Long, Held> first;
        while (null != (first = s.held.firstEntry()))
        {
            final long cursor = cursors.cursor(s.streamId);
            final Held h = first.getValue();
            if (h.toSeq() <= cursor)
            {
                s.held.pollFirstEntry();
                continue;
            }
            if (h.seq() > cursor + 1)
            {
                return;
            }
            s.held.pollFirstEntry();
            if (h.gap())
            {
                applyGap(s, cursor + 1, h.toSeq(), h.reason(), nowNs);
            }
            else
            {
                heldView.wrap(h.payload());
                if (!deliver(s, h.seq(), h.messageId(), h.appId(), heldView, 0, h.payload().length, nowNs))
                {
                    return;
                }
            }
        }
    }

    private void maybePull(final StreamState s, final long nowNs)
    {
        final long cursor = cursors.cursor(s.streamId);
        if (s.known <= cursor || s.requested > cursor)
        {
            return;
        }
        if (s.retryWait && nowNs - s.notBeforeNs < 0)
        {
            return;
        }
        final long fromSeq = cursor + 1;
        long toSeq = Math.min(s.known, cursor + pullWindow);
        while (toSeq >= fromSeq && s.held.containsKey(toSeq))
        {
            toSeq--;
        }
        if (toSeq < fromSeq)
        {
            return;
        }
        output.pull(s.streamId, fromSeq, toSeq);
        stats.pullsSent.incrementAndGet();
        s.requested = toSeq;
        s.pullSentNs = nowNs;
    }
}
