package io.pushwire.dispatch;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

import static io.pushwire.status.CounterTypes.DISPATCH_BASE;
import static io.pushwire.status.CounterTypes.STORE_BASE;

/**
 * Dispatch's and the store's counters, as Aeron client counters in the media driver's CnC file (labels
 * start with {@code dispatch:} or {@code store:}). Written only by the dispatch agent (plain increments
 * with ordered stores); read by any tool. Close to free them.
 */
public final class DispatchCounters implements AutoCloseable
{
    public final AtomicCounter onlineDevices;
    public final AtomicCounter routesReplaced;
    public final AtomicCounter staleClosesIgnored;
    public final AtomicCounter pushesAccepted;
    public final AtomicCounter pushesRejected;
    public final AtomicCounter deliveredInline;
    public final AtomicCounter notified;
    public final AtomicCounter pulled;
    public final AtomicCounter acks;
    public final AtomicCounter expired;
    public final AtomicCounter topicFanouts;
    public final AtomicCounter backPressureRetries;
    public final AtomicCounter gapsSent;
    public final AtomicCounter upMessages;
    public final AtomicCounter collapsed;
    public final AtomicCounter gatewayRoutesDropped;
    public final AtomicCounter headsHealed;
    public final AtomicCounter malformedFrames;
    public final AtomicCounter framesFromUnknownConnections;
    public final AtomicCounter routesRestored;
    public final AtomicCounter routesConfirmed;
    public final AtomicCounter routesDroppedAfterRestart;
    public final AtomicCounter answersDelayed;
    public final AtomicCounter answersDropped;
    public final AtomicCounter deviceAnswersDelayed;
    public final AtomicCounter deviceAnswersDropped;
    public final AtomicCounter controlDropped;
    public final AtomicCounter publicationAddsFailed;
    public final AtomicCounter storeAppends;
    public final AtomicCounter storeBytes;
    public final AtomicCounter replayRecords;
    public final AtomicCounter replayTimeMs;
    public final AtomicCounter storeSyncs;
    public final AtomicCounter storeFilesDeleted;
    public final AtomicCounter storeReadsFromMemory;
    public final AtomicCounter storeReadsFromQueue;

    public DispatchCounters(final Aeron aeron)
    {
        onlineDevices = aeron.addCounter(DISPATCH_BASE, "dispatch: online devices");
        routesReplaced = aeron.addCounter(DISPATCH_BASE + 1, "dispatch: routes replaced");
        staleClosesIgnored = aeron.addCounter(DISPATCH_BASE + 2, "dispatch: stale closes ignored");
        pushesAccepted = aeron.addCounter(DISPATCH_BASE + 3, "dispatch: pushes accepted");
        pushesRejected = aeron.addCounter(DISPATCH_BASE + 4, "dispatch: commands rejected");
        deliveredInline = aeron.addCounter(DISPATCH_BASE + 5, "dispatch: messages delivered inline");
        notified = aeron.addCounter(DISPATCH_BASE + 6, "dispatch: notifies sent");
        pulled = aeron.addCounter(DISPATCH_BASE + 7, "dispatch: messages pulled");
        acks = aeron.addCounter(DISPATCH_BASE + 8, "dispatch: acks");
        expired = aeron.addCounter(DISPATCH_BASE + 9, "dispatch: messages expired");
        topicFanouts = aeron.addCounter(DISPATCH_BASE + 10, "dispatch: topic fan-outs");
        backPressureRetries = aeron.addCounter(DISPATCH_BASE + 11, "dispatch: back-pressure retries");
        gapsSent = aeron.addCounter(DISPATCH_BASE + 12, "dispatch: gaps sent");
        upMessages = aeron.addCounter(DISPATCH_BASE + 13, "dispatch: upstream messages stored");
        collapsed = aeron.addCounter(DISPATCH_BASE + 14, "dispatch: messages collapsed");
        gatewayRoutesDropped = aeron.addCounter(DISPATCH_BASE + 15, "dispatch: routes dropped by gateway restart or silence");
        headsHealed = aeron.addCounter(DISPATCH_BASE + 16, "dispatch: stream heads moved past a device cursor (lost seqs)");
        malformedFrames = aeron.addCounter(DISPATCH_BASE + 17, "dispatch: malformed device frames or HELLO bodies");
        framesFromUnknownConnections = aeron.addCounter(DISPATCH_BASE + 18, "dispatch: device frames from connections that are not a route");
        routesRestored = aeron.addCounter(DISPATCH_BASE + 19, "dispatch: routes restored from the store at start");
        routesConfirmed = aeron.addCounter(DISPATCH_BASE + 20, "dispatch: restored routes confirmed by their gateway");
        routesDroppedAfterRestart = aeron.addCounter(DISPATCH_BASE + 21,
            "dispatch: restored routes dropped (gateway restarted, silent, or instance unknown)");
        answersDelayed = aeron.addCounter(DISPATCH_BASE + 22, "dispatch: answers to senders delayed (term end or back pressure)");
        answersDropped = aeron.addCounter(DISPATCH_BASE + 23, "dispatch: answers to senders dropped (no reader, or too many waiting)");
        deviceAnswersDelayed = aeron.addCounter(DISPATCH_BASE + 24,
            "dispatch: answers to devices delayed (back pressure, kept in order)");
        deviceAnswersDropped = aeron.addCounter(DISPATCH_BASE + 25, "dispatch: answers to devices dropped (too many waiting)");
        controlDropped = aeron.addCounter(DISPATCH_BASE + 26,
            "dispatch: control messages to gateways dropped (too many waiting)");
        publicationAddsFailed = aeron.addCounter(DISPATCH_BASE + 27,
            "dispatch: gateway reactor publication adds failed (added again)");
        storeAppends = aeron.addCounter(STORE_BASE, "store: appends");
        storeBytes = aeron.addCounter(STORE_BASE + 1, "store: bytes appended");
        replayRecords = aeron.addCounter(STORE_BASE + 2, "store: records replayed at start");
        replayTimeMs = aeron.addCounter(STORE_BASE + 3, "store: replay time ms");
        storeSyncs = aeron.addCounter(STORE_BASE + 4, "store: syncs");
        storeFilesDeleted = aeron.addCounter(STORE_BASE + 5, "store: files deleted by retention");
        storeReadsFromMemory = aeron.addCounter(STORE_BASE + 6, "store: messages read back from memory (recent cache)");
        storeReadsFromQueue = aeron.addCounter(STORE_BASE + 7, "store: messages read back from the queue");
    }

    public void close()
    {
        CloseHelper.closeAll(onlineDevices, routesReplaced, staleClosesIgnored, pushesAccepted, pushesRejected, deliveredInline,
            notified, pulled, acks, expired, topicFanouts, backPressureRetries, gapsSent, upMessages, collapsed,
            gatewayRoutesDropped, headsHealed, malformedFrames, framesFromUnknownConnections, routesRestored, routesConfirmed,
            routesDroppedAfterRestart, answersDelayed, answersDropped, deviceAnswersDelayed,
            deviceAnswersDropped, controlDropped, publicationAddsFailed, storeAppends, storeBytes, replayRecords, replayTimeMs, storeSyncs, storeFilesDeleted,
            storeReadsFromMemory, storeReadsFromQueue);
    }
}
