package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.store.StoreContext;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.util.concurrent.TimeUnit;

/**
 * How to run dispatch: fluent accessors, defaults from {@link DispatchConfiguration}, validated once by
 * {@link #conclude()}. Not thread-safe; set it up on one thread before starting dispatch.
 */
public final class DispatchContext
{
    private Aeron aeron;
    private String aeronDir;
    private String publicationChannel;
    private String subscriptionChannel;
    private EpochClock epochClock;
    private StoreContext storeContext;
    private int maxPayload = -1;
    private int inlineLimit = -1;
    private int window = -1;
    private String idleStrategy;
    private int windowBytes = -1;
    private int pullBatch = -1;
    private long defaultTtlMs = -1;
    private long maxTtlMs = -1;
    private int topicRetention = -1;
    private int maxSubscriptions = -1;
    private int maxDeviceAnswers = -1;
    private long gatewayTimeoutMs = -1;
    private long sweepIntervalMs = -1;
    private long receiptRetentionMs = -1;
    private int maxReceipts = -1;
    private boolean concluded;

    public DispatchContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (null == aeronDir)
        {
            aeronDir = LinkConfiguration.AERON_DIR.get();
        }
        if (null == publicationChannel)
        {
            publicationChannel = LinkConfiguration.publicationChannel();
        }
        if (null == subscriptionChannel)
        {
            subscriptionChannel = LinkConfiguration.subscriptionChannel();
        }
        if (null == epochClock)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        if (null == storeContext)
        {
            storeContext = new StoreContext();
        }
        storeContext.conclude();
        maxPayload = maxPayload < 0 ? size(DispatchConfiguration.MAX_PAYLOAD.getSizeBytes()) : maxPayload;
        inlineLimit = inlineLimit < 0 ? size(DispatchConfiguration.INLINE_LIMIT.getSizeBytes()) : inlineLimit;
        window = window < 0 ? DispatchConfiguration.WINDOW.getInt() : window;
        idleStrategy = null == idleStrategy ? DispatchConfiguration.IDLE_STRATEGY.get() : idleStrategy;
        Setting.idleStrategy(DispatchConfiguration.IDLE_STRATEGY.propertyName(), idleStrategy);
        windowBytes = windowBytes < 0 ? size(DispatchConfiguration.WINDOW_BYTES.getSizeBytes()) : windowBytes;
        pullBatch = pullBatch < 0 ? DispatchConfiguration.PULL_BATCH.getInt() : pullBatch;
        defaultTtlMs = defaultTtlMs < 0 ? ms(DispatchConfiguration.DEFAULT_TTL.getDurationNs(TimeUnit.MILLISECONDS)) : defaultTtlMs;
        maxTtlMs = maxTtlMs < 0 ? ms(DispatchConfiguration.MAX_TTL.getDurationNs(TimeUnit.MILLISECONDS)) : maxTtlMs;
        topicRetention = topicRetention < 0 ? DispatchConfiguration.TOPIC_RETENTION.getInt() : topicRetention;
        maxSubscriptions = maxSubscriptions < 0 ? DispatchConfiguration.MAX_SUBSCRIPTIONS.getInt() : maxSubscriptions;
        maxDeviceAnswers = maxDeviceAnswers < 0 ? DispatchConfiguration.MAX_DEVICE_ANSWERS.getInt() : maxDeviceAnswers;
        gatewayTimeoutMs = gatewayTimeoutMs < 0 ?
            ms(DispatchConfiguration.GATEWAY_TIMEOUT.getDurationNs(TimeUnit.MILLISECONDS)) : gatewayTimeoutMs;
        sweepIntervalMs = sweepIntervalMs < 0 ?
            ms(DispatchConfiguration.SWEEP_INTERVAL.getDurationNs(TimeUnit.MILLISECONDS)) : sweepIntervalMs;
        receiptRetentionMs = receiptRetentionMs < 0 ?
            ms(DispatchConfiguration.RECEIPT_RETENTION.getDurationNs(TimeUnit.MILLISECONDS)) : receiptRetentionMs;
        maxReceipts = maxReceipts < 0 ? DispatchConfiguration.MAX_RECEIPTS.getInt() : maxReceipts;

