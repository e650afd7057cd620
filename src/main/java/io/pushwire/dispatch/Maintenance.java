package io.pushwire.dispatch;

import io.pushwire.store.Store;


/**
 * The agent's timed work, each run bounded: the expiry sweep (marks messages past their TTL expired and
 * counts them in receipts; device streams round-robin, a budget of entries per run, all topics), receipt
 * eviction, gateway liveness, and, every duty cycle, the next slice of a snapshot in progress
 * ({@link SnapshotWriter}, which then applies retention). Not thread-safe: the dispatch agent calls it.
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
    private long nextSweepMs;
    private int sweepDevice;
    private final SnapshotWriter snapshots;

    Maintenance(final DispatchContext ctx, final DispatchState state, final Store store, final DeviceSessions sessions,
        final DispatchCounters counters)
    {
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.sessions = sessions;
        this.counters = counters;
        this.snapshots = new SnapshotWriter(state, store, counters);
    }

    /**
     * @return work done.
     */
    int doWork(final long nowMs)
    {
        int work = store.doWork(nowMs);
        work += snapshots.doWork(nowMs);
        if (nowMs < nextSweepMs)
        {
            return work;
        }
        nextSweepMs = nowMs + ctx.sweepIntervalMs();
        work += sweep(nowMs);
        work += state.receipts.evict(nowMs, ctx.receiptRetentionMs(), RECEIPT_EVICTION_BUDGET);
        work += sessions.checkGateways(nowMs);
        counters.storeAppends.setOrdered(store.appends());
        counters.storeBytes.setOrdered(store.appendedBytes());
        counters.storeSyncs.setOrdered(store.syncs());
        counters.storeReadsFromMemory.setOrdered(store.readsFromMemory());
        counters.storeReadsFromQueue.setOrdered(store.readsFromQueue());
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


    SnapshotWriter snapshots()
    {
        return snapshots;
    }
}
