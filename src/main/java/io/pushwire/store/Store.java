package io.pushwire.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static io.pushwire.store.StoreRecords.*;

/**
 * The dispatch store: an append-only journal of {@link StoreRecords} on a Chronicle Queue, replayed on
 * start to rebuild dispatch's indexes, read back at random by index to serve PULLs, synced to disk per
 * {@link SyncPolicy}, and trimmed by roll cycle (retention).
 * <p>
 * An append returns once the record is in the mapped file (and, with {@link SyncPolicy#EVERY}, forced
 * to disk), so a caller that answers {@code accepted} after it has kept the promise of
 * ARCHITECTURE.md §4. Appends allocate nothing: fixed fields are raw little-endian writes and variable
 * parts are copied through one scratch array.
 * <p>
 * Not thread-safe: one thread (the dispatch agent's) appends, reads and replays. Chronicle's own
 * single-thread checks are switched off because the store is opened on one thread and then used on the
 * agent's thread.
 */
public final class Store implements AutoCloseable
{
    private final StoreContext ctx;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer reader;
    private final byte[] scratch;
    private final UnsafeBuffer scratchBuffer;
    private final DateTimeFormatter cycleFormat;
    private final RollCycle rollCycle;
    private long appends;
    private long appendedBytes;
    private long syncs;
    private long pendingSyncAppends;
    private long nextSyncMs;
    private long deletedFiles;
    private long readsFromMemory;
    private long readsFromQueue;
    private boolean inBatch;
    private final StorePretoucher pretoucher;
    private final RecentMessages recent;

    /**
     * Opens (or creates) the store in {@link StoreContext#dir()}.
     *
     * @param ctx its settings; concluded here if not already.
     */
    public Store(final StoreContext ctx)
    {
        this.ctx = ctx.conclude();
        rollCycle = ctx.rollCycle();
        queue = SingleChronicleQueueBuilder.binary(ctx.dir())
            .rollCycle(rollCycle)
            .indexSpacing(ctx.indexSpacing())
            .indexCount(ctx.indexCount())
            .blockSize(ctx.blockSize())
            .timeProvider(ctx.timeProvider())
            .syncMode(ctx.syncPolicy() == SyncPolicy.NONE ? SyncMode.NONE : SyncMode.SYNC)
            .build();
        appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true);
        reader = queue.createTailer();
        reader.singleThreadedCheckDisabled(true);
        pretoucher = ctx.pretouchBytes() > 0 ?
            new StorePretoucher(ctx.pretouchBytes(), "store-pretouch-" + ctx.dir().getName()).start() : null;
        recent = ctx.recentMessages() > 0 ? new RecentMessages(ctx.recentMessages(), ctx.recentBytes()) : null;
        scratch = new byte[ctx.maxRecordLength()];
        scratchBuffer = new UnsafeBuffer(scratch);
        cycleFormat = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    public StoreContext context()
    {
        return ctx;
    }

