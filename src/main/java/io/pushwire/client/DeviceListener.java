package io.pushwire.client;

import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;

/**
 * What a {@link DeviceClient} tells the application. Every method has an empty default, so an application implements
 * only what it needs.
 * <p>
 * <b>Threading</b>: all methods are called on the client's I/O thread, one at a time. A slow callback delays
 * heartbeats and the reading of further frames, so hand long work to another thread (after copying what it needs:
 * buffers passed in are valid only during the call). Do not call {@link DeviceClient#close()} and wait for it from a
 * callback; the non-blocking calls ({@code subscribe}, {@code send}) are fine.
 */
public interface DeviceListener
{
    /**
     * A message, delivered exactly once and in seq order per stream. The client ACKs it (and advances the stream's
     * cursor) only after this method returns normally; if it throws, the exception is logged, the message is not
     * acknowledged and the server will deliver it again (on a later PULL or after a reconnect).
     *
     * @param streamId  0 for the device's own stream, else a topic stream (1 is broadcast).
     * @param seq       the message's position in its stream.
     * @param messageId the sender's 64-bit message id.
     * @param appId     the application id the sender set.
     * @param payload   holds the payload; valid only during the call.
     * @param offset    first payload byte.
     * @param length    payload length, may be 0.
     */
    default void onMessage(
        final long streamId,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
    }

    /**
     * Seqs {@code fromSeq..toSeq} of a stream will never arrive (the server said GAP); the cursor has moved past them.
     *
     * @param reason {@code Protocol.GAP_EXPIRED}, {@code GAP_COLLAPSED}, {@code GAP_TRIMMED}, or an unknown value
     *               (treat as "gone").
     */
    default void onGap(final long streamId, final long fromSeq, final long toSeq, final int reason)
    {
    }

    /**
     * The connection state changed.
     */
    default void onStateChange(final ConnectionState oldState, final ConnectionState newState)
    {
    }

    /**
     * WELCOME arrived: the session is open.
     */
    default void onConnected(final SessionInfo session)
    {
    }

    /**
     * The server sent ERROR. Fatal errors are followed by the server closing the connection, which the client handles
     * by reconnecting.
     *
     * @param code   an {@code ErrorCode}.
     * @param reason human-readable text, may be empty.
     */
    default void onError(final int code, final String reason)
    {
    }

    /**
     * The server sent BYE. For {@code CloseReason.REPLACED} (another session of this device took over) the client
     * does not reconnect and moves to {@link ConnectionState#CLOSED}.
     *
     * @param reason a {@code CloseReason}.
     */
    default void onBye(final int reason)
    {
    }

    /**
     * Server selection chose a gateway to try first.
     *
     * @param server the gateway.
     * @param rttNs  the probe round trip in nanoseconds, or -1 when no probe answered and the address was taken in
     *               list order (or from a REDIRECT).
     */
    default void onServerSelected(final InetSocketAddress server, final long rttNs)
    {
    }
}
