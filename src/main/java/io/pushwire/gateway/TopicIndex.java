package io.pushwire.gateway;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * One reactor's topic index: topic stream id to the connection ids bound to it, filled by dispatch's
 * TOPIC_BIND / TOPIC_UNBIND. Single-threaded: owned by the reactor.
 * <p>
 * A close does not touch the index (a connection keeps no list of its topics, which would cost memory
 * for every connection): entries whose connection is gone, recognised by a generation mismatch, are
 * removed lazily as a delivery to their topic walks past them. The broadcast topic is not kept here:
 * it means every authenticated connection of the reactor. Allocation happens only when a topic gets its
 * first binding on this reactor (its set is created); deliveries allocate nothing.
 */
final class TopicIndex
{
    /**
     * Told of each live connection bound to a topic.
     */
    @FunctionalInterface
    interface Visitor
    {
        /**
         * @param connectionId a bound connection.
         * @return false if the connection is gone and its entry should be dropped.
         */
        boolean visit(long connectionId);
    }

    private final Long2ObjectHashMap<LongHashSet> topics = new Long2ObjectHashMap<>();

    /**
     * @param topicStreamId the topic.
     * @param connectionId  the connection.
     * @return true if added, false if already bound.
     */
    boolean bind(final long topicStreamId, final long connectionId)
    {
        LongHashSet set = topics.get(topicStreamId);
        if (null == set)
        {
            set = new LongHashSet();
            topics.put(topicStreamId, set);
        }
        return set.add(connectionId);
    }

    /**
     * @param topicStreamId the topic.
     * @param connectionId  the connection.
     * @return true if it was bound.
     */
    boolean unbind(final long topicStreamId, final long connectionId)
    {
        final LongHashSet set = topics.get(topicStreamId);
        if (null == set)
        {
            return false;
        }
        final boolean removed = set.remove(connectionId);
        if (set.isEmpty())
        {
            topics.remove(topicStreamId);
        }
        return removed;
    }

    /**
     * Visits every connection bound to a topic, dropping those the visitor reports gone.
     *
     * @param topicStreamId the topic.
     * @param visitor       told of each.
     * @return connections visited.
     */
    int forEach(final long topicStreamId, final Visitor visitor)
    {
        final LongHashSet set = topics.get(topicStreamId);
        if (null == set)
        {
            return 0;
        }
        int visited = 0;
        final LongHashSet.LongIterator iterator = set.iterator();
        while (iterator.hasNext())
        {
            final long connectionId = iterator.nextValue();
            visited++;
            if (!visitor.visit(connectionId))
            {
                iterator.remove();
            }
        }
        if (set.isEmpty())
        {
            topics.remove(topicStreamId);
        }
        return visited;
    }

    /**
     * @param topicStreamId the topic.
     * @return entries held for it, gone connections not yet dropped included.
     */
    int size(final long topicStreamId)
    {
        final LongHashSet set = topics.get(topicStreamId);
        return null == set ? 0 : set.size();
    }
}
