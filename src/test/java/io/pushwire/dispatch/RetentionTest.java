package io.pushwire.dispatch;

import io.pushwire.sender.PushRequest;
import io.pushwire.store.StoreContext;
import io.pushwire.store.SyncPolicy;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    File storeDir;

    private DispatchHarness harness;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldWriteTheSnapshotInSlicesWhileLiveRecordsInterleave()
    {
        final SetTimeProvider storeClock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_800_000_000_000L));
        harness = new DispatchHarness(storeDir, (ctx) -> ctx
            .maxTtlMs(HOUR_MS).defaultTtlMs(HOUR_MS)
            .storeContext(new StoreContext().dir(storeDir).syncPolicy(SyncPolicy.NONE).rollCycle(RollCycles.FAST_HOURLY)
                .retentionMs(2 * HOUR_MS).timeProvider(storeClock).maxRecordLength(64 * 1024)));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice reader = gateway.connect("reader", harness.clock.time(), Map.of());
        reader.sub(1, "news");
        harness.await("subscribed", () -> reader.subAcks.size() == 1);
        for (int batch = 0; batch < 6; batch++)
        {
            final List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++)
            {
                ids.add("bulk-" + batch + "-" + i);
            }
            harness.push(PushRequest.toDevices(ids).payload("hello " + batch));
        }
        harness.settle();

        storeClock.advanceMillis(HOUR_MS);
        harness.clock.advance(HOUR_MS);
        harness.agent().doWork();
        final SnapshotWriter snapshots = harness.agent().maintenance().snapshots();
        assertTrue(snapshots.inProgress(), "3,000 devices take several slices");
        reader.unsub(2, "news");
        harness.bindAlias("late-alias", "late-device");
        harness.await("snapshot complete", () -> !snapshots.inProgress());

        for (int hour = 0; hour < 3; hour++)
        {
            storeClock.advanceMillis(HOUR_MS);
            harness.clock.advance(HOUR_MS);
            harness.settle();
        }
        assertTrue(harness.agent().store().deletedFiles() >= 1, "the first cycle's file is gone");

        harness.restartDispatch();
        final DispatchState state = harness.state();
        assertTrue(!state.isSubscribed(state.devices().lookup("reader"), 2), "the live UNSUBSCRIBED after its slice wins");
        assertEquals(List.of(state.devices().lookup("late-device")), List.of(state.aliasDevices("late-alias").getInt(0)));
        assertEquals(1, state.deviceStream(state.devices().lookup("bulk-5-499")).head());
        assertEquals(1, state.deviceStream(state.devices().lookup("bulk-0-0")).head());
    }

    @Test
    void shouldDeleteOldStoreFilesAfterASnapshotAndStillRecoverEveryDurableFact()
    {
        final SetTimeProvider storeClock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_800_000_000_000L));
        harness = new DispatchHarness(storeDir, (ctx) -> ctx
            .maxTtlMs(HOUR_MS).defaultTtlMs(HOUR_MS)
            .storeContext(new StoreContext().dir(storeDir).syncPolicy(SyncPolicy.NONE).rollCycle(RollCycles.FAST_HOURLY)
                .retentionMs(2 * HOUR_MS).timeProvider(storeClock).maxRecordLength(64 * 1024)));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice reader = gateway.connect("reader", harness.clock.time(), Map.of());
        reader.sub(1, "news");
        harness.await("subscribed", () -> reader.subAcks.size() == 1);
        harness.bindAlias("bob", "bob-phone");
        harness.push(PushRequest.toDevice("reader").payload("r1"));
        harness.push(PushRequest.toAlias("bob").payload("old, will expire"));
        harness.await("read", () -> harness.state().deviceStream(0).acked() == 1);
        gateway.disconnect(reader, 7);
        harness.settle();

        for (int hour = 1; hour <= 4; hour++)
        {
            storeClock.advanceMillis(HOUR_MS);
            harness.clock.advance(HOUR_MS);
            harness.settle();
        }
        assertTrue(harness.agent().store().deletedFiles() >= 1, "old cycles deleted");
        harness.push(PushRequest.toDevice("reader").payload("r2"));
        harness.push(PushRequest.toTopic("news").payload("still subscribed"));

        harness.restartDispatch();
        final DispatchState state = harness.state();
        final int reader2 = state.devices().lookup("reader");
        assertEquals(2, state.deviceStream(reader2).head(), "seqs continue from the snapshot's head");
        assertEquals(1, state.deviceStream(reader2).acked());
        assertTrue(state.isSubscribed(reader2, 2));
        final int bob = state.devices().lookup("bob-phone");
        assertEquals(List.of(bob), List.of(state.aliasDevices("bob").getInt(0)));

        final TestDevice back = gateway.reconnect(reader, harness.clock.time(), Map.of(0L, 1L, 2L, 0L));
        harness.await("new messages delivered", () -> back.processed().contains("0:2:r2") && back.processed().contains("2:1:still subscribed"));
        final TestDevice bobPhone = gateway.connect("bob-phone", harness.clock.time(), Map.of());
        harness.await("bob told what is gone", () -> bobPhone.cursor(0) == 1);
        assertEquals(List.of("0:1-1:3"), bobPhone.gaps, "its file was deleted: trimmed by retention");
    }

    @Test
    void shouldKeepLiveRoutesThroughSnapshotsAndRetention()
    {
        final SetTimeProvider storeClock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_800_000_000_000L));
        harness = new DispatchHarness(storeDir, (ctx) -> ctx
            .maxTtlMs(HOUR_MS).defaultTtlMs(HOUR_MS)
            .storeContext(new StoreContext().dir(storeDir).syncPolicy(SyncPolicy.NONE).rollCycle(RollCycles.FAST_HOURLY)
                .retentionMs(2 * HOUR_MS).timeProvider(storeClock).maxRecordLength(64 * 1024)));
        final TestGateway gateway = harness.gateway(0, 0);
        gateway.status(harness.clock.time());
        final TestDevice stayer = gateway.connect("stayer", harness.clock.time(), Map.of());
        final TestDevice leaver = gateway.connect("leaver", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        gateway.disconnect(leaver, 7);
        harness.settle();

        for (int hour = 1; hour <= 4; hour++)
        {
            storeClock.advanceMillis(HOUR_MS);
            harness.clock.advance(HOUR_MS);
            gateway.status(harness.clock.time());
            harness.settle();
        }
        assertTrue(harness.agent().store().deletedFiles() >= 1, "the cycle that recorded the session is gone");
        assertEquals(1, harness.state().onlineDevices(), "statuses kept the gateway alive");

        harness.restartDispatch();
        final DispatchState state = harness.state();
        assertEquals(1, state.pendingRoutes(), "the snapshot carried the live route, not the closed one");
        assertEquals(stayer.connectionId, state.pendingConnectionId(state.devices().lookup("stayer")));
        gateway.status(harness.clock.time());
        harness.await("confirmed", () -> harness.state().onlineDevices() == 1);
        harness.push(PushRequest.toDevice("stayer").payload("still here"));
        harness.await("delivered without a reconnect", () -> stayer.processed().contains("0:1:still here"));
    }
}
