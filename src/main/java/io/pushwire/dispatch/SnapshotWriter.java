package io.pushwire.dispatch;

import io.pushwire.store.Store;
import io.pushwire.store.StoreRecords;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a snapshot of dispatch's durable state into the store, a slice per duty cycle, each time the store
 * starts a new roll cycle; when one completes, store files older than the cycle it started in may go
 * (retention). A snapshot re-records every device (DEVICE, HEAD of its stream, its SUBSCRIBEDs, its route, live or
 * pending, as ROUTE_OPENED), every topic
 * (TOPIC, HEAD) and every alias binding, then SNAPSHOT. Replay still rebuilds these facts once the files
 * that first recorded them are deleted.
 * <p>
 * Live records interleave with a snapshot in progress, which is safe: a snapshot record states a fact as it
 * was when written and replay applies later records on top, and a device or alias created after the slice
 * that would have covered it is recorded by its own live record in the current cycle, which is not deleted.
 * At most {@link #SLICE_RECORDS} records per duty cycle (about half a millisecond), so a snapshot of millions
 * of devices does not stall delivery. Not thread-safe: the dispatch agent calls it.
 */
final class SnapshotWriter
{
    static final int SLICE_RECORDS = 1024;

    private static final int IDLE = 0;
    private static final int DEVICES = 1;
    private static final int TOPICS = 2;
    private static final int ALIASES = 3;

    private final DispatchState state;
    private final Store store;
    private final DispatchCounters counters;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);
    private final List<String> aliasNames = new ArrayList<>();
    private int phase = IDLE;
    private int startedCycle;
    private int completedCycle = Integer.MIN_VALUE;
    private int cursor;
    private int limit;
    private int records;

    SnapshotWriter(final DispatchState state, final Store store, final DispatchCounters counters)
    {
        this.state = state;
        this.store = store;
        this.counters = counters;
    }

    /**
     * @return the roll cycle in which the last complete snapshot started, {@code Integer.MIN_VALUE} before the first.
     */
    int completedCycle()
    {
        return completedCycle;
    }

    boolean inProgress()
    {
        return phase != IDLE;
    }

    /**
     * Starts a snapshot when the store rolled to a new cycle since the last one, and writes the next slice.
     *
     * @param nowMs the agent's clock, for retention.
     * @return records written.
     */
    int doWork(final long nowMs)
    {
        if (phase == IDLE)
        {
            if (store.currentCycle() == completedCycle)
            {
                return 0;
            }
            start();
        }
        int written = 0;
        store.beginBatch();
        try
        {
            while (written < SLICE_RECORDS && phase != IDLE)
            {
                written += switch (phase)
                {
                    case DEVICES -> device();
                    case TOPICS -> topic();
                    default -> alias();
                };
            }
        }
        finally
        {
            store.endBatch();
        }
        if (phase == IDLE)
        {
            counters.storeFilesDeleted.getAndAddOrdered(store.deleteRetiredCycles(completedCycle, nowMs));
        }
        return written;
    }

    private void start()
    {
        startedCycle = store.currentCycle();
        phase = DEVICES;
        cursor = 0;
        limit = state.devices.size();
        records = 0;
    }

    private int device()
    {
        if (cursor >= limit)
        {
            next(TOPICS, state.topicCount);
            cursor = 1;
            return 0;
        }
        final int device = cursor++;
        final DeviceDirectory devices = state.devices;
        if (devices.idLength(device) < 0)
        {
            return 0;
        }
        int written = 1;
        store.appendDevice(device, devices.slab(), devices.idOffset(device), devices.idLength(device));
        final StreamLog log = state.deviceStreams[device];
        if (log.head() > 0)
        {
            store.appendHead(StoreRecords.DEVICE_STREAM, device, log.head(), log.acked());
            written++;
        }
        final IntArrayList topics = state.subscriptions[device];
        if (null != topics)
        {
            for (int i = 0; i < topics.size(); i++)
            {
                store.appendSubscription(true, device, topics.getInt(i));
                written++;
            }
        }
        final long connectionId = state.routeOf(device);
        if (DispatchState.NO_CONNECTION != connectionId)
        {
            store.appendRouteOpened(device, connectionId, state.routeInstanceId[device], state.routeOpenedAtMs[device],
                state.routeHeartbeatSec[device]);
            written++;
        }
        records += written;
        return written;
    }

    private int topic()
    {
        if (cursor >= limit)
        {
            aliasNames.clear();
            aliasNames.addAll(state.aliases.keySet());
            next(ALIASES, aliasNames.size());
            return 0;
        }
        final int topic = cursor++;
        int written = 0;
        final String name = state.topicName(topic);
        if (topic > DispatchState.BROADCAST && null != name)
        {
            wrap(name);
            store.appendTopic(topic, scratch, 0, scratch.capacity());
            written++;
        }
        final StreamLog log = state.topicStreams[topic];
        if (null != log && log.head() > 0)
        {
            store.appendHead(StoreRecords.TOPIC_STREAM, topic, log.head(), 0);
            written++;
        }
        records += written;
        return written;
    }

    private int alias()
    {
        if (cursor >= limit)
        {
            store.appendSnapshot(state.lastMessageId(), records);
            completedCycle = startedCycle;
            phase = IDLE;
            aliasNames.clear();
            return 1;
        }
        final String alias = aliasNames.get(cursor++);
        final IntArrayList bound = state.aliases.get(alias);
        int written = 0;
        if (null != bound)
        {
            wrap(alias);
            for (int i = 0; i < bound.size(); i++)
            {
                store.appendAlias(true, bound.getInt(i), scratch, 0, scratch.capacity());
                written++;
            }
        }
        records += written;
        return written;
    }

    private void next(final int nextPhase, final int nextLimit)
    {
        phase = nextPhase;
        cursor = 0;
        limit = nextLimit;
    }

    private void wrap(final String text)
    {
        scratch.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
