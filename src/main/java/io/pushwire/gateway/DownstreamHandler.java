package io.pushwire.gateway;

import io.pushwire.link.ConnectionId;
import io.pushwire.link.DownstreamListener;
import io.pushwire.protocol.Protocol;
import org.agrona.DirectBuffer;

/**
 * Acts on what dispatch sends a reactor: DELIVER written verbatim to one connection, CLOSE, TOPIC_BIND /
 * TOPIC_UNBIND kept in the reactor's {@link TopicIndex}, and TOPIC_DELIVER fanned out to the topic's bound
 * connections (broadcast: every authenticated connection). A message for a connection whose generation moved
 * on is dropped and counted. Single-threaded: owned by the reactor; allocates nothing per message.
 */
final class DownstreamHandler implements DownstreamListener
{
    private final int gatewayId;
    private final int reactorIndex;
    private final ConnectionTable table;
    private final ConnectionWriter writer;
    private final GatewayCounters counters;
    private final ConnectionWriter.Closer closer;
    private final TopicIndex topics = new TopicIndex();
    private final TopicIndex.Visitor topicVisitor = this::writeTopicFrame;
    private int topicFrameLength;

    DownstreamHandler(
        final int gatewayId,
        final int reactorIndex,
        final ConnectionTable table,
        final ConnectionWriter writer,
        final GatewayCounters counters,
        final ConnectionWriter.Closer closer)
    {
        this.gatewayId = gatewayId;
        this.reactorIndex = reactorIndex;
        this.table = table;
        this.writer = writer;
        this.counters = counters;
        this.closer = closer;
    }

    public void onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = openSlot(connectionId);
        if (slot < 0)
        {
            counters.downstreamDropped.increment();
            return;
        }
        writer.write(slot, buffer, offset, length);
    }

    public void onClose(final long connectionId, final int closeReason)
    {
        final int slot = liveSlot(connectionId);
        if (slot >= 0)
        {
            closer.close(slot, closeReason, 0);
        }
    }

    public void onTopicBind(final long connectionId, final long topicStreamId)
    {
        if (openSlot(connectionId) >= 0 && Protocol.BROADCAST_STREAM_ID != topicStreamId)
        {
            topics.bind(topicStreamId, connectionId);
        }
    }

    public void onTopicUnbind(final long connectionId, final long topicStreamId)
    {
        topics.unbind(topicStreamId, connectionId);
    }

    public void onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > writer.scratchBuffer().capacity())
        {
            counters.downstreamDropped.increment();
            return;
        }
        writer.scratchBuffer().putBytes(0, buffer, offset, length);
        topicFrameLength = length;
        if (Protocol.BROADCAST_STREAM_ID == topicStreamId)
        {
            final int capacity = table.capacity();
            for (int slot = 0; slot < capacity; slot++)
            {
                if (ConnectionTable.OPEN == table.stateOf(slot))
                {
                    writer.writeScratch(slot, length);
                }
            }
        }
        else
        {
            topics.forEach(topicStreamId, topicVisitor);
        }
    }

    private boolean writeTopicFrame(final long connectionId)
    {
        final int slot = openSlot(connectionId);
        if (slot < 0)
        {
            return false;
        }
        writer.writeScratch(slot, topicFrameLength);
        return true;
    }

    private int liveSlot(final long connectionId)
    {
        final int slot = ConnectionId.slot(connectionId);
        if (ConnectionId.gatewayId(connectionId) != gatewayId || ConnectionId.reactor(connectionId) != reactorIndex ||
            !table.isLive(slot, ConnectionId.generation(connectionId)))
        {
            return -1;
        }
        return slot;
    }

    private int openSlot(final long connectionId)
    {
        final int slot = liveSlot(connectionId);
        return slot >= 0 && ConnectionTable.OPEN == table.stateOf(slot) ? slot : -1;
    }
}
