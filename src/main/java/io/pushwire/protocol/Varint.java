package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Unsigned LEB128 varints of up to 64 bits: seven bits a byte, least significant group first, the high bit of a byte
 * set when another byte follows.
 * <pre>
 *   0        = 00
 *   127      = 7F
 *   128      = 80 01
 *   270      = 8E 02
 *   2^64 - 1 = FF FF FF FF FF FF FF FF FF 01
 * </pre>
 * A value is read as the 64 bits of a Java {@code long}: values of 2^63 and above come back negative, so compare them
 * with {@link Long#compareUnsigned(long, long)}. Decoding is strict: an encoding longer than 10 bytes, a 10th byte other
 * than 0x01 (more than 64 bits) and a non-minimal encoding (a final 0x00 byte after others, e.g. {@code 80 00}) are all
 * {@link ErrorCode#VARINT_OVERLONG}, so every value has exactly one encoding. Stateless and thread-safe.
 */
public final class Varint
{
    /**
     * Longest encoding of a 64-bit value.
     */
    public static final int MAX_LENGTH = 10;

    private Varint()
    {
    }

    /**
     * @param value the value, as unsigned 64 bits.
     * @return bytes of its minimal encoding, 1 to 10.
     */
    public static int sizeOf(final long value)
    {
        // 1 + floor((bits needed - 1) / 7), with 0 needing one byte.
        final int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    /**
     * Writes the minimal encoding of a value.
     *
     * @param buffer where to write.
     * @param offset where the first byte goes.
     * @param value  the value, as unsigned 64 bits.
     * @return the bytes written, 1 to 10.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        long v = value;
        int i = offset;
        while ((v & ~0x7FL) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - offset;
    }

    /**
     * Checks the varint at an offset without decoding it.
     *
     * @param buffer the bytes.
     * @param offset the first byte of the varint.
     * @param limit  one past the last byte that may be read.
     * @return its length (1 to 10) when whole and valid, 0 when it runs past {@code limit}, or
     * {@code -ErrorCode.VARINT_OVERLONG}.
     */
    public static int length(final DirectBuffer buffer, final int offset, final int limit)
    {
        for (int i = 0; i < MAX_LENGTH; i++)
        {
            if (offset + i >= limit)
            {
                return 0;
            }
            final int b = buffer.getByte(offset + i) & 0xFF;
            if ((b & 0x80) == 0)
            {
                if ((b == 0 && i > 0) || (i == MAX_LENGTH - 1 && b > 1))
                {
                    return -ErrorCode.VARINT_OVERLONG;
                }
                return i + 1;
            }
        }
        return -ErrorCode.VARINT_OVERLONG;
    }

    /**
     * Reads a varint already checked by {@link #length(DirectBuffer, int, int)}.
     *
     * @param buffer the bytes.
     * @param offset the first byte of the varint.
     * @return the value, as unsigned 64 bits.
     */
    public static long get(final DirectBuffer buffer, final int offset)
    {
        long value = 0;
        int shift = 0;
        int i = offset;
        int b;
        do
        {
            b = buffer.getByte(i++);
            value |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0 && shift < 70);
        return value;
    }
}
