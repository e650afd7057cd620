package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes whole frames: each method computes the body size first, writes the minimal header, then the fields, and
 * returns the total frame length written at {@code offset}. Nothing is allocated (the {@code String} and
 * {@code CharSequence} overloads encode character by character).
 * <p>
 * Encoders check only what would make the framing itself wrong (a body longer than {@link Protocol#MAX_BODY_LENGTH},
 * more cursors or redirect targets than the layout allows); field contents (empty ids, topic characters, ranges) are
 * the caller's to get right and the receiver's decoders to refuse, which is what lets tests build bad frames with them.
 * The buffer must have room: with Agrona's bounds checks on, a short buffer throws {@link IndexOutOfBoundsException}.
 * Stateless and thread-safe.
 */
public final class FrameEncoder
{
    private FrameEncoder()
    {
    }

    /**
     * @param payloadLength the payload length.
     * @return the longest MSG frame that payload can make (all varints at their widest), for sizing buffers.
     */
    public static int maxMsgFrameLength(final int payloadLength)
    {
        return FrameHeader.MAX_HEADER_LENGTH + 3 * Varint.MAX_LENGTH + 5 + payloadLength;
    }

    public static int hello(
        final MutableDirectBuffer buffer,
        final int offset,
        final int version,
        final DirectBuffer deviceId,
        final int idOffset,
        final int idLength,
        final DirectBuffer token,
        final int tokenOffset,
        final int tokenLength,
        final int heartbeatSec,
        final long[] cursorStreamIds,
        final long[] cursorSeqs,
        final int cursorCount)
    {
        final int bodyLength = Varint.sizeOf(version) + Varint.sizeOf(idLength) + idLength +
            Varint.sizeOf(tokenLength) + tokenLength + helloTailLength(heartbeatSec, cursorStreamIds, cursorSeqs, cursorCount);

        int p = offset + FrameHeader.put(buffer, offset, FrameType.HELLO, bodyLength);
        p += Varint.put(buffer, p, version);
        p += Varint.put(buffer, p, idLength);
        buffer.putBytes(p, deviceId, idOffset, idLength);
        p += idLength;
        p += Varint.put(buffer, p, tokenLength);
        buffer.putBytes(p, token, tokenOffset, tokenLength);
        p += tokenLength;
        p += putHelloTail(buffer, p, heartbeatSec, cursorStreamIds, cursorSeqs, cursorCount);
        return p - offset;
    }

    /**
     * HELLO from a {@code String} device id (encoded as UTF-8 without allocating) and a token byte array.
     */
    public static int hello(
        final MutableDirectBuffer buffer,
        final int offset,
        final int version,
        final CharSequence deviceId,
        final byte[] token,
        final int heartbeatSec,
        final long[] cursorStreamIds,
        final long[] cursorSeqs,
        final int cursorCount)
    {
        final int idLength = Utf8.encodedLength(deviceId);
        final int bodyLength = Varint.sizeOf(version) + Varint.sizeOf(idLength) + idLength +
            Varint.sizeOf(token.length) + token.length + helloTailLength(heartbeatSec, cursorStreamIds, cursorSeqs, cursorCount);

        int p = offset + FrameHeader.put(buffer, offset, FrameType.HELLO, bodyLength);
        p += Varint.put(buffer, p, version);
        p += Varint.put(buffer, p, idLength);
        p += Utf8.put(buffer, p, deviceId, idLength);
        p += Varint.put(buffer, p, token.length);
        buffer.putBytes(p, token);
        p += token.length;
        p += putHelloTail(buffer, p, heartbeatSec, cursorStreamIds, cursorSeqs, cursorCount);
        return p - offset;
    }

    public static int welcome(
        final MutableDirectBuffer buffer,
        final int offset,
        final int version,
        final int heartbeatSec,
        final long sessionId,
        final long serverTimeMs)
    {
        final int bodyLength = Varint.sizeOf(version) + Varint.sizeOf(heartbeatSec) + Varint.sizeOf(sessionId) +
            Varint.sizeOf(serverTimeMs);
        int p = offset + FrameHeader.put(buffer, offset, FrameType.WELCOME, bodyLength);
        p += Varint.put(buffer, p, version);
        p += Varint.put(buffer, p, heartbeatSec);
        p += Varint.put(buffer, p, sessionId);
        p += Varint.put(buffer, p, serverTimeMs);
        return p - offset;
    }

    /**
     * PING: the device's heartbeat, carrying the interval until its next PING. 270 s is {@code 03 02 8E 02}.
     */
    public static int ping(final MutableDirectBuffer buffer, final int offset, final int intervalSec)
    {
        return oneVarint(buffer, offset, FrameType.PING, intervalSec);
    }

    /**
     * PONG: the clamped interval the server holds the device to.
     */
    public static int pong(final MutableDirectBuffer buffer, final int offset, final int intervalSec)
    {
        return oneVarint(buffer, offset, FrameType.PONG, intervalSec);
    }

    /**
     * MSG.
     *
     * @param flags 0 or {@link FrameType#FLAG_HIGH_PRIORITY}.
     */
    public static int msg(
        final MutableDirectBuffer buffer,
        final int offset,
        final int flags,
        final long streamId,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int bodyLength = Varint.sizeOf(streamId) + Varint.sizeOf(seq) + Varint.sizeOf(messageId) +
            Varint.sizeOf(appId) + payloadLength;
        int p = offset + FrameHeader.put(buffer, offset, FrameType.MSG | (flags & FrameType.FLAGS_MASK), bodyLength);
        p += Varint.put(buffer, p, streamId);
        p += Varint.put(buffer, p, seq);
        p += Varint.put(buffer, p, messageId);
        p += Varint.put(buffer, p, appId);
        buffer.putBytes(p, payload, payloadOffset, payloadLength);
        return p + payloadLength - offset;
    }

    public static int notify(final MutableDirectBuffer buffer, final int offset, final long streamId, final long newestSeq)
    {
        return twoVarints(buffer, offset, FrameType.NOTIFY, streamId, newestSeq);
    }

    public static int pull(
        final MutableDirectBuffer buffer, final int offset, final long streamId, final long fromSeq, final long toSeq)
    {
        final int bodyLength = Varint.sizeOf(streamId) + Varint.sizeOf(fromSeq) + Varint.sizeOf(toSeq);
        int p = offset + FrameHeader.put(buffer, offset, FrameType.PULL, bodyLength);
        p += Varint.put(buffer, p, streamId);
        p += Varint.put(buffer, p, fromSeq);
        p += Varint.put(buffer, p, toSeq);
        return p - offset;
    }

    public static int ack(final MutableDirectBuffer buffer, final int offset, final long streamId, final long seq)
    {
        return twoVarints(buffer, offset, FrameType.ACK, streamId, seq);
    }

    public static int gap(
        final MutableDirectBuffer buffer,
        final int offset,
        final long streamId,
        final long fromSeq,
        final long toSeq,
        final int reason)
    {
        return fourVarints(buffer, offset, FrameType.GAP, streamId, fromSeq, toSeq, reason);
    }

    public static int sub(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final DirectBuffer topic,
        final int topicOffset,
        final int topicLength)
    {
        return topicFrame(buffer, offset, FrameType.SUB, requestId, topic, topicOffset, topicLength);
    }

    public static int sub(final MutableDirectBuffer buffer, final int offset, final long requestId, final CharSequence topic)
    {
        return topicFrame(buffer, offset, FrameType.SUB, requestId, topic);
    }

    public static int unsub(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final DirectBuffer topic,
        final int topicOffset,
        final int topicLength)
    {
        return topicFrame(buffer, offset, FrameType.UNSUB, requestId, topic, topicOffset, topicLength);
    }

    public static int unsub(final MutableDirectBuffer buffer, final int offset, final long requestId, final CharSequence topic)
    {
        return topicFrame(buffer, offset, FrameType.UNSUB, requestId, topic);
    }

    /**
     * SUB_ACK.
     *
     * @param status 0 for success, else an {@link ErrorCode}.
     */
    public static int subAck(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final int status,
        final long streamId,
        final long headSeq)
    {
        return fourVarints(buffer, offset, FrameType.SUB_ACK, requestId, status, streamId, headSeq);
    }

    public static int up(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final int appId,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int bodyLength = Varint.sizeOf(requestId) + Varint.sizeOf(appId) + payloadLength;
        int p = offset + FrameHeader.put(buffer, offset, FrameType.UP, bodyLength);
        p += Varint.put(buffer, p, requestId);
        p += Varint.put(buffer, p, appId);
        buffer.putBytes(p, payload, payloadOffset, payloadLength);
        return p + payloadLength - offset;
    }

    /**
     * UP_ACK.
     *
     * @param status 0 for success, else an {@link ErrorCode}.
     */
    public static int upAck(final MutableDirectBuffer buffer, final int offset, final long requestId, final int status)
    {
        return twoVarints(buffer, offset, FrameType.UP_ACK, requestId, status);
    }

    /**
     * REDIRECT to up to {@link Protocol#MAX_REDIRECT_TARGETS} host/port pairs (hosts encoded as UTF-8 without
     * allocating).
     */
    public static int redirect(
        final MutableDirectBuffer buffer,
        final int offset,
        final int reason,
        final int delayMs,
        final CharSequence[] hosts,
        final int[] ports,
        final int count)
    {
        checkCount(count, Protocol.MAX_REDIRECT_TARGETS);
        int bodyLength = Varint.sizeOf(reason) + Varint.sizeOf(delayMs) + Varint.sizeOf(count);
        for (int i = 0; i < count; i++)
        {
            final int hostLength = Utf8.encodedLength(hosts[i]);
            bodyLength += Varint.sizeOf(hostLength) + hostLength + Varint.sizeOf(ports[i]);
        }
        int p = offset + FrameHeader.put(buffer, offset, FrameType.REDIRECT, bodyLength);
        p += Varint.put(buffer, p, reason);
        p += Varint.put(buffer, p, delayMs);
        p += Varint.put(buffer, p, count);
        for (int i = 0; i < count; i++)
        {
            final int hostLength = Utf8.encodedLength(hosts[i]);
            p += Varint.put(buffer, p, hostLength);
            p += Utf8.put(buffer, p, hosts[i], hostLength);
            p += Varint.put(buffer, p, ports[i]);
        }
        return p - offset;
    }

    /**
     * ERROR with a reason truncated to {@link Protocol#MAX_ERROR_REASON_LENGTH} bytes at a character boundary.
     *
     * @param code   an {@link ErrorCode}.
     * @param reason a human-readable reason, may be empty; encoded without allocating.
     */
    public static int error(final MutableDirectBuffer buffer, final int offset, final int code, final CharSequence reason)
    {
        final int reasonLength = Utf8.encodedLength(reason, Protocol.MAX_ERROR_REASON_LENGTH);
        final int bodyLength = Varint.sizeOf(code) + Varint.sizeOf(reasonLength) + reasonLength;
        int p = offset + FrameHeader.put(buffer, offset, FrameType.ERROR, bodyLength);
        p += Varint.put(buffer, p, code);
        p += Varint.put(buffer, p, reasonLength);
        p += Utf8.put(buffer, p, reason, reasonLength);
        return p - offset;
    }

    /**
     * ERROR with a reason given as bytes (the caller vouches they are UTF-8 of at most 200 bytes).
     */
    public static int error(
        final MutableDirectBuffer buffer,
        final int offset,
        final int code,
        final DirectBuffer reason,
        final int reasonOffset,
        final int reasonLength)
    {
        final int bodyLength = Varint.sizeOf(code) + Varint.sizeOf(reasonLength) + reasonLength;
        int p = offset + FrameHeader.put(buffer, offset, FrameType.ERROR, bodyLength);
        p += Varint.put(buffer, p, code);
        p += Varint.put(buffer, p, reasonLength);
        buffer.putBytes(p, reason, reasonOffset, reasonLength);
        return p + reasonLength - offset;
    }

    /**
     * BYE.
     *
     * @param reason a {@link CloseReason}.
     */
    public static int bye(final MutableDirectBuffer buffer, final int offset, final int reason)
    {
        return oneVarint(buffer, offset, FrameType.BYE, reason);
    }

    private static int oneVarint(final MutableDirectBuffer buffer, final int offset, final int type, final long value)
    {
        final int bodyLength = Varint.sizeOf(value);
        buffer.putByte(offset, (byte)type);
        buffer.putByte(offset + 1, (byte)bodyLength);
        return 2 + Varint.put(buffer, offset + 2, value);
    }

    private static int twoVarints(
        final MutableDirectBuffer buffer, final int offset, final int type, final long first, final long second)
    {
        final int bodyLength = Varint.sizeOf(first) + Varint.sizeOf(second);
        buffer.putByte(offset, (byte)type);
        buffer.putByte(offset + 1, (byte)bodyLength);
        int p = offset + 2;
        p += Varint.put(buffer, p, first);
        p += Varint.put(buffer, p, second);
        return p - offset;
    }

    /**
     * Length of a HELLO body's tail: heartbeat, cursor count and cursors (checked against the limit).
     */
    private static int helloTailLength(
        final int heartbeatSec, final long[] cursorStreamIds, final long[] cursorSeqs, final int cursorCount)
    {
        checkCount(cursorCount, Protocol.MAX_CURSORS);
        int length = Varint.sizeOf(heartbeatSec) + Varint.sizeOf(cursorCount);
        for (int i = 0; i < cursorCount; i++)
        {
            length += Varint.sizeOf(cursorStreamIds[i]) + Varint.sizeOf(cursorSeqs[i]);
        }
        return length;
    }

    private static int putHelloTail(
        final MutableDirectBuffer buffer,
        final int offset,
        final int heartbeatSec,
        final long[] cursorStreamIds,
        final long[] cursorSeqs,
        final int cursorCount)
    {
        int p = offset;
        p += Varint.put(buffer, p, heartbeatSec);
        p += Varint.put(buffer, p, cursorCount);
        for (int i = 0; i < cursorCount; i++)
        {
            p += Varint.put(buffer, p, cursorStreamIds[i]);
            p += Varint.put(buffer, p, cursorSeqs[i]);
        }
        return p - offset;
    }

    private static int fourVarints(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long first,
        final long second,
        final long third,
        final long fourth)
    {
        final int bodyLength = Varint.sizeOf(first) + Varint.sizeOf(second) + Varint.sizeOf(third) + Varint.sizeOf(fourth);
        int p = offset + FrameHeader.put(buffer, offset, type, bodyLength);
        p += Varint.put(buffer, p, first);
        p += Varint.put(buffer, p, second);
        p += Varint.put(buffer, p, third);
        p += Varint.put(buffer, p, fourth);
        return p - offset;
    }

    private static int topicFrame(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long requestId,
        final DirectBuffer topic,
        final int topicOffset,
        final int topicLength)
    {
        final int bodyLength = Varint.sizeOf(requestId) + Varint.sizeOf(topicLength) + topicLength;
        int p = offset + FrameHeader.put(buffer, offset, type, bodyLength);
        p += Varint.put(buffer, p, requestId);
        p += Varint.put(buffer, p, topicLength);
        buffer.putBytes(p, topic, topicOffset, topicLength);
        return p + topicLength - offset;
    }

    private static int topicFrame(
        final MutableDirectBuffer buffer, final int offset, final int type, final long requestId, final CharSequence topic)
    {
        final int topicLength = Utf8.encodedLength(topic);
        final int bodyLength = Varint.sizeOf(requestId) + Varint.sizeOf(topicLength) + topicLength;
        int p = offset + FrameHeader.put(buffer, offset, type, bodyLength);
        p += Varint.put(buffer, p, requestId);
        p += Varint.put(buffer, p, topicLength);
        p += Utf8.put(buffer, p, topic, topicLength);
        return p - offset;
    }

    private static void checkCount(final int count, final int max)
    {
        if (count < 0 || count > max)
        {
            throw new IllegalArgumentException("count " + count + " is outside 0.." + max);
        }
    }
}
