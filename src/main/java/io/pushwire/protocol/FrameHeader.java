package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The frame header: a type byte and the body length as an unsigned LEB128 varint of 1 to 3 bytes.
 * <pre>
 *    0                   1
 *    0 1 2 3 4 5 6 7 8 ...
 *   +-----+---------+--------------------+------------------
 *   |flags|  type   | body length, 1-3 B |  body ...
 *   +-----+---------+--------------------+------------------
 * </pre>
 * Checks run as early as the bytes allow, so a receiver never buffers for a frame it will refuse: the type byte alone
 * decides {@link ErrorCode#UNKNOWN_TYPE} and {@link ErrorCode#BAD_FLAGS}; a third length byte with its continuation bit
 * set is {@link ErrorCode#VARINT_OVERLONG} at once, as is a non-minimal length ({@code 80 00}); the length is compared
 * with the receiver's limit as soon as its last byte arrives ({@link ErrorCode#FRAME_TOO_LARGE}). Stateless and
 * thread-safe.
 */
public final class FrameHeader
{
    /**
     * Type byte plus the longest length varint.
     */
    public static final int MAX_HEADER_LENGTH = 4;

    private FrameHeader()
    {
    }

    /**
     * @param buffer        the received bytes.
     * @param offset        where the frame starts.
     * @param available     how many bytes from {@code offset} have arrived.
     * @param maxBodyLength the receiver's body length limit, at most {@link Protocol#MAX_BODY_LENGTH}.
     * @return the total frame length (header + body) when the whole frame has arrived, 0 when more bytes are needed,
     * or a negative {@code -ErrorCode} when the bytes so far are already bad.
     */
    public static int frameLength(final DirectBuffer buffer, final int offset, final int available, final int maxBodyLength)
    {
        final int required = requiredLength(buffer, offset, available, maxBodyLength);
        return required > available ? 0 : required;
    }

    /**
     * Like {@link #frameLength(DirectBuffer, int, int, int)} but answers as soon as the header is complete, before the
     * body has arrived: a reader can then size a buffer for exactly the frame.
     *
     * @param buffer        the received bytes.
     * @param offset        where the frame starts.
     * @param available     how many bytes from {@code offset} have arrived.
     * @param maxBodyLength the receiver's body length limit.
     * @return the total frame length once the header is whole (it may be more than {@code available}), 0 while the
     * header is incomplete, or a negative {@code -ErrorCode}.
     */
    public static int requiredLength(final DirectBuffer buffer, final int offset, final int available, final int maxBodyLength)
    {
        if (available <= 0)
        {
            return 0;
        }
        final int typeByte = buffer.getByte(offset) & 0xFF;
        final int type = typeByte & FrameType.TYPE_MASK;
        if (!FrameType.isKnown(type))
        {
            return -ErrorCode.UNKNOWN_TYPE;
        }
        if ((typeByte & FrameType.FLAGS_MASK & ~FrameType.allowedFlags(type)) != 0)
        {
            return -ErrorCode.BAD_FLAGS;
        }

        int bodyLength = 0;
        for (int i = 0; i < MAX_HEADER_LENGTH - 1; i++)
        {
            if (1 + i >= available)
            {
                return 0;
            }
            final int b = buffer.getByte(offset + 1 + i) & 0xFF;
            bodyLength |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    return -ErrorCode.VARINT_OVERLONG;
                }
                if (bodyLength > maxBodyLength)
                {
                    return -ErrorCode.FRAME_TOO_LARGE;
                }
                return 2 + i + bodyLength;
            }
        }
        return -ErrorCode.VARINT_OVERLONG;
    }

    /**
     * @param buffer the frame.
     * @param offset where it starts.
     * @return the frame type, the low 5 bits of the type byte.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset) & FrameType.TYPE_MASK;
    }

    /**
     * @param buffer the frame.
     * @param offset where it starts.
     * @return the flag bits, the high 3 bits of the type byte, in place (e.g. {@link FrameType#FLAG_HIGH_PRIORITY}).
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset) & FrameType.FLAGS_MASK;
    }

    /**
     * Call only after {@link #frameLength} or {@link #requiredLength} returned a positive length.
     *
     * @param buffer the frame.
     * @param offset where it starts.
     * @return 1 + the size of the length varint: 2 to 4.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        if ((buffer.getByte(offset + 1) & 0x80) == 0)
        {
            return 2;
        }
        return (buffer.getByte(offset + 2) & 0x80) == 0 ? 3 : 4;
    }

    /**
     * Call only after {@link #frameLength} or {@link #requiredLength} returned a positive length.
     *
     * @param buffer the frame.
     * @param offset where it starts.
     * @return the body length.
     */
    public static int bodyLength(final DirectBuffer buffer, final int offset)
    {
        return (int)Varint.get(buffer, offset + 1);
    }

    /**
     * @param bodyLength the body length, 0 to {@link Protocol#MAX_BODY_LENGTH}.
     * @return the header length a frame with that body has: 2 to 4.
     */
    public static int headerLengthFor(final int bodyLength)
    {
        return 1 + Varint.sizeOf(bodyLength);
    }

    /**
     * Writes a header.
     *
     * @param buffer     where to write.
     * @param offset     where the frame starts.
     * @param typeByte   the frame type or'ed with its flags.
     * @param bodyLength the body length, 0 to {@link Protocol#MAX_BODY_LENGTH}.
     * @return the header length written: 2 to 4.
     * @throws IllegalArgumentException if the body is longer than a 3-byte varint can say.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final int typeByte, final int bodyLength)
    {
        if (bodyLength < 0 || bodyLength > Protocol.MAX_BODY_LENGTH)
        {
            throw new IllegalArgumentException("body length " + bodyLength + " is outside 0.." + Protocol.MAX_BODY_LENGTH);
        }
        buffer.putByte(offset, (byte)typeByte);
        return 1 + Varint.put(buffer, offset + 1, bodyLength);
    }
}
