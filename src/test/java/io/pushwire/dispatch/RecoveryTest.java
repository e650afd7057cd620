package io.pushwire.dispatch;

import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest
{
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
    void shouldRebuildStreamsAcksSubscriptionsAliasesAndIdsFromTheStoreOnRestart()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.window(4));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice reader = gateway.connect("reader", harness.clock.time(), Map.of());
        reader.sub(1, "weather");
        harness.await("subscribed", () -> reader.subAcks.size() == 1);
        harness.bindAlias("carol", "carol-phone");
        final List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++)
        {
            ids.add(harness.push(PushRequest.toDevice("reader").payload("r" + i)));
        }
        harness.await("read", () -> harness.state().deviceStream(0).acked() == 3);
        for (int i = 1; i <= 6; i++)
        {
            ids.add(harness.push(PushRequest.toAlias("carol").payload("c" + i).collapseKey(i == 6 ? "k" : null)));
        }
        ids.add(harness.push(PushRequest.toAlias("carol").payload("c7").collapseKey("k")));
        final long keyed = harness.push(PushRequest.toDevice("carol-phone").payload("once").idempotencyKey("key-1"));
        harness.push(PushRequest.toTopic("weather").payload("rain"));
        harness.await("topic read", () -> reader.processed().contains("2:1:rain"));
        harness.settle();
        gateway.disconnect(reader, 7);
        harness.settle();

        harness.restartDispatch();
        final DispatchState state = harness.state();
        assertTrue(harness.dispatch.replayRecords() > 0);
        final int readerIndex = state.devices().lookup("reader");
        final int carolIndex = state.devices().lookup("carol-phone");
        assertEquals(3, state.deviceStream(readerIndex).head());
        assertEquals(3, state.deviceStream(readerIndex).acked());
        assertEquals(8, state.deviceStream(carolIndex).head());
        assertEquals(0, state.onlineDevices(), "the reader's session closed before the restart");
        assertEquals(0, state.pendingRoutes(), "a closed route is not restored");
        assertTrue(state.isSubscribed(readerIndex, 2));
        assertEquals(new Receipt(ids.get(0), 1, 1, 0, 0), harness.receipt(ids.get(0)));
        assertEquals(new Receipt(ids.get(8), 1, 0, 0, 1), harness.receipt(ids.get(8)), "collapsed, still after replay");
        assertEquals(keyed, harness.push(PushRequest.toDevice("carol-phone").payload("once").idempotencyKey("key-1")));
        final long next = harness.push(PushRequest.toAlias("carol").payload("after restart"));
        assertTrue(next > keyed, "ids keep increasing after restart");

        final TestDevice carol = gateway.connect("carol-phone", harness.clock.time(), Map.of());
        harness.await("carol gets everything", () -> carol.cursor(0) == 9);
        assertEquals(List.of("0:1:c1", "0:2:c2", "0:3:c3", "0:4:c4", "0:5:c5", "0:7:c7", "0:8:once", "0:9:after restart"),
            carol.processed());
        assertTrue(carol.gaps.contains("0:6-6:2"), carol.gaps.toString());

        final TestDevice back = gateway.reconnect(reader, harness.clock.time(), Map.of(0L, 3L, 2L, 1L));
        harness.push(PushRequest.toTopic("weather").payload("sun"));
        harness.await("bound again after restart", () -> back.processed().contains("2:2:sun"));
        assertEquals(0, back.duplicates);
    }
}
