package io.pushwire.link;

/**
 * Layouts of the messages between gateways and dispatch over Aeron (little-endian, as Agrona writes).
 * Every message starts with a 4-byte type and a 4-byte type-specific int, then an 8-byte id; device
 * frames and HELLO bodies travel verbatim in the tail, already validated by the gateway's decoder.
 * <pre>
 * Upstream, gateway reactor to dispatch (stream {@link LinkConfiguration#UPSTREAM_STREAM_ID}):
 *   SESSION_OPENED  type=1 | heartbeatSec i32 | connectionId i64 | openedAtMs i64 | HELLO body (rest)
 *   SESSION_CLOSED  type=2 | closeReason i32  | connectionId i64
 *   DEVICE_FRAME    type=3 | frameType i32    | connectionId i64 | frame body (rest): ACK, PULL, SUB, UNSUB, UP
 *   GATEWAY_STATUS  type=4 | gatewayId i32    | instanceId i64 | timestampMs i64 | reactorCount i32 |
 *                   connections i32 | flags i32 | versionLabel (rest, ASCII)
 * Downstream, dispatch to one reactor (stream {@link LinkConfiguration#downstreamStreamId(int, int)}):
 *   DELIVER         type=11 | 0 i32         | connectionId i64 | device frame (rest), written as is
 *   CLOSE           type=12 | closeReason i32 | connectionId i64   (BYE with the reason, then close)
 *   TOPIC_BIND      type=13 | 0 i32         | connectionId i64 | topicStreamId i64
 *   TOPIC_UNBIND    type=14 | 0 i32         | connectionId i64 | topicStreamId i64
 * Topic fan-out, dispatch to every reactor of every gateway (stream {@link LinkConfiguration#TOPIC_STREAM_ID}):
 *   TOPIC_DELIVER   type=21 | 0 i32         | topicStreamId i64 | device frame (rest), to each bound connection
 * </pre>
 */
public final class LinkMessages
{
    public static final int SESSION_OPENED = 1;
    public static final int SESSION_CLOSED = 2;
    public static final int DEVICE_FRAME = 3;
    public static final int GATEWAY_STATUS = 4;

    public static final int DELIVER = 11;
    public static final int CLOSE = 12;
    public static final int TOPIC_BIND = 13;
    public static final int TOPIC_UNBIND = 14;

    public static final int TOPIC_DELIVER = 21;

    public static final int TYPE_OFFSET = 0;
    public static final int INT_OFFSET = 4;
    public static final int ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    public static final int OPENED_AT_OFFSET = HEADER_LENGTH;
    public static final int HELLO_BODY_OFFSET = OPENED_AT_OFFSET + 8;
    public static final int TOPIC_STREAM_ID_OFFSET = HEADER_LENGTH;
    public static final int TOPIC_BIND_LENGTH = TOPIC_STREAM_ID_OFFSET + 8;

    public static final int STATUS_TIMESTAMP_OFFSET = HEADER_LENGTH;
    public static final int STATUS_REACTOR_COUNT_OFFSET = STATUS_TIMESTAMP_OFFSET + 8;
    public static final int STATUS_CONNECTIONS_OFFSET = STATUS_REACTOR_COUNT_OFFSET + 4;
    public static final int STATUS_FLAGS_OFFSET = STATUS_CONNECTIONS_OFFSET + 4;
    public static final int STATUS_LABEL_OFFSET = STATUS_FLAGS_OFFSET + 4;
    public static final int MAX_LABEL_LENGTH = 64;

    /**
     * GATEWAY_STATUS flag: the gateway is draining (left the listener group, moving devices off).
     */
    public static final int STATUS_FLAG_DRAINING = 1;

    /**
     * GATEWAY_STATUS flag: the gateway is at its connection capacity and has left the listener group.
     */
    public static final int STATUS_FLAG_FULL = 2;

    private LinkMessages()
    {
    }
}
