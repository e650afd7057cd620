package io.pushwire.dispatch;

import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.test.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicDeliveryTest
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
    void shouldFanOutTopicAndBroadcastOnceToEveryGatewayAndOnlyToSubscribers()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway east = harness.gateway(0, 0);
        final TestGateway west = harness.gateway(1, 3);
        final List<TestDevice> all = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            all.add((i % 2 == 0 ? east : west).connect("dev-" + i, harness.clock.time(), Map.of()));
        }
        harness.await("online", () -> harness.state().onlineDevices() == 20);
        final List<TestDevice> subscribers = List.of(all.get(0), all.get(1), all.get(2));
        for (final TestDevice device : subscribers)
        {
            device.sub(7, "news");
        }
        harness.await("subscribed", () -> subscribers.stream().allMatch((d) -> d.subAcks.size() == 1));
        assertEquals("7:0:2:0", subscribers.get(0).subAcks.get(0), "topic stream 2, head 0");

        final long topicMessage = harness.push(PushRequest.toTopic("news").payload("headline"));
        harness.await("topic delivered", () -> subscribers.stream().allMatch((d) -> d.processed().size() == 1));
        assertEquals(List.of("2:1:headline"), subscribers.get(2).processed());
        harness.settle();
        assertTrue(all.subList(3, 20).stream().allMatch((d) -> d.processed().isEmpty()), "non-subscribers get nothing");
        assertEquals(1, harness.dispatch.counters().topicFanouts.get(), "one copy for all gateways");
        harness.await("topic receipts", () -> harness.receipt(topicMessage).delivered() == 3);
        assertEquals(new Receipt(topicMessage, 3, 3, 0, 0), harness.receipt(topicMessage));

        final long broadcast = harness.push(PushRequest.broadcast().payload("to all"));
        harness.await("broadcast delivered", () -> all.stream().allMatch((d) -> d.processed().contains("1:1:to all")));
        harness.await("broadcast receipts", () -> harness.receipt(broadcast).delivered() == 20);
        assertEquals(2, harness.dispatch.counters().topicFanouts.get());

        subscribers.get(0).unsub(8, "news");
        harness.await("unsubscribed", () -> subscribers.get(0).subAcks.size() == 2);
        harness.push(PushRequest.toTopic("news").payload("second"));
        harness.await(() -> "delivered to the rest: " + subscribers.get(1).frames, () -> subscribers.get(1).processed().contains("2:2:second"));
        harness.settle();
        assertEquals(List.of("2:1:headline", "1:1:to all"), subscribers.get(0).processed(), "no longer bound at its gateway");
    }

    @Test
    void shouldNotifyReconnectingSubscriberOfTopicBacklogAndBindItAgain()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("fan", harness.clock.time(), Map.of());
        device.sub(1, "scores");
        harness.await("subscribed", () -> device.subAcks.size() == 1);
        gateway.disconnect(device, 7);
        harness.await("offline", () -> harness.state().onlineDevices() == 0);
        harness.push(PushRequest.toTopic("scores").payload("1-0"));
        harness.push(PushRequest.toTopic("scores").payload("2-0"));
        harness.push(PushRequest.broadcast().payload("all"));

        final TestDevice back = gateway.reconnect(device, harness.clock.time(), Map.of(2L, 0L, 1L, 0L));
        harness.await("topic backlog pulled", () -> back.processed().size() == 3);
        assertTrue(back.frames.contains("NOTIFY 2 2"), back.frames.toString());
        assertTrue(back.frames.contains("NOTIFY 1 1"), back.frames.toString());
        harness.push(PushRequest.toTopic("scores").payload("3-0"));
        harness.await("bound again at the gateway", () -> back.processed().contains("2:3:3-0"));
    }

    @Test
    void shouldNotLoseATopicMessageThatOvertakesItsBindAtTheGateway()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice first = gateway.connect("first", harness.clock.time(), Map.of());
        first.sub(1, "racy");
        harness.await("topic exists", () -> first.subAcks.size() == 1);
        final TestDevice late = gateway.connect("late", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);

        gateway.topicsFirst = true;
        late.sub(2, "racy");
        final var future = harness.client.pushAsync(PushRequest.toTopic("racy").payload("just after the bind"));
        Await.until("dispatch took SUB then PUSH before the gateway polled", 10_000, () ->
        {
            harness.agent().doWork();
            return future.isDone();
        });
        harness.await("delivered despite the race", () -> late.processed().contains("2:1:just after the bind"));
        assertTrue(late.frames.indexOf("NOTIFY 2 1") >= 0, late.frames.toString());
    }

    @Test
    void shouldTrimTopicsBeyondRetentionWithGap()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.topicRetention(3));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice late = gateway.connect("late", harness.clock.time(), Map.of());
        late.autoPull = false;
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        final List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            ids.add(harness.push(PushRequest.broadcast().payload("b" + i)));
        }
        harness.settle();
        late.frames.clear();
        late.cursors.put(1L, 0L);
        late.pull(1, 1, 5);
        harness.settle();
        assertEquals(List.of("GAP 1:1-2:3", "MSG 1 3 b3", "MSG 1 4 b4", "MSG 1 5 b5"), late.frames);
        assertEquals(0, harness.receipt(ids.get(0)).pending(), "trimmed counts as expired");
    }
}
