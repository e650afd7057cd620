package io.pushwire.dispatch;

import io.pushwire.protocol.ByeDecoder;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.GapDecoder;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.NotifyDecoder;
import io.pushwire.protocol.SubAckDecoder;
import io.pushwire.protocol.UpAckDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A device as the protocol describes one, behind a {@link TestGateway}: keeps a cursor per stream, drops
 * anything at or below it (counted as a duplicate), processes the next seq, ACKs (if auto-ack), answers
 * NOTIFY with PULL (if auto-pull, asking at most {@code pullBatch} at a time), and moves its cursor over
 * GAPs. Records everything it saw for assertions.
 */
final class TestDevice
{
    /**
     * Where the device's frames go: a test gateway peer's upstream, or a real socket.
     */
    interface Link
    {
        void send(DirectBuffer frame, int length);
    }

    final Link link;
    final String deviceId;
    final long connectionId;
    final Map<Long, Long> cursors = new HashMap<>();
    final Map<Long, Long> targets = new HashMap<>();
    final Map<Long, Long> pullUntil = new HashMap<>();
    final List<String> processed = new ArrayList<>();
    final List<String> frames = new ArrayList<>();
    final List<String> gaps = new ArrayList<>();
    final List<String> subAcks = new ArrayList<>();
    final List<Long> upAcks = new ArrayList<>();
    boolean autoAck = true;
    boolean autoPull = true;
    boolean dropAcks;
    boolean batchAcks;
    boolean ackDuplicates;
    private final java.util.Set<Long> acksDue = new java.util.LinkedHashSet<>();
    int duplicates;
    int outOfOrder;
    int closedReason;
    int pullBatch = 64;
    private final MsgDecoder msg = new MsgDecoder();
    private final NotifyDecoder notify = new NotifyDecoder();
    private final GapDecoder gap = new GapDecoder();
    private final SubAckDecoder subAck = new SubAckDecoder();
    private final UpAckDecoder upAck = new UpAckDecoder();
    private final ByeDecoder bye = new ByeDecoder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);

    TestDevice(final Link link, final String deviceId, final long connectionId, final Map<Long, Long> cursors)
    {
        this.link = link;
        this.deviceId = deviceId;
        this.connectionId = connectionId;
        this.cursors.putAll(cursors);
    }

    long cursor(final long streamId)
    {
        return cursors.getOrDefault(streamId, 0L);
    }

    List<String> processed()
    {
        return processed;
    }

    void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        onFrame(FrameHeader.type(buffer, offset), FrameHeader.flags(buffer, offset), buffer,
            offset + FrameHeader.headerLength(buffer, offset), FrameHeader.bodyLength(buffer, offset));
    }

    void onFrame(final int type, final int flags, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        switch (type)
        {
            case FrameType.MSG ->
            {
                msg.wrap(buffer, bodyOffset, bodyLength, flags);
                final long stream = msg.streamId();
                final long seq = msg.seq();
                final String payload = buffer.getStringWithoutLengthUtf8(msg.payloadOffset(), msg.payloadLength());
                frames.add("MSG " + stream + " " + seq + " " + payload);
                if (seq <= cursor(stream))
                {
                    duplicates++;
                    if (ackDuplicates)
                    {
                        // as the client SDK does, so the server stops resending
                        ack(stream, cursor(stream));
                    }
                }
                else if (seq == cursor(stream) + 1)
                {
                    cursors.put(stream, seq);
                    processed.add(stream + ":" + seq + ":" + payload);
                    ack(stream, seq);
                }
                else
                {
                    outOfOrder++;
                    targets.merge(stream, seq, Math::max);
                }
            }
            case FrameType.NOTIFY ->
            {
                notify.wrap(buffer, bodyOffset, bodyLength);
                frames.add("NOTIFY " + notify.streamId() + " " + notify.newestSeq());
                targets.merge(notify.streamId(), notify.newestSeq(), Math::max);
                pullUntil.remove(notify.streamId());
            }
            case FrameType.GAP ->
            {
                gap.wrap(buffer, bodyOffset, bodyLength);
                final String text = gap.streamId() + ":" + gap.fromSeq() + "-" + gap.toSeq() + ":" + gap.reason();
                frames.add("GAP " + text);
                gaps.add(text);
                if (gap.fromSeq() <= cursor(gap.streamId()) + 1 && gap.toSeq() > cursor(gap.streamId()))
                {
                    cursors.put(gap.streamId(), gap.toSeq());
                    ack(gap.streamId(), gap.toSeq());
                }
            }
            case FrameType.SUB_ACK ->
            {
                subAck.wrap(buffer, bodyOffset, bodyLength);
                subAcks.add(subAck.requestId() + ":" + subAck.status() + ":" + subAck.streamId() + ":" + subAck.headSeq());
                frames.add("SUB_ACK " + subAcks.get(subAcks.size() - 1));
                if (subAck.status() == 0 && !cursors.containsKey(subAck.streamId()))
                {
                    cursors.put(subAck.streamId(), subAck.headSeq());
                }
            }
            case FrameType.UP_ACK ->
            {
                upAck.wrap(buffer, bodyOffset, bodyLength);
                upAcks.add(upAck.requestId());
                frames.add("UP_ACK " + upAck.requestId() + ":" + upAck.status());
            }
            case FrameType.BYE ->
            {
                bye.wrap(buffer, bodyOffset, bodyLength);
                frames.add("BYE " + bye.reason());
                closedReason = bye.reason();
            }
            default -> frames.add(FrameType.name(type));
        }
    }

    /**
     * Sends a PULL for whatever it knows it lacks and has not already asked for.
     */
    void maybePull()
    {
        if (!autoPull || closedReason != 0)
        {
            return;
        }
        for (final Map.Entry<Long, Long> target : targets.entrySet())
        {
            final long stream = target.getKey();
            final long cursor = cursor(stream);
            final Long asked = pullUntil.get(stream);
            if (null != asked && cursor < asked)
            {
                continue;
            }
            if (target.getValue() > cursor)
            {
                final long to = Math.min(target.getValue(), cursor + pullBatch);
                pull(stream, cursor + 1, to);
                pullUntil.put(stream, to);
            }
        }
    }

    void ack(final long stream, final long seq)
    {
        if (autoAck && !dropAcks)
        {
            if (batchAcks)
            {
                acksDue.add(stream);
            }
            else
            {
                send(FrameEncoder.ack(out, 0, stream, seq));
            }
        }
    }

    /**
     * With {@link #batchAcks}: one cumulative ACK per stream for everything processed since the last flush,
     * as the client SDK does once per batch of frames read.
     */
    void flushAcks()
    {
        for (final long stream : acksDue)
        {
            send(FrameEncoder.ack(out, 0, stream, cursor(stream)));
        }
        acksDue.clear();
    }

    void sendAck(final long stream, final long seq)
    {
        send(FrameEncoder.ack(out, 0, stream, seq));
    }

    void pull(final long stream, final long from, final long to)
    {
        send(FrameEncoder.pull(out, 0, stream, from, to));
    }

    void sub(final long requestId, final String topic)
    {
        send(FrameEncoder.sub(out, 0, requestId, topic));
    }

    void unsub(final long requestId, final String topic)
    {
        send(FrameEncoder.unsub(out, 0, requestId, topic));
    }

    void up(final long requestId, final String payload)
    {
        final UnsafeBuffer p = new UnsafeBuffer(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(FrameEncoder.up(out, 0, requestId, 7, p, 0, p.capacity()));
    }

    private void send(final int frameLength)
    {
        link.send(out, frameLength);
    }
}
