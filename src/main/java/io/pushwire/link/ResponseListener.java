package io.pushwire.link;

import org.agrona.DirectBuffer;

/**
 * What a sender hears back from dispatch, already filtered to its own client id; called by
 * {@link ResponseAdapter} on the polling thread. The buffer is valid only during the call.
 */
public interface ResponseListener
{
    void onAccepted(long correlationId, long messageId, int targets);

    void onReceipt(long correlationId, long messageId, int targets, int delivered, int pending, int expired);

    void onOk(long correlationId);

    void onError(long correlationId, int code, String text);

    /**
     * @param streamsOffset where {@code streamCount} entries of (streamId i64, headSeq i64, ackedSeq i64) start.
     */
    void onWho(long correlationId, boolean online, int heartbeatSec, long connectionId, long sinceMs, int streamCount,
        DirectBuffer buffer, int streamsOffset);
}
