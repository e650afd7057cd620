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
 * <p>
 * Back pressure ({@link PoolBackPressure}): while the reactor's chunk pool is low a DELIVER is refused (it
 * stays in the stream for a later poll) and a fan-out stops before its next connection. A fan-out that stopped
 * keeps its frame in the writer's fan-out buffer and its place (a slot for broadcast, a position in a copy of
 * the topic's connection ids taken when it started) and is finished by {@link #continueFanOut()} on later duty
 * cycles; until then the next TOPIC_DELIVER is refused, so every connection gets topic frames in stream order.
 * CLOSE, TOPIC_BIND and TOPIC_UNBIND take no chunk and are always taken.
 */
final class DownstreamHandler implements DownstreamListener
{
    private static final int NO_FAN_OUT = 0;
    private static final int BROADCAST_FAN_OUT = 1;
    private static final int TOPIC_FAN_OUT = 2;

    private final int gatewayId;
    private final int reactorIndex;
    private final ConnectionTable table;
    private final ConnectionWriter writer;
    private final GatewayCounters counters;
    private final ConnectionWriter.Closer closer;
    private final PoolBackPressure backPressure;
    private final TopicIndex topics = new TopicIndex();
    private final TopicIndex.Visitor topicCollector = this::collectTopicConnection;
    private final long[] fanOutConnections;
    private int fanOutMode = NO_FAN_OUT;
    private int fanOutLength;
    private int fanOutCursor;
    private int fanOutCount;

    DownstreamHandler(
        final int gatewayId,
        final int reactorIndex,
        final ConnectionTable table,
        final ConnectionWriter writer,
        final GatewayCounters counters,
        final ConnectionWriter.Closer closer,
        final PoolBackPressure backPressure)
    {
        this.gatewayId = gatewayId;
        this.reactorIndex = reactorIndex;
        this.table = table;
        this.writer = writer;
        this.counters = counters;
        this.closer = closer;
        this.backPressure = backPressure;
        this.fanOutConnections = new long[table.capacity()];
    }

    public boolean onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = openSlot(connectionId);
        if (slot < 0)
        {
            counters.downstreamDropped.increment();
            return true;
        }
        if (!backPressure.admit())
        {
            return false;
        }
        writer.write(slot, buffer, offset, length);
        return true;
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

    public boolean onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (NO_FAN_OUT != fanOutMode)
        {
            return false;
        }
        if (length > writer.fanOutBuffer().capacity())
        {
            counters.downstreamDropped.increment();
            return true;
        }
        if (!backPressure.admit())
        {
            return false;
        }
        writer.fanOutBuffer().putBytes(0, buffer, offset, length);
        fanOutLength = length;
        fanOutCursor = 0;
        if (Protocol.BROADCAST_STREAM_ID == topicStreamId)
        {
            fanOutMode = BROADCAST_FAN_OUT;
            fanOutCount = table.capacity();
        }
        else
        {
            fanOutMode = TOPIC_FAN_OUT;
            fanOutCount = 0;
            topics.forEach(topicStreamId, topicCollector);
        }
        continueFanOut();
        return true;
    }

    /**
     * @return true while a topic or broadcast frame has connections left to go to (back pressure stopped it).
     */
    boolean isFanOutPending()
    {
        return NO_FAN_OUT != fanOutMode;
    }

    /**
     * Writes the pending fan-out frame to the connections it has not reached yet, stopping again if the pool is
     * low.
     *
     * @return connections written to.
     */
    int continueFanOut()
    {
        int written = 0;
        final int length = fanOutLength;
        while (fanOutCursor < fanOutCount)
        {
            final int slot = BROADCAST_FAN_OUT == fanOutMode ? broadcastSlot(fanOutCursor) :
                openSlot(fanOutConnections[fanOutCursor]);
            if (slot >= 0)
            {
                if (!backPressure.admit())
                {
                    return written;
                }
                writer.writeFanOut(slot, length);
                written++;
            }
            fanOutCursor++;
        }
        fanOutMode = NO_FAN_OUT;
        return written;
    }

    private int broadcastSlot(final int slot)
    {
        return ConnectionTable.OPEN == table.stateOf(slot) ? slot : -1;
    }

    private boolean collectTopicConnection(final long connectionId)
    {
        if (openSlot(connectionId) < 0)
        {
            return false;
        }
        fanOutConnections[fanOutCount++] = connectionId;
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
