package io.pushwire.link;

import org.agrona.DirectBuffer;

/**
 * What a gateway reactor hears from dispatch; called by {@link DownstreamAdapter} on the reactor's
 * thread. Buffers are valid only during the call.
 */
public interface DownstreamListener
{
    /**
     * Write a device frame to one connection (dropped if the connection is gone: generation mismatch).
     */
    void onDeliver(long connectionId, DirectBuffer buffer, int offset, int length);

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
     */
    void onTopicDeliver(long topicStreamId, DirectBuffer buffer, int offset, int length);
}
