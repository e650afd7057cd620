package io.pushwire.link;

/**
 * Layouts of the commands senders and the console send to dispatch ({@link LinkConfiguration#COMMAND_STREAM_ID})
 * and of dispatch's responses ({@link LinkConfiguration#RESPONSE_STREAM_ID}). Little-endian. Every client
 * subscribes to the one response stream and keeps only responses carrying its own client id (a random
 * 64-bit id chosen at connect); the correlation id pairs a response with its request.
 * <pre>
 * Header of every command and response (24 bytes):
 *   type u16 | version u16 (=1) | reserved i32 | clientId i64 | correlationId i64
 * Commands:
 *   PUSH          type=1 | targetKind u8 | priority u8 | targetCount u16 | appId i32 | ttlMs i64 (0 = default) |
 *                 targetCount x (length u16 | UTF-8) | collapseKey (length u16 | UTF-8) |
 *                 idempotencyKey (length u16 | UTF-8) | payloadLength i32 | payload
 *   RECEIPT       type=2 | messageId i64
 *   BIND_ALIAS    type=3 | alias (length u16 | UTF-8) | deviceId (length u16 | UTF-8)
 *   UNBIND_ALIAS  type=4 | alias (length u16 | UTF-8) | deviceId (length u16 | UTF-8)
 *   WHO           type=5 | deviceId (length u16 | UTF-8)
 *   KICK          type=6 | deviceId (length u16 | UTF-8)
 * Responses:
 *   ACCEPTED      type=101 | messageId i64 | targets i32
 *   RECEIPT       type=102 | messageId i64 | targets i32 | delivered i32 | pending i32 | expired i32
 *   OK            type=103
 *   ERROR         type=104 | code i32 | textLength u16 | text (ASCII)
 *   WHO           type=105 | online u8 | pad 3 | heartbeatSec i32 | connectionId i64 | sinceMs i64 |
 *                 streamCount i32 | streamCount x (streamId i64 | headSeq i64 | ackedSeq i64)
 * </pre>
 * Target kinds: {@link #TARGET_DEVICE} (one id), {@link #TARGET_DEVICES} (a list), {@link #TARGET_ALIAS}
 * (one alias), {@link #TARGET_TOPIC} (one topic name), {@link #TARGET_BROADCAST} (no target string).
 * For topic and broadcast pushes the ACCEPTED targets count is the number of devices subscribed (known
 * devices, for broadcast) when the push was accepted.
 */
public final class CommandMessages
{
    public static final int VERSION = 1;

    public static final int PUSH = 1;
    public static final int RECEIPT = 2;
    public static final int BIND_ALIAS = 3;
    public static final int UNBIND_ALIAS = 4;
    public static final int WHO = 5;
    public static final int KICK = 6;

    public static final int ACCEPTED = 101;
    public static final int RECEIPT_RESPONSE = 102;
    public static final int OK = 103;
    public static final int ERROR = 104;
    public static final int WHO_RESPONSE = 105;

    public static final int TARGET_DEVICE = 1;
    public static final int TARGET_DEVICES = 2;
    public static final int TARGET_ALIAS = 3;
    public static final int TARGET_TOPIC = 4;
    public static final int TARGET_BROADCAST = 5;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int CLIENT_ID_OFFSET = 8;
    public static final int CORRELATION_ID_OFFSET = 16;
    public static final int HEADER_LENGTH = 24;

    public static final int PUSH_TARGET_KIND_OFFSET = HEADER_LENGTH;
    public static final int PUSH_PRIORITY_OFFSET = HEADER_LENGTH + 1;
    public static final int PUSH_TARGET_COUNT_OFFSET = HEADER_LENGTH + 2;
    public static final int PUSH_APP_ID_OFFSET = HEADER_LENGTH + 4;
    public static final int PUSH_TTL_OFFSET = HEADER_LENGTH + 8;
    public static final int PUSH_TARGETS_OFFSET = HEADER_LENGTH + 16;

    public static final int MESSAGE_ID_OFFSET = HEADER_LENGTH;
    public static final int ACCEPTED_TARGETS_OFFSET = HEADER_LENGTH + 8;
    public static final int ACCEPTED_LENGTH = HEADER_LENGTH + 12;
    public static final int RECEIPT_LENGTH = HEADER_LENGTH + 8 + 16;
    public static final int ERROR_CODE_OFFSET = HEADER_LENGTH;
    public static final int ERROR_TEXT_OFFSET = HEADER_LENGTH + 6;
    public static final int MAX_ERROR_TEXT_LENGTH = 200;
    public static final int WHO_ONLINE_OFFSET = HEADER_LENGTH;
    public static final int WHO_HEARTBEAT_OFFSET = HEADER_LENGTH + 4;
    public static final int WHO_CONNECTION_ID_OFFSET = HEADER_LENGTH + 8;
    public static final int WHO_SINCE_OFFSET = HEADER_LENGTH + 16;
    public static final int WHO_STREAM_COUNT_OFFSET = HEADER_LENGTH + 24;
    public static final int WHO_STREAMS_OFFSET = HEADER_LENGTH + 28;
    public static final int WHO_STREAM_LENGTH = 24;

    /**
     * Most targets of one TARGET_DEVICES push.
     */
    public static final int MAX_TARGETS = 1000;

    /**
     * Longest target string, alias, topic name, collapse or idempotency key, in bytes.
     */
    public static final int MAX_KEY_LENGTH = 255;

    private CommandMessages()
    {
    }
}
