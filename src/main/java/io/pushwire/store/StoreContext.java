package io.pushwire.store;

import io.pushwire.config.ConfigurationException;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * How to open a {@link Store}: fluent accessors, defaults from {@link StoreConfiguration}, validated once
 * by {@link #conclude()}. Not thread-safe; set it up on one thread before opening the store.
 */
public final class StoreContext
{
    private File dir;
    private SyncPolicy syncPolicy;
    private long syncIntervalMs = -1;
    private RollCycle rollCycle;
    private long retentionMs = -1;
    private int maxRecordLength = -1;
    private long pretouchBytes = -1;
    private int recentMessages = -1;
    private long recentBytes = -1;
    private int indexSpacing = -1;
    private int indexCount = -1;
    private long blockSize = -1;
    private TimeProvider timeProvider;
    private boolean concluded;

    /**
     * Fills what was not set from the settings and checks the values.
     *
     * @return this.
     * @throws ConfigurationException for a bad value.
     */
    public StoreContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (null == dir)
        {
            dir = new File(StoreConfiguration.DIR.get());
        }
        if (null == syncPolicy)
        {
            syncPolicy = SyncPolicy.parse(StoreConfiguration.SYNC.get());
        }
        if (syncIntervalMs < 0)
        {
            syncIntervalMs = TimeUnit.NANOSECONDS.toMillis(StoreConfiguration.SYNC_INTERVAL.getDurationNs(TimeUnit.MILLISECONDS));
        }
        if (null == rollCycle)
        {
            final String name = StoreConfiguration.ROLL_CYCLE.get().trim();
            try
            {
                rollCycle = RollCycles.valueOf(name);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException("pushwire.store.roll-cycle=" + name + " is not a Chronicle RollCycles name");
            }
        }
        if (retentionMs < 0)
        {
            retentionMs = TimeUnit.NANOSECONDS.toMillis(StoreConfiguration.RETENTION.getDurationNs(TimeUnit.MILLISECONDS));
        }
        if (maxRecordLength < 0)
        {
            maxRecordLength = (int)Math.min(Integer.MAX_VALUE, StoreConfiguration.MAX_RECORD_LENGTH.getSizeBytes());
        }
        if (indexSpacing < 0)
        {
            indexSpacing = StoreConfiguration.INDEX_SPACING.getInt();
        }
        if (indexCount < 0)
        {
            indexCount = StoreConfiguration.INDEX_COUNT.getInt();
        }
        if (indexSpacing < 1 || Integer.bitCount(indexSpacing) != 1)
        {
            throw new ConfigurationException("pushwire.store.index-spacing must be a power of two, not " + indexSpacing);
        }
        if (indexCount < 64 || Integer.bitCount(indexCount) != 1)
        {
            throw new ConfigurationException("pushwire.store.index-count must be a power of two of at least 64, not " + indexCount);
        }
        if (blockSize < 0)
        {
            blockSize = StoreConfiguration.BLOCK_SIZE.getSizeBytes();
        }
        if (blockSize < (1 << 20))
        {
            throw new ConfigurationException("pushwire.store.block-size must be at least 1m, not " + blockSize);
        }
        if (pretouchBytes < 0)
        {
            pretouchBytes = StoreConfiguration.PRETOUCH.getSizeBytes();
        }
        if (recentMessages < 0)
        {
            recentMessages = StoreConfiguration.RECENT_MESSAGES.getInt();
        }
        if (recentMessages < 0 || (recentMessages > 0 && Integer.bitCount(recentMessages) != 1))
        {
            throw new ConfigurationException("pushwire.store.recent-messages must be 0 or a power of two, not " + recentMessages);
        }
        if (recentBytes < 0)
        {
            recentBytes = StoreConfiguration.RECENT_BYTES.getSizeBytes();
        }
        if (recentMessages > 0 && (recentBytes < 1024 || recentBytes > Integer.MAX_VALUE - 8))
        {
            throw new ConfigurationException("pushwire.store.recent-bytes must be between 1k and 2g, not " + recentBytes);
        }
        if (maxRecordLength < 1024)
        {
            throw new ConfigurationException("pushwire.store.max-record-length must be at least 1k");
        }
        if (syncIntervalMs < 1)
        {
            syncIntervalMs = 1;
        }
        if (null == timeProvider)
        {
            timeProvider = SystemTimeProvider.INSTANCE;
        }
        concluded = true;
        return this;
    }

    public File dir()
    {
        return dir;
    }

    public StoreContext dir(final File dir)
    {
        this.dir = dir;
        return this;
    }

    public SyncPolicy syncPolicy()
    {
        return syncPolicy;
    }

    public StoreContext syncPolicy(final SyncPolicy syncPolicy)
    {
        this.syncPolicy = syncPolicy;
        return this;
    }

    public long syncIntervalMs()
    {
        return syncIntervalMs;
    }

    public StoreContext syncIntervalMs(final long syncIntervalMs)
    {
        this.syncIntervalMs = syncIntervalMs;
        return this;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    public StoreContext rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    /**
     * @return how long after its cycle ended a store file is deleted, in ms.
     */
    public long retentionMs()
    {
        return retentionMs;
    }

    public StoreContext retentionMs(final long retentionMs)
    {
        this.retentionMs = retentionMs;
        return this;
    }

    /**
     * @return every how many records the queue indexes one (a read by index scans at most this many less one).
     */
    public int indexSpacing()
    {
        return indexSpacing;
    }

    public StoreContext indexSpacing(final int indexSpacing)
    {
        this.indexSpacing = indexSpacing;
        return this;
    }

    /**
     * @return bytes of a queue file Chronicle maps at a time.
     */
    public long blockSize()
    {
        return blockSize;
    }

    public StoreContext blockSize(final long blockSize)
    {
        this.blockSize = blockSize;
        return this;
    }

    /**
     * @return entries per index array: a cycle holds at most {@code indexCount^2 x indexSpacing} records.
     */
    public int indexCount()
    {
        return indexCount;
    }

    public StoreContext indexCount(final int indexCount)
    {
        this.indexCount = indexCount;
        return this;
    }

    /**
     * @return bytes beyond the write position a background thread keeps faulted in (0: no such thread).
     */
    public long pretouchBytes()
    {
        return pretouchBytes;
    }

    public StoreContext pretouchBytes(final long pretouchBytes)
    {
        this.pretouchBytes = pretouchBytes;
        return this;
    }

    /**
     * @return message records the recent-message cache holds (0: no cache).
     */
    public int recentMessages()
    {
        return recentMessages;
    }

    public StoreContext recentMessages(final int recentMessages)
    {
        this.recentMessages = recentMessages;
        return this;
    }

    /**
     * @return payload bytes the recent-message cache holds at most.
     */
    public int recentBytes()
    {
        return (int)recentBytes;
    }

    public StoreContext recentBytes(final long recentBytes)
    {
        this.recentBytes = recentBytes;
        return this;
    }

    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    public StoreContext maxRecordLength(final int maxRecordLength)
    {
        this.maxRecordLength = maxRecordLength;
        return this;
    }

    /**
     * @return the clock that decides roll cycles and retention (Chronicle's; tests set a fake one).
     */
    public TimeProvider timeProvider()
    {
        return timeProvider;
    }

    public StoreContext timeProvider(final TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        return this;
    }

    public String toString()
    {
        return "store dir=" + dir + " sync=" + syncPolicy + " syncIntervalMs=" + syncIntervalMs + " rollCycle=" + rollCycle +
            " retentionMs=" + retentionMs + " maxRecordLength=" + maxRecordLength + " indexSpacing=" + indexSpacing + " indexCount=" + indexCount + " blockSize=" + blockSize + " pretouchBytes=" + pretouchBytes +
            " recentMessages=" + recentMessages + " recentBytes=" + recentBytes;
    }
}