        if (maxPayload < 1 || maxPayload + 1024 > storeContext.maxRecordLength())
        {
            throw new ConfigurationException("max-payload must be at least 1 and 1k below the store max-record-length");
        }
        if (inlineLimit > maxPayload)
        {
            inlineLimit = maxPayload;
        }
        if (window < 1 || pullBatch < 1 || topicRetention < 1 || maxSubscriptions < 1 || maxReceipts < 1)
        {
            throw new ConfigurationException("window, pull-batch, topic-retention, max-subscriptions, max-receipts must be positive");
        }
        if (maxDeviceAnswers < 64 || Integer.bitCount(maxDeviceAnswers) != 1)
        {
            throw new ConfigurationException("max-device-answers must be a power of two >= 64: " + maxDeviceAnswers);
        }
        if (defaultTtlMs < 1 || defaultTtlMs > maxTtlMs)
        {
            throw new ConfigurationException("default-ttl must be positive and at most max-ttl");
        }
        if (maxTtlMs > storeContext.retentionMs())
        {
            throw new ConfigurationException("max-ttl (" + maxTtlMs + " ms) must not exceed store retention (" +
                storeContext.retentionMs() + " ms): a file could be deleted under a live message");
        }
        sweepIntervalMs = Math.max(1, sweepIntervalMs);
        concluded = true;
        return this;
    }

    private static int size(final long bytes)
    {
        return (int)Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }

    /**
     * @return the Aeron client to use; null means dispatch connects its own to {@link #aeronDir()}.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    public DispatchContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    public String aeronDir()
    {
        return aeronDir;
    }

    public DispatchContext aeronDir(final String aeronDir)
    {
        this.aeronDir = aeronDir;
        return this;
    }

    public String publicationChannel()
    {
        return publicationChannel;
    }

    public DispatchContext publicationChannel(final String channel)
    {
        this.publicationChannel = channel;
        return this;
    }

    public String subscriptionChannel()
    {
        return subscriptionChannel;
    }

    public DispatchContext subscriptionChannel(final String channel)
    {
        this.subscriptionChannel = channel;
        return this;
    }

    /**
     * @return the clock for TTLs, timers and message ids (tests use a controllable one).
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }

    public DispatchContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    public StoreContext storeContext()
    {
        return storeContext;
    }

    public DispatchContext storeContext(final StoreContext storeContext)
    {
        this.storeContext = storeContext;
        return this;
    }

    public int maxPayload()
    {
        return maxPayload;
    }

    public DispatchContext maxPayload(final int maxPayload)
    {
        this.maxPayload = maxPayload;
        return this;
    }

    public int inlineLimit()
    {
        return inlineLimit;
    }

    public DispatchContext inlineLimit(final int inlineLimit)
    {
        this.inlineLimit = inlineLimit;
        return this;
    }

    /**
     * @return a new idle strategy for the agent (see {@link DispatchConfiguration#IDLE_STRATEGY}).
     */
    public IdleStrategy newIdleStrategy()
    {
        return Setting.idleStrategy(DispatchConfiguration.IDLE_STRATEGY.propertyName(), idleStrategy);
    }

    public DispatchContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public int window()
    {
        return window;
    }

    public DispatchContext window(final int window)
    {
        this.window = window;
        return this;
    }

    public int windowBytes()
    {
        return windowBytes;
    }

    public DispatchContext windowBytes(final int windowBytes)
    {
        this.windowBytes = windowBytes;
        return this;
    }

    public int pullBatch()
    {
        return pullBatch;
    }

    public DispatchContext pullBatch(final int pullBatch)
    {
        this.pullBatch = pullBatch;
        return this;
    }

    public long defaultTtlMs()
    {
        return defaultTtlMs;
    }

    public DispatchContext defaultTtlMs(final long ttlMs)
    {
        this.defaultTtlMs = ttlMs;
        return this;
    }

    public long maxTtlMs()
    {
        return maxTtlMs;
    }

    public DispatchContext maxTtlMs(final long ttlMs)
    {
        this.maxTtlMs = ttlMs;
        return this;
    }

    public int topicRetention()
    {
        return topicRetention;
    }

    public DispatchContext topicRetention(final int messages)
    {
        this.topicRetention = messages;
        return this;
    }

    public int maxSubscriptions()
    {
        return maxSubscriptions;
    }

    public DispatchContext maxSubscriptions(final int maxSubscriptions)
    {
        this.maxSubscriptions = maxSubscriptions;
        return this;
    }

    /**
     * @return answers to devices and cut PULLs kept per gateway reactor while it refuses offers.
     */
    public int maxDeviceAnswers()
    {
        return maxDeviceAnswers;
    }

    /**
     * @param maxDeviceAnswers answers to devices (SUB_ACK, UP_ACK, ERROR) and cut PULLs kept per gateway reactor while
     *                         it refuses offers, a power of two of at least 64; beyond, answers are dropped and counted.
     */
    public DispatchContext maxDeviceAnswers(final int maxDeviceAnswers)
    {
        this.maxDeviceAnswers = maxDeviceAnswers;
        return this;
    }

    public long gatewayTimeoutMs()
    {
        return gatewayTimeoutMs;
    }

    public DispatchContext gatewayTimeoutMs(final long timeoutMs)
    {
        this.gatewayTimeoutMs = timeoutMs;
        return this;
    }

    public long sweepIntervalMs()
    {
        return sweepIntervalMs;
    }

    public DispatchContext sweepIntervalMs(final long intervalMs)
    {
        this.sweepIntervalMs = intervalMs;
        return this;
    }

    public long receiptRetentionMs()
    {
        return receiptRetentionMs;
    }

    public DispatchContext receiptRetentionMs(final long retentionMs)
    {
        this.receiptRetentionMs = retentionMs;
        return this;
    }

    public int maxReceipts()
    {
        return maxReceipts;
    }

    public DispatchContext maxReceipts(final int maxReceipts)
    {
        this.maxReceipts = maxReceipts;
        return this;
    }

    public String toString()
    {
        return "dispatch aeronDir=" + aeronDir + " channel=" + publicationChannel + " maxPayload=" + maxPayload +
            " inlineLimit=" + inlineLimit + " window=" + window + "/" + windowBytes + "B pullBatch=" + pullBatch +
            " ttl=" + defaultTtlMs + "/" + maxTtlMs + "ms topicRetention=" + topicRetention + " maxSubscriptions=" +
            maxSubscriptions + " maxDeviceAnswers=" + maxDeviceAnswers + " gatewayTimeoutMs=" + gatewayTimeoutMs +
            " sweepIntervalMs=" + sweepIntervalMs + " receiptRetentionMs=" + receiptRetentionMs + " maxReceipts=" + maxReceipts + "; " + storeContext;
    }
}
