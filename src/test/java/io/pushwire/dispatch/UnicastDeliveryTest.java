package io.pushwire.dispatch;

import io.pushwire.protocol.CloseReason;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.store.SyncPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnicastDeliveryTest
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
    void shouldDeliverInlineToAnOnlineDeviceAndCountTheAckInTheReceipt()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("phone-1", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        // the route started the add of the reactor's publication; until it completes a push would go as a NOTIFY
        harness.await("publication added", () -> harness.agent().outbox().pendingPublications() == 0);

        final long messageId = harness.push(PushRequest.toDevice("phone-1").payload("hello"));
        harness.await("delivered", () -> device.processed().size() == 1);
        assertEquals(List.of("0:1:hello"), device.processed());
        assertEquals("MSG 0 1 hello", device.frames.get(0));

        harness.await("acked", () -> harness.receipt(messageId).delivered() == 1);
        assertEquals(new Receipt(messageId, 1, 1, 0, 0), harness.receipt(messageId));
        assertEquals(1, harness.state().deviceStream(0).acked());
    }

    @Test
    void shouldDeliverInOrderExactlyOnceAfterReconnect()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.pullBatch(4).window(4));
        final TestGateway gateway = harness.gateway(0, 0);
        final List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++)
        {
            ids.add(harness.push(PushRequest.toDevice("phone-2").payload("m" + i)));
        }
        final TestDevice device = gateway.connect("phone-2", harness.clock.time(), Map.of());
        device.pullBatch = 4;
        harness.await("all delivered", () -> device.processed().size() == 10);
        harness.settle();
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i++)
        {
            expected.add("0:" + i + ":m" + i);
        }
        assertEquals(expected, device.processed());
        assertEquals(0, device.duplicates);
        assertEquals("NOTIFY 0 10", device.frames.get(0), "a reconnect is notified, not flooded");
        harness.await("all acked", () -> harness.receipt(ids.get(9)).delivered() == 1);
    }

    @Test
    void shouldResendAfterALostAckAndTheClientDropsIt()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("phone-3", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        device.dropAcks = true;
        final long messageId = harness.push(PushRequest.toDevice("phone-3").payload("first"));
        harness.await("first inline", () -> device.processed().size() == 1);
        harness.settle();
        assertEquals(0, harness.state().deviceStream(0).acked(), "the ACK was lost");

        gateway.disconnect(device, CloseReason.HEARTBEAT_TIMEOUT);
        harness.await("offline", () -> harness.state().onlineDevices() == 0);
        final TestDevice again = gateway.reconnect(device, harness.clock.time(), Map.of());
        harness.await("resent", () -> again.duplicates == 1);
        harness.settle();
        assertEquals(List.of("MSG 0 1 first"), again.frames, "the unacked message is sent again inline");
        assertEquals(List.of("0:1:first"), again.processed(), "and dropped by the client's cursor");
        assertEquals(new Receipt(messageId, 1, 0, 1, 0), harness.receipt(messageId));

        again.sendAck(0, 1);
        harness.await("acked", () -> harness.state().deviceStream(0).acked() == 1);
        assertEquals(new Receipt(messageId, 1, 1, 0, 0), harness.receipt(messageId));
    }

    @Test
    void shouldMoveTheHeadPastACursorTheStoreLostSoNoSeqIsReused()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        harness.push(PushRequest.toDevice("phone-6").payload("one"));
        harness.push(PushRequest.toDevice("phone-6").payload("two"));
        // the device saw seqs 3..5 that this store never recorded (e.g. lost to a power loss with sync=none)
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("phone-6", harness.clock.time(), Map.of(0L, 5L));
        device.cursors.put(0L, 5L);
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        harness.settle();
        assertEquals(5, harness.state().deviceStream(0).head());
        assertEquals(1, harness.dispatch.counters().headsHealed.get());

        harness.push(PushRequest.toDevice("phone-6").payload("three"));
        harness.await("delivered, not dropped as a duplicate", () -> device.processed().contains("0:6:three"));
        assertEquals(0, device.duplicates);
        harness.restartDispatch();
        assertEquals(6, harness.state().deviceStream(0).head(), "the moved head is stored");
    }

    @Test
    void shouldGroupCommitPushesWithSyncEveryAndStillDeliverInOrder()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.storeContext().syncPolicy(SyncPolicy.EVERY));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("phone-7", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        final List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 1; i <= 40; i++)
        {
            futures.add(harness.client.pushAsync(PushRequest.toDevice("phone-7").payload("g" + i)));
        }
        harness.await("all accepted", () -> futures.stream().allMatch(CompletableFuture::isDone));
        harness.await("all delivered", () -> device.cursor(0) == 40);
        for (int i = 1; i <= 40; i++)
        {
            assertEquals("0:" + i + ":g" + i, device.processed().get(i - 1));
        }
        final long syncs = harness.agent().store().syncs();
        assertTrue(syncs < 40, "fewer msyncs than pushes: " + syncs);
        assertTrue(syncs > 0);
    }

    @Test
    void shouldKeepEveryMessageWhenTheGatewayCannotBeReachedAndNotifyOnceItCan()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = new TestGateway(harness.aeron, 9, 0, false);
        harness.gateways.add(gateway);
        harness.await("upstream connected", gateway::isConnected);
        final TestDevice device = gateway.connect("phone-8", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        final long id = harness.push(PushRequest.toDevice("phone-8").payload("waits in the store"));
        harness.settle();
        assertTrue(harness.agent().backPressured() > 0, "the offer to the unreachable reactor failed");
        assertTrue(device.frames.isEmpty());

        gateway.subscribeDownstream();
        harness.await("notified once reachable, then pulled", () -> device.processed().contains("0:1:waits in the store"));
        assertTrue(device.frames.get(0).startsWith("NOTIFY 0 1"), device.frames.toString());
        assertTrue(harness.dispatch.counters().backPressureRetries.get() >= 1);
        harness.await("acked", () -> harness.receipt(id).delivered() == 1);
    }

    @Test
    void shouldNotifyDevicesOnAReactorThatTakesOffersAgainWhileAnotherReactorStillRefuses()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway refusing = new TestGateway(harness.aeron, 9, 0, false);
        final TestGateway recovering = new TestGateway(harness.aeron, 8, 0, false);
        harness.gateways.add(refusing);
        harness.gateways.add(recovering);
        harness.await("upstream connected", () -> refusing.isConnected() && recovering.isConnected());
        final List<TestDevice> waiting = new ArrayList<>();
        final List<TestDevice> served = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            waiting.add(refusing.connect("waiting-" + i, harness.clock.time(), Map.of()));
            served.add(recovering.connect("served-" + i, harness.clock.time(), Map.of()));
        }
        harness.await("online", () -> harness.state().onlineDevices() == 16);
        for (int i = 0; i < 8; i++)
        {
            harness.push(PushRequest.toDevice("waiting-" + i).payload("w" + i));
            harness.push(PushRequest.toDevice("served-" + i).payload("s" + i));
        }
        harness.settle();
        assertTrue(harness.agent().backPressured() >= 16, "every offer refused: neither reactor is subscribed");

        recovering.subscribeDownstream();
        harness.await("devices of the reactor that takes offers again are notified and pull, whatever the order of " +
            "the retry set", () -> served.stream().allMatch((d) -> d.processed().size() == 1));
        for (int i = 0; i < 8; i++)
        {
            assertEquals(List.of("0:1:s" + i), served.get(i).processed());
            assertTrue(waiting.get(i).frames.isEmpty());
        }

        refusing.subscribeDownstream();
        harness.await("and the others once theirs does", () -> waiting.stream().allMatch((d) -> d.processed().size() == 1));
    }

    @Test
    void shouldReplaceAnOlderSessionAndIgnoreItsStaleClose()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway first = harness.gateway(0, 0);
        final TestGateway second = harness.gateway(1, 0);
        final long t = harness.clock.time();
        final TestDevice old = first.connect("phone-4", t, Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        final TestDevice fresh = second.connect("phone-4", t + 10, Map.of());
        harness.await("old closed as replaced", () -> old.closedReason == CloseReason.REPLACED);
        harness.settle();
        assertEquals(fresh.connectionId, harness.state().connectionId(0));
        assertEquals(1, harness.state().onlineDevices());
        assertTrue(harness.dispatch.counters().staleClosesIgnored.get() >= 1);

        // an even older session arriving late is refused, the route stays
        final TestDevice stale = first.connect("phone-4", t - 10, Map.of());
        harness.await("stale closed", () -> stale.closedReason == CloseReason.REPLACED);
        harness.settle();
        assertEquals(fresh.connectionId, harness.state().connectionId(0));

        harness.push(PushRequest.toDevice("phone-4").payload("to the new one"));
        harness.await("delivered to the newest", () -> fresh.processed().size() == 1);
        assertEquals(0, old.processed().size());
    }

    @Test
    void shouldDropRoutesOfARestartedGatewayAndKeepMessagesForReconnect()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.gatewayTimeoutMs(3_000));
        final TestGateway gateway = harness.gateway(2, 1);
        gateway.status(harness.clock.time());
        final TestDevice device = gateway.connect("phone-5", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        gateway.crash();
        gateway.instanceId = 2;
        gateway.status(harness.clock.time());
        harness.await("routes dropped", () -> harness.state().onlineDevices() == 0);

        harness.push(PushRequest.toDevice("phone-5").payload("while away"));
        final TestDevice back = gateway.connect("phone-5", harness.clock.time(), Map.of(0L, device.cursor(0)));
        harness.await("delivered after reconnect", () -> back.processed().size() == 1);

        // silence: no status for longer than the timeout
        harness.clock.advance(3_500);
        harness.await("silent gateway dropped", () -> harness.state().onlineDevices() == 0);
    }
}