    /**
     * Reads every retained record from the start, in append order.
     *
     * @param listener gets each record.
     * @return the number of records read.
     */
    public long replay(final StoreListener listener)
    {
        long records = 0;
        final ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        try
        {
            tailer.toStart();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    replayRecord(dc.index(), dc.wire().bytes(), listener);
                    records++;
                }
            }
        }
        finally
        {
            tailer.close();
        }
        return records;
    }

    /**
     * Appends a MESSAGE record.
     *
     * @return the record's store index (for {@link #readMessage}).
     */
    public long appendMessage(
        final int streamKind,
        final long streamRef,
        final long seq,
        final long messageId,
        final long acceptedMs,
        final long expiryMs,
        final int appId,
        final int priority,
        final int flags,
        final long collapseHash,
        final int targets,
        final DirectBuffer idemKey,
        final int idemOffset,
        final int idemLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final long length;
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.writePosition();
            bytes.writeUnsignedByte(MESSAGE);
            bytes.writeUnsignedByte(streamKind);
            bytes.writeUnsignedByte(priority);
            bytes.writeUnsignedByte(flags);
            bytes.writeInt(appId);
            bytes.writeLong(streamRef);
            bytes.writeLong(seq);
            bytes.writeLong(messageId);
            bytes.writeLong(acceptedMs);
            bytes.writeLong(expiryMs);
            bytes.writeLong(collapseHash);
            bytes.writeInt(targets);
            writeShortBytes(bytes, idemKey, idemOffset, idemLength);
            bytes.writeInt(payloadLength);
            writeBytes(bytes, payload, payloadOffset, payloadLength);
            length = bytes.writePosition() - start;
        }
        final long index = appended(length);
        if (null != recent)
        {
            recent.put(index, streamKind, streamRef, seq, messageId, expiryMs, appId, priority, payload, payloadOffset,
                payloadLength);
        }
        return index;
    }

    public long appendDevice(final int deviceIndex, final DirectBuffer deviceId, final int offset, final int length)
    {
        final long recordLength;
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(DEVICE);
            bytes.writeInt(deviceIndex);
            writeShortBytes(bytes, deviceId, offset, length);
            recordLength = 7 + length;
        }
        return appended(recordLength);
    }

    public long appendAcked(final int deviceIndex, final long streamId, final long seq)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(ACKED);
            bytes.writeInt(deviceIndex);
            bytes.writeLong(streamId);
            bytes.writeLong(seq);
        }
        // An ACK promises nothing to anyone: with EVERY it becomes durable with the next sync, not its own.
        return appended(21, false);
    }

    public long appendTopic(final long topicStreamId, final DirectBuffer name, final int offset, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(TOPIC);
            bytes.writeLong(topicStreamId);
            writeShortBytes(bytes, name, offset, length);
        }
        return appended(11 + length);
    }

    public long appendSubscription(final boolean subscribed, final int deviceIndex, final long topicStreamId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(subscribed ? SUBSCRIBED : UNSUBSCRIBED);
            bytes.writeInt(deviceIndex);
            bytes.writeLong(topicStreamId);
        }
        return appended(13);
    }

    public long appendAlias(final boolean bound, final int deviceIndex, final DirectBuffer alias, final int offset, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(bound ? ALIAS_BOUND : ALIAS_UNBOUND);
            bytes.writeInt(deviceIndex);
            writeShortBytes(bytes, alias, offset, length);
        }
        return appended(7 + length);
    }

    public long appendUp(
        final int deviceIndex,
        final long requestId,
        final int appId,
        final long receivedMs,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(UP);
            bytes.writeInt(deviceIndex);
            bytes.writeLong(requestId);
            bytes.writeInt(appId);
            bytes.writeLong(receivedMs);
            bytes.writeInt(length);
            writeBytes(bytes, payload, offset, length);
        }
        return appended(29 + length);
    }

    public long appendHead(final int streamKind, final long streamRef, final long headSeq, final long ackedSeq)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(HEAD);
            bytes.writeUnsignedByte(streamKind);
            bytes.writeLong(streamRef);
            bytes.writeLong(headSeq);
            bytes.writeLong(ackedSeq);
        }
        return appended(26);
    }

    public long appendSnapshot(final long lastMessageId, final int records)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(SNAPSHOT);
            bytes.writeLong(lastMessageId);
            bytes.writeInt(records);
        }
        return appended(13);
    }

    /**
     * Appends a ROUTE_OPENED record. An ACK-like record: with {@link SyncPolicy#EVERY} it becomes durable with
     * the next sync (a route lost by a power cut costs the device one reconnect, not a message).
     */
    public long appendRouteOpened(
        final int deviceIndex, final long connectionId, final long instanceId, final long openedAtMs, final int heartbeatSec)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(ROUTE_OPENED);
            bytes.writeInt(deviceIndex);
            bytes.writeLong(connectionId);
            bytes.writeLong(instanceId);
            bytes.writeLong(openedAtMs);
            bytes.writeInt(heartbeatSec);
        }
        return appended(ROUTE_OPENED_LENGTH, false);
    }

    /**
     * Appends a ROUTE_CLOSED record (durable with the next sync under {@link SyncPolicy#EVERY}).
     */
    public long appendRouteClosed(final int deviceIndex, final long connectionId, final int reason)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeUnsignedByte(ROUTE_CLOSED);
            bytes.writeInt(deviceIndex);
            bytes.writeLong(connectionId);
            bytes.writeUnsignedByte(reason);
        }
        return appended(ROUTE_CLOSED_LENGTH, false);
    }

    /**
     * Reads a MESSAGE record back, payload included.
     *
     * @param index   the index {@link #appendMessage} returned (or replay reported).
     * @param message filled in.
     * @return false when the index is gone (its file was deleted by retention) or is not a MESSAGE.
     */
    public boolean readMessage(final long index, final StoredMessage message)
    {
        if (null != recent && recent.get(index, message))
        {
            readsFromMemory++;
            return true;
        }
        readsFromQueue++;
        if (!reader.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = reader.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            if (bytes.readUnsignedByte() != MESSAGE)
            {
                return false;
            }
            message.streamKind = bytes.readUnsignedByte();
            message.priority = bytes.readUnsignedByte();
            bytes.readUnsignedByte();
            message.appId = bytes.readInt();
            message.streamRef = bytes.readLong();
            message.seq = bytes.readLong();
            message.messageId = bytes.readLong();
            bytes.readLong();
            message.expiryMs = bytes.readLong();
            bytes.readLong();
            bytes.readInt();
            bytes.readSkip(bytes.readUnsignedShort());
            final int length = bytes.readInt();
            if (length > message.payloadBytes.length)
            {
                return false;
            }
            bytes.read(message.payloadBytes, 0, length);
            message.payloadLength = length;
            return true;
        }
    }

    /**
     * Duty-cycle work: the periodic msync of {@link SyncPolicy#PERIODIC}.
     *
     * @param nowMs the agent's clock.
     * @return work done (0 or 1).
     */
    public int doWork(final long nowMs)
    {
        if (ctx.syncPolicy() == SyncPolicy.PERIODIC && pendingSyncAppends > 0 && nowMs >= nextSyncMs)
        {
            sync();
            nextSyncMs = nowMs + ctx.syncIntervalMs();
            return 1;
        }
        return 0;
    }

    /**
     * Starts a group commit: with {@link SyncPolicy#EVERY}, appends until {@link #endBatch()} are not synced
     * one by one; {@code endBatch} syncs them with one msync. The caller must not tell anyone about those
     * records (answer {@code accepted}, deliver) before {@code endBatch} returns.
     */
    public void beginBatch()
    {
        inBatch = true;
    }

    /**
     * Ends a group commit: with {@link SyncPolicy#EVERY}, one msync of everything appended so far.
     */
    public void endBatch()
    {
        inBatch = false;
        if (ctx.syncPolicy() == SyncPolicy.EVERY)
        {
            sync();
        }
    }

    /**
     * Forces what was appended so far to the disk (a no-op with {@link SyncPolicy#NONE}).
     */
    public void sync()
    {
        if (pendingSyncAppends > 0)
        {
            appender.sync();
            pendingSyncAppends = 0;
            syncs++;
        }
    }

    /**
     * @return the roll cycle the store appends to now.
     */
    public int currentCycle()
    {
        return queue.cycle();
    }

    /**
     * @return the oldest cycle with a file.
     */
    public int firstCycle()
    {
        return queue.firstCycle();
    }

    /**
     * Deletes store files of cycles older than {@code beforeCycle} whose cycle ended more than
     * {@link StoreContext#retentionMs()} before {@code nowMs}. The caller must have written a snapshot of
     * the durable state into {@code beforeCycle} or later, so nothing but expired messages goes.
     *
     * @param beforeCycle only cycles before this one are candidates.
     * @param nowMs       the clock.
     * @return files deleted.
     */
    public int deleteRetiredCycles(final int beforeCycle, final long nowMs)
    {
        final int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE || first >= beforeCycle)
        {
            return 0;
        }
        int deleted = 0;
        final long lengthMs = rollCycle.lengthInMillis();
        for (final Long cycle : queue.listCyclesBetween(first, beforeCycle - 1))
        {
            final long endMs = (cycle + 1) * lengthMs;
            if (endMs + ctx.retentionMs() <= nowMs)
            {
                final File file = cycleFile(cycle.intValue());
                if (file.delete())
                {
                    deleted++;
                }
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            deletedFiles += deleted;
        }
        return deleted;
    }

    /**
     * @param cycle a roll cycle.
     * @return the file that holds it.
     */
    public File cycleFile(final int cycle)
    {
        final String name = cycleFormat.format(Instant.ofEpochMilli(cycle * (long)rollCycle.lengthInMillis()));
        return new File(ctx.dir(), name + SingleChronicleQueue.SUFFIX);
    }

    public long appends()
    {
        return appends;
    }

    public long appendedBytes()
    {
        return appendedBytes;
    }

    /**
     * @return {@link #readMessage} calls answered from memory (the recent-message cache) so far.
     */
    public long readsFromMemory()
    {
        return readsFromMemory;
    }

    /**
     * @return {@link #readMessage} calls that went to the queue (no cache, or it no longer held the record).
     */
    public long readsFromQueue()
    {
        return readsFromQueue;
    }

    /**
     * @return pages the background pretoucher has faulted in ahead of the appender (0 when it is off).
     */
    public long pagesPretouched()
    {
        return null == pretoucher ? 0 : pretoucher.pagesTouched();
    }

    public long syncs()
    {
        return syncs;
    }

    public long deletedFiles()
    {
        return deletedFiles;
    }

    public void close()
    {
        if (null != pretoucher)
        {
            pretoucher.close();
        }
        if (ctx.syncPolicy() != SyncPolicy.NONE)
        {
            sync();
        }
        reader.close();
        appender.close();
        queue.close();
    }

    private long appended(final long recordLength)
    {
        return appended(recordLength, true);
    }

    private long appended(final long recordLength, final boolean syncIfEvery)
    {
        appends++;
        appendedBytes += recordLength + 4;
        if (null != pretoucher)
        {
            pretoucher.writerAt(appender.wire().bytes());
        }
        if (ctx.syncPolicy() != SyncPolicy.NONE)
        {
            pendingSyncAppends++;
            if (ctx.syncPolicy() == SyncPolicy.EVERY && syncIfEvery && !inBatch)
            {
                sync();
            }
        }
        return appender.lastIndexAppended();
    }

    private void writeShortBytes(final Bytes<?> bytes, final DirectBuffer src, final int offset, final int length)
    {
        bytes.writeUnsignedShort(length);
        writeBytes(bytes, src, offset, length);
    }

    private void writeBytes(final Bytes<?> bytes, final DirectBuffer src, final int offset, final int length)
    {
        if (length > 0)
        {
            src.getBytes(offset, scratch, 0, length);
            bytes.write(scratch, 0, length);
        }
    }

    private void replayRecord(final long index, final Bytes<?> bytes, final StoreListener listener)
    {
        final int type = bytes.readUnsignedByte();
        switch (type)
        {
            case MESSAGE ->
            {
                final int streamKind = bytes.readUnsignedByte();
                final int priority = bytes.readUnsignedByte();
                final int flags = bytes.readUnsignedByte();
                final int appId = bytes.readInt();
                final long streamRef = bytes.readLong();
                final long seq = bytes.readLong();
                final long messageId = bytes.readLong();
                final long acceptedMs = bytes.readLong();
                final long expiryMs = bytes.readLong();
                final long collapseHash = bytes.readLong();
                final int targets = bytes.readInt();
                final int idemLength = readShortBytes(bytes);
                final int payloadLength = bytes.readInt();
                listener.onMessage(index, streamKind, streamRef, seq, messageId, acceptedMs, expiryMs, appId, priority, flags,
                    collapseHash, targets, scratchBuffer, 0, idemLength, payloadLength);
            }
            case DEVICE ->
            {
                final int deviceIndex = bytes.readInt();
                final int length = readShortBytes(bytes);
                listener.onDevice(deviceIndex, scratchBuffer, 0, length);
            }
            case ACKED -> listener.onAcked(bytes.readInt(), bytes.readLong(), bytes.readLong());
            case TOPIC ->
            {
                final long topicStreamId = bytes.readLong();
                final int length = readShortBytes(bytes);
                listener.onTopic(topicStreamId, scratchBuffer, 0, length);
            }
            case SUBSCRIBED, UNSUBSCRIBED -> listener.onSubscription(type == SUBSCRIBED, bytes.readInt(), bytes.readLong());
            case ALIAS_BOUND, ALIAS_UNBOUND ->
            {
                final int deviceIndex = bytes.readInt();
                final int length = readShortBytes(bytes);
                listener.onAlias(type == ALIAS_BOUND, deviceIndex, scratchBuffer, 0, length);
            }
            case UP ->
            {
                final int deviceIndex = bytes.readInt();
                final long requestId = bytes.readLong();
                final int appId = bytes.readInt();
                final long receivedMs = bytes.readLong();
                listener.onUp(deviceIndex, requestId, appId, receivedMs, bytes.readInt());
            }
            case HEAD ->
            {
                final int streamKind = bytes.readUnsignedByte();
                listener.onHead(streamKind, bytes.readLong(), bytes.readLong(), bytes.readLong());
            }
            case SNAPSHOT -> listener.onSnapshot(bytes.readLong(), bytes.readInt());
            case ROUTE_OPENED ->
            {
                final int deviceIndex = bytes.readInt();
                final long connectionId = bytes.readLong();
                final long instanceId = bytes.readLong();
                final long openedAtMs = bytes.readLong();
                listener.onRouteOpened(deviceIndex, connectionId, instanceId, openedAtMs, bytes.readInt());
            }
            case ROUTE_CLOSED ->
            {
                final int deviceIndex = bytes.readInt();
                final long connectionId = bytes.readLong();
                listener.onRouteClosed(deviceIndex, connectionId, bytes.readUnsignedByte());
            }
            default ->
            {
                // A record type from a newer version: skipped, so an older dispatch can still start.
            }
        }
    }

    private int readShortBytes(final Bytes<?> bytes)
    {
        final int length = bytes.readUnsignedShort();
        bytes.read(scratch, 0, length);
        return length;
    }
}
