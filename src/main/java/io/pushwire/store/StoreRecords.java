package io.pushwire.store;

/**
 * Layouts of the store's records. Each record is one Chronicle Queue document written with raw
 * little-endian {@code Bytes} writes (no self-describing wire): a 1-byte type, then fixed fields, then
 * the variable parts, each with its length in front. Chronicle adds its own 4-byte length header.
 * <pre>
 * MESSAGE        type=1 | streamKind u8 | priority u8 | flags u8 | appId i32 | streamRef i64 | seq i64 |
 *                messageId i64 | acceptedMs i64 | expiryMs i64 | collapseHash i64 | targets i32 |
 *                idemLength u16 | idem key | payloadLength i32 | payload                  (58 + key + payload)
 * DEVICE         type=2 | deviceIndex i32 | idLength u16 | device id (UTF-8)
 * ACKED          type=3 | deviceIndex i32 | streamId i64 | seq i64                     (21 bytes)
 * TOPIC          type=4 | topicStreamId i64 | nameLength u16 | topic name (UTF-8)
 * SUBSCRIBED     type=5 | deviceIndex i32 | topicStreamId i64
 * UNSUBSCRIBED   type=6 | deviceIndex i32 | topicStreamId i64
 * ALIAS_BOUND    type=7 | deviceIndex i32 | aliasLength u16 | alias (UTF-8)
 * ALIAS_UNBOUND  type=8 | deviceIndex i32 | aliasLength u16 | alias (UTF-8)
 * UP             type=9 | deviceIndex i32 | requestId i64 | appId i32 | receivedMs i64 | payloadLength i32 | payload
 * HEAD           type=10 | streamKind u8 | streamRef i64 | headSeq i64 | ackedSeq i64
 * SNAPSHOT       type=11 | lastMessageId i64 | records i32            (ends a snapshot; see docs/dispatch.md)
 * ROUTE_OPENED   type=12 | deviceIndex i32 | connectionId i64 | instanceId i64 | openedAtMs i64 |
 *                heartbeatSec i32                                         (33 bytes)
 * ROUTE_CLOSED   type=13 | deviceIndex i32 | connectionId i64 | reason u8  (14 bytes)
 * </pre>
 * ROUTE_OPENED records that the device's route is now that connection (it replaces any route the device had);
 * the gateway id is the connection id's top 12 bits ({@code io.pushwire.link.ConnectionId}); {@code instanceId}
 * is the gateway's instance id as dispatch knew it when it recorded the route, 0 when it had no GATEWAY_STATUS
 * yet (the same route is recorded again once the instance is known). ROUTE_CLOSED ends the route only if it
 * is still that connection (a stale close changes nothing); {@code reason} is a
 * {@code io.pushwire.protocol.CloseReason}, or {@link #ROUTE_DROPPED} when dispatch dropped the route itself
 * (gateway restarted, silent, or not confirmed after a restart).
 * {@code streamKind} is {@link #DEVICE_STREAM} (streamRef = device index) or {@link #TOPIC_STREAM}
 * (streamRef = topic stream id). {@code streamId} in ACKED is the wire stream id (0 = the device's own
 * stream). A device index is assigned by dispatch on first sight of a device id and recorded by DEVICE,
 * so replay rebuilds the same indexes. Flags of MESSAGE: {@link #FLAG_FIRST_OF_MESSAGE} on the first
 * record of a message id (a push to N devices writes N records with one id).
 */
public final class StoreRecords
{
    public static final int MESSAGE = 1;
    public static final int DEVICE = 2;
    public static final int ACKED = 3;
    public static final int TOPIC = 4;
    public static final int SUBSCRIBED = 5;
    public static final int UNSUBSCRIBED = 6;
    public static final int ALIAS_BOUND = 7;
    public static final int ALIAS_UNBOUND = 8;
    public static final int UP = 9;
    public static final int HEAD = 10;
    public static final int SNAPSHOT = 11;
    public static final int ROUTE_OPENED = 12;
    public static final int ROUTE_CLOSED = 13;

    public static final int DEVICE_STREAM = 0;
    public static final int TOPIC_STREAM = 1;

    public static final int FLAG_FIRST_OF_MESSAGE = 1;

    /**
     * ROUTE_CLOSED reason when dispatch dropped the route itself rather than hearing of a close.
     */
    public static final int ROUTE_DROPPED = 255;

    /**
     * Bytes of a ROUTE_OPENED record.
     */
    public static final int ROUTE_OPENED_LENGTH = 1 + 4 + 8 + 8 + 8 + 4;

    /**
     * Bytes of a ROUTE_CLOSED record.
     */
    public static final int ROUTE_CLOSED_LENGTH = 1 + 4 + 8 + 1;

    /**
     * Bytes of a MESSAGE record before the idempotency key and the payload.
     */
    public static final int MESSAGE_FIXED_LENGTH = 1 + 3 + 4 + 8 * 6 + 4 + 2 + 4;

    private StoreRecords()
    {
    }
}
