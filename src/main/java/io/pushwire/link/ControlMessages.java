package io.pushwire.link;

/**
 * Layouts of the control messages from the console to gateways ({@link LinkConfiguration#CONTROL_STREAM_ID})
 * and of the gateways' answers ({@link LinkConfiguration#CONTROL_RESPONSE_STREAM_ID}). Little-endian. Every
 * gateway of a box subscribes to the one control stream and acts only on messages addressed to its id;
 * the console keeps only answers carrying its client id. The header is the command stream's
 * ({@link CommandMessages}), so the same {@link AdminAuth} trailer signs both.
 * <pre>
 * Header of every message (24 bytes):
 *   type u16 | version u16 (=1) | flags i32 (bit 0: signed, see AdminAuth) | clientId i64 | correlationId i64
 * Commands:
 *   DRAIN   type=1   | gatewayId i32 | ratePerSec i32
 * Answers:
 *   OK      type=101 | gatewayId i32
 *   ERROR   type=102 | gatewayId i32 | code i32 | textLength u16 | text (ASCII)
 * </pre>
 */
public final class ControlMessages
{
    public static final int VERSION = 1;

    public static final int DRAIN = 1;
    public static final int OK = 101;
    public static final int ERROR = 102;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int FLAGS_OFFSET = AdminAuth.FLAGS_OFFSET;
    public static final int CLIENT_ID_OFFSET = AdminAuth.CLIENT_ID_OFFSET;
    public static final int CORRELATION_ID_OFFSET = AdminAuth.CORRELATION_ID_OFFSET;
    public static final int HEADER_LENGTH = AdminAuth.MESSAGE_HEADER_LENGTH;

    public static final int GATEWAY_ID_OFFSET = HEADER_LENGTH;
    public static final int DRAIN_RATE_OFFSET = HEADER_LENGTH + 4;
    public static final int DRAIN_LENGTH = HEADER_LENGTH + 8;
    public static final int OK_LENGTH = HEADER_LENGTH + 4;
    public static final int ERROR_CODE_OFFSET = HEADER_LENGTH + 4;
    public static final int ERROR_TEXT_LENGTH_OFFSET = HEADER_LENGTH + 8;
    public static final int ERROR_TEXT_OFFSET = HEADER_LENGTH + 10;
    public static final int MAX_ERROR_TEXT_LENGTH = 200;

    /**
     * ERROR codes.
     */
    public static final int ERROR_MALFORMED = 1;
    public static final int ERROR_UNKNOWN_COMMAND = 2;
    public static final int ERROR_NOT_AUTHORIZED = 3;

    private ControlMessages()
    {
    }

    /**
     * Writes the header of any control message.
     */
    public static void header(final org.agrona.MutableDirectBuffer buffer, final int offset, final int type, final long clientId,
        final long correlationId)
    {
        buffer.putShort(offset + TYPE_OFFSET, (short)type);
        buffer.putShort(offset + VERSION_OFFSET, (short)VERSION);
        buffer.putInt(offset + FLAGS_OFFSET, 0);
        buffer.putLong(offset + CLIENT_ID_OFFSET, clientId);
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
    }
}
