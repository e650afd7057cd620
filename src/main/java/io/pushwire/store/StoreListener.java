package io.pushwire.store;

import org.agrona.DirectBuffer;

/**
 * Receives the store's records in append order during {@link Store#replay(StoreListener)}. Called on
 * the replaying thread; buffers are valid only during the call. Record meanings: {@link StoreRecords}.
 */
public interface StoreListener
{
    /**
     * A MESSAGE record; the payload is not read during replay (PULL reads it with {@link Store#readMessage}).
     *
     * @param index         the record's store index, to read it again.
     * @param streamKind    {@link StoreRecords#DEVICE_STREAM} or {@link StoreRecords#TOPIC_STREAM}.
     * @param streamRef     device index or topic stream id.
     * @param seq           the message's seq in its stream.
     * @param messageId     the id the sender was given.
     * @param acceptedMs    epoch ms when it was accepted.
     * @param expiryMs      epoch ms after which it is expired.
     * @param appId         the app it belongs to.
     * @param priority      0 normal, 1 high.
     * @param flags         {@link StoreRecords#FLAG_FIRST_OF_MESSAGE}.
     * @param collapseHash  64-bit hash of the collapse key, 0 for none.
     * @param targets       receipt targets of the message id.
     * @param idemKey       the sender's idempotency key (length 0 for none).
     * @param idemOffset    where it starts.
     * @param idemLength    its length.
     * @param payloadLength the payload's length.
     */
    void onMessage(
        long index, int streamKind, long streamRef, long seq, long messageId, long acceptedMs, long expiryMs, int appId,
        int priority, int flags, long collapseHash, int targets, DirectBuffer idemKey, int idemOffset, int idemLength,
        int payloadLength);

    void onDevice(int deviceIndex, DirectBuffer deviceId, int offset, int length);

    void onAcked(int deviceIndex, long streamId, long seq);

    void onTopic(long topicStreamId, DirectBuffer name, int offset, int length);

    void onSubscription(boolean subscribed, int deviceIndex, long topicStreamId);

    void onAlias(boolean bound, int deviceIndex, DirectBuffer alias, int offset, int length);

    void onUp(int deviceIndex, long requestId, int appId, long receivedMs, int payloadLength);

    void onHead(int streamKind, long streamRef, long headSeq, long ackedSeq);

    void onSnapshot(long lastMessageId, int records);

    /**
     * A ROUTE_OPENED record: the device's route is now this connection.
     *
     * @param deviceIndex  the device.
     * @param connectionId its connection (the gateway id is in it).
     * @param instanceId   the gateway's instance id as dispatch knew it, 0 when unknown.
     * @param openedAtMs   when the gateway opened the session.
     * @param heartbeatSec the session's heartbeat.
     */
    void onRouteOpened(int deviceIndex, long connectionId, long instanceId, long openedAtMs, int heartbeatSec);

    /**
     * A ROUTE_CLOSED record: the device's route ends if it is still this connection.
     *
     * @param deviceIndex  the device.
     * @param connectionId the connection that closed.
     * @param reason       a close reason, or {@link StoreRecords#ROUTE_DROPPED}.
     */
    void onRouteClosed(int deviceIndex, long connectionId, int reason);
}
