package io.pushwire.dispatch;

import io.pushwire.store.Store;
import io.pushwire.store.StoreRecords;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The agent's timed work, each run bounded: the expiry sweep (marks messages past their TTL expired and
 * counts them in receipts; device streams round-robin, a budget of entries per run, all topics), receipt
 * eviction, gateway liveness, and at each new store roll cycle a snapshot of the durable state followed
 * by retention (deleting store files older than the retention, which only the snapshot makes safe).
 * <p>
 * A snapshot re-records every device, stream head and ack, subscription, topic and alias binding into
 * the current cycle, so replay still rebuilds them once the files that first recorded them are gone.
 * It is written in one go: milliseconds at ten thousand devices, but a pause at millions (a known
 * limit; see docs/dispatch.md). Not thread-safe: the dispatch agent calls it.
 */
final class Maintenance
{
    private static final int SWEEP_ENTRY_BUDGET = 20_000;
    private static final int RECEIPT_EVICTION_BUDGET = 10_000;

    private final DispatchContext ctx;
    private final DispatchState state;
    private final Store store;
    private final DeviceSessions sessions;
    private final DispatchCounters counters;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);
    private long nextSweepMs;
    private int sweepDevice;
    private int snapshotCycle = Integer.MIN_VALUE;

    Maintenance(final DispatchContext ctx, final DispatchState state, final Store store, final DeviceSessions sessions,
        final DispatchCounters counters)
    {
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.sessions = sessions;
        this.counters = counters;
    }

    /**
     * @return work done.
     */
    int doWork(final long nowMs)
    {
        int work = store.doWork(nowMs);
        if (nowMs < nextSweepMs)
        {
            return work;
        }
        nextSweepMs = nowMs + ctx.sweepIntervalMs();
        work += sweep(nowMs);
        work += state.receipts.evict(nowMs, ctx.receiptRetentionMs(), RECEIPT_EVICTION_BUDGET);
        work += sessions.checkGateways(nowMs);
        if (store.currentCycle() != snapshotCycle)
        {
            work += snapshot();
            final int deleted = store.deleteRetiredCycles(snapshotCycle, nowMs);
            counters.storeFilesDeleted.getAndAddOrdered(deleted);
        }
        counters.storeAppends.setOrdered(store.appends());
        counters.storeBytes.setOrdered(store.appendedBytes());
        counters.storeSyncs.setOrdered(store.syncs());
        return work;
    }

    /**
     * Marks expired entries, bounded by an entry budget per run.
     *
     * @return entries visited.
     */
    int sweep(final long nowMs)
    {
        int visited = 0;
        for (int topic = 1; topic < state.topicCount; topic++)
        {
            visited += sweepLog(true, state.topicStreams[topic], nowMs);
        }
        final int devices = state.devices.size();
        for (int i = 0; i < devices && visited < SWEEP_ENTRY_BUDGET; i++)
        {
            if (sweepDevice >= devices)
            {
                sweepDevice = 0;
            }
            final StreamLog log = state.deviceStreams[sweepDevice++];
            if (null != log)
            {
                visited += sweepLog(false, log, nowMs);
            }
        }
        return visited;
    }

    private int sweepLog(final boolean topic, final StreamLog log, final long nowMs)
    {
        if (null == log || log.size() == 0)
        {
            return 0;
        }
        int visited = 0;
        for (long seq = log.base(), head = log.head(); seq <= head; seq++)
        {
            if (log.state(seq) == StreamLog.LIVE && log.expiryMs(seq) <= nowMs)
            {
                state.expire(topic, log, seq);
                counters.expired.incrementOrdered();
            }
            visited++;
        }
        return visited;
    }

    /**
     * Writes a snapshot of the durable state into the current cycle.
     *
     * @return records written.
     */
    int snapshot()
    {
        final int cycle = store.currentCycle();
        int records = 0;
        store.beginBatch();
        final DeviceDirectory devices = state.devices;
        for (int device = 0, size = devices.size(); device < size; device++)
        {
            if (devices.idLength(device) < 0)
            {
                continue;
            }
            store.appendDevice(device, devices.slab(), devices.idOffset(device), devices.idLength(device));
            records++;
            final StreamLog log = state.deviceStreams[device];
            if (log.head() > 0)
            {
                store.appendHead(StoreRecords.DEVICE_STREAM, device, log.head(), log.acked());
                records++;
            }
        }
        for (int topic = 1; topic < state.topicCount; topic++)
        {
            final String name = state.topicName(topic);
            if (topic > DispatchState.BROADCAST && null != name)
            {
                wrap(name);
                store.appendTopic(topic, scratch, 0, scratch.capacity());
                records++;
            }
            final StreamLog log = state.topicStreams[topic];
            if (null != log && log.head() > 0)
            {
                store.appendHead(StoreRecords.TOPIC_STREAM, topic, log.head(), 0);
                records++;
            }
        }
        for (int device = 0, size = devices.size(); device < size; device++)
        {
            final IntArrayList topics = state.subscriptions[device];
            if (null != topics)
            {
                for (int i = 0; i < topics.size(); i++)
                {
                    store.appendSubscription(true, device, topics.getInt(i));
                    records++;
                }
            }
        }
        for (final Map.Entry<String, IntArrayList> alias : state.aliases.entrySet())
        {
            wrap(alias.getKey());
            final IntArrayList bound = alias.getValue();
            for (int i = 0; i < bound.size(); i++)
            {
                store.appendAlias(true, bound.getInt(i), scratch, 0, scratch.capacity());
                records++;
            }
        }
        store.appendSnapshot(state.lastMessageId(), records);
        store.endBatch();
        snapshotCycle = cycle;
        return records + 1;
    }

    int snapshotCycle()
    {
        return snapshotCycle;
    }

    private void wrap(final String text)
    {
        scratch.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
