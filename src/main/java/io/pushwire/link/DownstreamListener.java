package io.pushwire.link;

import org.agrona.DirectBuffer;

/**
 * What a gateway reactor hears from dispatch; called by {@link DownstreamAdapter} on the reactor's
 * thread. Buffers are valid only during the call.
 * <p>
 * The two frame-carrying messages may be refused: a listener returns false to leave the message in the
 * stream (the adapter aborts the poll there, and the same message comes first on a later poll). That is how a
 * gateway reactor pushes back on dispatch; control messages are always taken.
 */
public interface DownstreamListener
{
    /**
     * Write a device frame to one connection (dropped if the connection is gone: generation mismatch).
     *
     * @return true if taken (written, queued or dropped), false to have it again on a later poll.
     */
    boolean onDeliver(long connectionId, DirectBuffer buffer, int offset, int length);

    /**
     * Send BYE with the reason and close the connection.
     */
    void onClose(long connectionId, int closeReason);

    /**
     * Add the connection to the reactor's topic index.
     */
    void onTopicBind(long connectionId, long topicStreamId);

    /**
     * Remove the connection from the reactor's topic index.
     */
    void onTopicUnbind(long connectionId, long topicStreamId);

    /**
     * Write a device frame to every connection of this reactor bound to the topic (all, for broadcast).
     *
     * @return true if taken (the listener keeps a copy if it finishes the fan-out later), false to have it
     * again on a later poll.
     */
    boolean onTopicDeliver(long topicStreamId, DirectBuffer buffer, int offset, int length);
}
