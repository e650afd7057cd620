package io.pushwire.link;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.pushwire.link.CommandMessages.*;

/**
 * Encodes commands ({@link CommandMessages}) into a buffer, for senders and the console. Each method
 * returns the encoded length. Strings are encoded to UTF-8 here: an ASCII string is copied char by char
 * without allocating, any other is converted with {@link String#getBytes} (dispatch decodes without
 * allocating). Stateless and thread-safe. Values are not validated beyond what the
 * layout needs: dispatch answers bad ones with an ERROR, which is what lets tests send bad commands.
 */
public final class CommandEncoder
{
    private CommandEncoder()
    {
    }

    /**
     * @return the largest PUSH with these parts, for sizing a buffer.
     */
    public static int maxPushLength(final int targetCount, final int payloadLength)
    {
        return PUSH_TARGETS_OFFSET + (targetCount + 2) * (2 + MAX_KEY_LENGTH * 3) + 4 + payloadLength;
    }

    public static int push(
        final MutableDirectBuffer buffer,
        final int offset,
        final long clientId,
        final long correlationId,
        final int targetKind,
        final List<String> targets,
        final int appId,
        final long ttlMs,
        final String collapseKey,
        final int priority,
        final String idempotencyKey,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int targetCount = targets.size();
        int p = pushHeader(buffer, offset, clientId, correlationId, targetKind, targetCount, appId, ttlMs, priority);
        for (int i = 0; i < targetCount; i++)
        {
            p += putString(buffer, p, targets.get(i));
        }
        return pushTail(buffer, offset, p, collapseKey, idempotencyKey, payload, payloadOffset, payloadLength);
    }

    /**
     * Writes a PUSH up to its targets; the caller then writes {@code targetCount} targets with
     * {@link #putString} and finishes with {@link #pushTail}. For a sender that holds its targets in
     * something other than a list.
     *
     * @return where the first target goes.
     */
    public static int pushHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long clientId,
        final long correlationId,
        final int targetKind,
        final int targetCount,
        final int appId,
        final long ttlMs,
        final int priority)
    {
        header(buffer, offset, PUSH, clientId, correlationId);
        buffer.putByte(offset + PUSH_TARGET_KIND_OFFSET, (byte)targetKind);
        buffer.putByte(offset + PUSH_PRIORITY_OFFSET, (byte)priority);
        buffer.putShort(offset + PUSH_TARGET_COUNT_OFFSET, (short)targetCount);
        buffer.putInt(offset + PUSH_APP_ID_OFFSET, appId);
        buffer.putLong(offset + PUSH_TTL_OFFSET, ttlMs);
        return offset + PUSH_TARGETS_OFFSET;
    }

    /**
     * Writes the rest of a PUSH after its targets.
     *
     * @param offset   where the PUSH starts (as given to {@link #pushHeader}).
     * @param position where its targets end.
     * @return the PUSH's encoded length.
     */
    public static int pushTail(
        final MutableDirectBuffer buffer,
        final int offset,
        final int position,
        final String collapseKey,
        final String idempotencyKey,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        int p = position;
        p += putString(buffer, p, collapseKey);
        p += putString(buffer, p, idempotencyKey);
        buffer.putInt(p, payloadLength);
        p += 4;
        buffer.putBytes(p, payload, payloadOffset, payloadLength);
        return p + payloadLength - offset;
    }

    public static int receipt(final MutableDirectBuffer buffer, final int offset, final long clientId, final long correlationId,
        final long messageId)
    {
        header(buffer, offset, RECEIPT, clientId, correlationId);
        buffer.putLong(offset + MESSAGE_ID_OFFSET, messageId);
        return HEADER_LENGTH + 8;
    }

    public static int alias(final MutableDirectBuffer buffer, final int offset, final long clientId, final long correlationId,
        final boolean bind, final String alias, final String deviceId)
    {
        header(buffer, offset, bind ? BIND_ALIAS : UNBIND_ALIAS, clientId, correlationId);
        int p = offset + HEADER_LENGTH;
        p += putString(buffer, p, alias);
        p += putString(buffer, p, deviceId);
        return p - offset;
    }

    /**
     * @param type {@link CommandMessages#WHO} or {@link CommandMessages#KICK}.
     */
    public static int device(final MutableDirectBuffer buffer, final int offset, final int type, final long clientId,
        final long correlationId, final String deviceId)
    {
        header(buffer, offset, type, clientId, correlationId);
        return HEADER_LENGTH + putString(buffer, offset + HEADER_LENGTH, deviceId);
    }

    /**
     * Writes the header of any message (command or response).
     */
    public static void header(final MutableDirectBuffer buffer, final int offset, final int type, final long clientId,
        final long correlationId)
    {
        buffer.putShort(offset + TYPE_OFFSET, (short)type);
        buffer.putShort(offset + VERSION_OFFSET, (short)VERSION);
        buffer.putInt(offset + VERSION_OFFSET + 2, 0);
        buffer.putLong(offset + CLIENT_ID_OFFSET, clientId);
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
    }

    /**
     * Writes a string as u16 length + UTF-8 bytes; null is written as empty. Allocates nothing for an ASCII
     * string.
     *
     * @return bytes written.
     */
    public static int putString(final MutableDirectBuffer buffer, final int offset, final String value)
    {
        if (null == value || value.isEmpty())
        {
            buffer.putShort(offset, (short)0);
            return 2;
        }
        final int length = value.length();
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80)
            {
                final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                buffer.putShort(offset, (short)bytes.length);
                buffer.putBytes(offset + 2, bytes);
                return 2 + bytes.length;
            }
            buffer.putByte(offset + 2 + i, (byte)c);
        }
        buffer.putShort(offset, (short)length);
        return 2 + length;
    }
}
