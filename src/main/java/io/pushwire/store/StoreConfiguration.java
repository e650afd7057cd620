package io.pushwire.store;

import io.pushwire.config.Setting;

import java.util.List;

/**
 * Settings of the store inside dispatch. Read once by {@link StoreContext#conclude()}.
 */
public final class StoreConfiguration
{
    public static final Setting DIR = Setting.of(
        "pushwire.store.directory", "data/store", "directory of the store's Chronicle Queue files");
    public static final Setting SYNC = Setting.of(
        "pushwire.store.sync", "none",
        "none (page cache: survives kill -9, not power loss) | periodic (msync every sync.interval) | every (msync before accepted)");
    public static final Setting SYNC_INTERVAL = Setting.of(
        "pushwire.store.sync-interval", "10ms", "with sync periodic: most time of accepted pushes a power loss can lose");
    public static final Setting ROLL_CYCLE = Setting.of(
        "pushwire.store.roll-cycle", "FAST_HOURLY", "Chronicle roll cycle of the store files (FAST_HOURLY, FAST_DAILY, TEN_MINUTELY, ...)");
    public static final Setting RETENTION = Setting.of(
        "pushwire.store.retention", "8d",
        "delete a rolled store file once its cycle ended this long ago (at least the maximum TTL; state is re-snapshotted first)");
    public static final Setting MAX_RECORD_LENGTH = Setting.of(
        "pushwire.store.max-record-length", "64k", "largest record the store writes or reads (bounds payloads)");

    public static final Setting INDEX_SPACING = Setting.of(
        "pushwire.store.index-spacing", "16",
        "index every Nth record (power of two): a PULL reads a message back with a scan of at most N-1 records");
    public static final Setting INDEX_COUNT = Setting.of(
        "pushwire.store.index-count", "8192",
        "entries per index array (power of two); a cycle holds at most count^2 x spacing records");
    public static final Setting BLOCK_SIZE = Setting.of(
        "pushwire.store.block-size", "64m",
        "bytes of a queue file mapped at a time (virtual memory, sparse on disk); larger means fewer remaps when PULLs read back (1g: +40% accepted at full rate)");
    public static final Setting PRETOUCH = Setting.of(
        "pushwire.store.pretouch", "16m",
        "keep this many bytes beyond the write position faulted in by a background thread, so page faults stay off dispatch's agent (0 = off)");

    public static final Setting RECENT_MESSAGES = Setting.of(
        "pushwire.store.recent-messages", "262144",
        "message records kept in memory after their append (power of two; 0 = off), so deliveries and PULLs read them " +
            "back without the queue: about 2.6 s of history at 100k pushes/s");
    public static final Setting RECENT_BYTES = Setting.of(
        "pushwire.store.recent-bytes", "32m", "payload bytes the recent-message cache holds at most");

    private StoreConfiguration()
    {
    }

    public static List<Setting> settings()
    {
        return List.of(DIR, SYNC, SYNC_INTERVAL, ROLL_CYCLE, RETENTION, MAX_RECORD_LENGTH, INDEX_SPACING, INDEX_COUNT, BLOCK_SIZE, PRETOUCH,
            RECENT_MESSAGES, RECENT_BYTES);
    }
}
