package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The load probe datagrams (UDP), fixed width and big-endian. A client sends requests to several gateways and
 * connects to the one that answers first; a loaded gateway answers late on purpose.
 * <pre>
 *   request, 12 bytes                 response, 20 bytes
 *   0  magic   u16 = 0x5057 ("PW")    0  magic         u16 = 0x5057
 *   2  version u8  = 1                2  version       u8  = 1
 *   3  kind    u8  = 1                3  kind          u8  = 2
 *   4  nonce   u64                    4  nonce         u64 (echoed)
 *                                     12 loadPermille  u16 (0..1000)
 *                                     14 connections   u32
 *                                     18 flags         u8  (bit 0 draining, bit 1 full)
 *                                     19 reserved      u8  = 0
 * </pre>
 * Stateless and thread-safe.
 */
public final class Probe
{
    public static final int MAGIC = 0x5057;
    public static final int VERSION = 1;
    public static final int KIND_REQUEST = 1;
    public static final int KIND_RESPONSE = 2;
    public static final int REQUEST_LENGTH = 12;
    public static final int RESPONSE_LENGTH = 20;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int KIND_OFFSET = 3;
    public static final int NONCE_OFFSET = 4;
    public static final int LOAD_PERMILLE_OFFSET = 12;
    public static final int CONNECTIONS_OFFSET = 14;
    public static final int FLAGS_OFFSET = 18;
    public static final int RESERVED_OFFSET = 19;

    public static final int FLAG_DRAINING = 0x01;
    public static final int FLAG_FULL = 0x02;

    private Probe()
    {
    }

    /**
     * @return {@link #REQUEST_LENGTH}, the bytes written.
     */
    public static int encodeRequest(final MutableDirectBuffer buffer, final int offset, final long nonce)
    {
        putHeader(buffer, offset, KIND_REQUEST, nonce);
        return REQUEST_LENGTH;
    }

    /**
     * @param loadPermille load, 0 to 1000 (written as u16).
     * @param connections  connections held (written as u32).
     * @param flags        {@link #FLAG_DRAINING}, {@link #FLAG_FULL}.
     * @return {@link #RESPONSE_LENGTH}, the bytes written.
     */
    public static int encodeResponse(
        final MutableDirectBuffer buffer,
        final int offset,
        final long nonce,
        final int loadPermille,
        final long connections,
        final int flags)
    {
        putHeader(buffer, offset, KIND_RESPONSE, nonce);
        buffer.putShort(offset + LOAD_PERMILLE_OFFSET, (short)loadPermille, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + CONNECTIONS_OFFSET, (int)connections, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putByte(offset + RESERVED_OFFSET, (byte)0);
        return RESPONSE_LENGTH;
    }

    /**
     * @return true if the datagram is exactly a v1 probe request.
     */
    public static boolean isRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        return length == REQUEST_LENGTH && hasHeader(buffer, offset, KIND_REQUEST);
    }

    /**
     * @return true if the datagram is exactly a v1 probe response.
     */
    public static boolean isResponse(final DirectBuffer buffer, final int offset, final int length)
    {
        return length == RESPONSE_LENGTH && hasHeader(buffer, offset, KIND_RESPONSE) &&
            buffer.getByte(offset + RESERVED_OFFSET) == 0;
    }

    public static long nonce(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + NONCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static int loadPermille(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + LOAD_PERMILLE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public static long connections(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CONNECTIONS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    private static void putHeader(final MutableDirectBuffer buffer, final int offset, final int kind, final long nonce)
    {
        buffer.putShort(offset + MAGIC_OFFSET, (short)MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + KIND_OFFSET, (byte)kind);
        buffer.putLong(offset + NONCE_OFFSET, nonce, ByteOrder.BIG_ENDIAN);
    }

    private static boolean hasHeader(final DirectBuffer buffer, final int offset, final int kind)
    {
        return (buffer.getShort(offset + MAGIC_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == MAGIC &&
            buffer.getByte(offset + VERSION_OFFSET) == VERSION &&
            buffer.getByte(offset + KIND_OFFSET) == kind;
    }
}
