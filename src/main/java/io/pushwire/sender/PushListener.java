package io.pushwire.sender;

/**
 * Hears how a push sent by {@link PushClient#tryPush(PushRequest, PushListener)} ended: exactly one of the two
 * methods is called once per push that was sent, on the client's poller thread (never the caller's). Keep the
 * work short: the poller reads every answer for the client, so a slow listener delays them all. Nothing is
 * allocated to call it.
 */
public interface PushListener
{
    /**
     * Dispatch stored the push.
     *
     * @param correlationId what {@code tryPush} returned.
     * @param messageId     the message id dispatch gave it.
     */
    void onAccepted(long correlationId, long messageId);

    /**
     * Dispatch refused the push (nothing was stored), no answer came in time, or the client closed first.
     *
     * @param correlationId what {@code tryPush} returned.
     * @param code          a {@link io.pushwire.link.CommandErrors} code, {@link PushException#TIMEOUT} (the
     *                      outcome is unknown: resubmit with the same idempotency key to find out), or
     *                      {@link PushException#NOT_SENT} (the client closed with the push unanswered).
     * @param text          what was wrong, for people.
     */
    void onError(long correlationId, int code, String text);
}
