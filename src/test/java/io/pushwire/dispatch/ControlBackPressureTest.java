package io.pushwire.dispatch;

import io.pushwire.protocol.CloseReason;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Control messages to gateways (CLOSE, TOPIC_BIND, TOPIC_UNBIND) meet a reactor publication that refuses offers: a
 * test gateway stops polling its downstream stream (as a reactor paused for its chunk pool does) and 4 KB messages to
 * another device on it fill the publication's window. What cannot be sent waits for that reactor only, in one order
 * with the reactor's answers to devices, and arrives once the reactor reads again.
 */
class ControlBackPressureTest
{
    private static final int PAYLOAD_LENGTH = 4_000;

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
    void shouldSendControlToAHealthyReactorWhileAnotherRefusesAndTheWaitingOnesInOrderOnceItReads()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> DispatchHarness.inlineLargeMessages(ctx, PAYLOAD_LENGTH));
        final TestGateway paused = harness.gateway(0, 0);
        final TestGateway healthy = harness.gateway(1, 0);
        final TestDevice filler = paused.connect("filler", harness.clock.time(), Map.of());
        final TestDevice stuck = paused.connect("stuck", harness.clock.time(), Map.of());
        final TestDevice calm = healthy.connect("calm", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 3);
        harness.fillReactor(paused, filler, PAYLOAD_LENGTH);

        stuck.sub(1, "news");
        stuck.sub(2, "sports");
        stuck.unsub(3, "news");
        harness.settle();
        harness.kick("stuck");
        harness.settle();
        assertEquals(List.of(), entries(paused, "stuck"), "nothing reaches the refusing reactor");

        calm.sub(1, "weather");
        harness.await(() -> "the healthy reactor gets its bind while the other refuses: " + healthy.log,
            () -> healthy.log.contains("calm BIND " + topic("weather")));
        harness.kick("calm");
        harness.await(() -> "the healthy reactor gets its close while the other refuses: " + healthy.log,
            () -> calm.closedReason == CloseReason.KICKED);
        assertEquals(List.of(
            "calm BIND " + topic("weather"), "calm SUB_ACK 1:0:" + topic("weather") + ":0", "calm CLOSE " + CloseReason.KICKED),
            entries(healthy, "calm"));
        assertEquals(List.of(), entries(paused, "stuck"), "the refusing reactor's messages still wait");

        paused.paused = false;
        harness.await(() -> "the close reaches the reactor that read again: " + entries(paused, "stuck"),
            () -> stuck.closedReason == CloseReason.KICKED);
        harness.settle();
        assertEquals(List.of(
            "stuck BIND " + topic("news"), "stuck BIND " + topic("sports"), "stuck UNBIND " + topic("news"),
            "stuck CLOSE " + CloseReason.KICKED),
            entries(paused, "stuck"),
            "in the order made; the SUB_ACKs of a route kicked meanwhile are discarded, its close is not");
        assertEquals(0, harness.dispatch.counters().deviceAnswersDropped.get());
    }

    @Test
    void shouldSendABindBeforeTheSubAckItBelongsToWhenTheReactorReadsAgain()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> DispatchHarness.inlineLargeMessages(ctx, PAYLOAD_LENGTH));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice filler = gateway.connect("filler", harness.clock.time(), Map.of());
        final TestDevice asker = gateway.connect("asker", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        harness.fillReactor(gateway, filler, PAYLOAD_LENGTH);

        asker.sub(1, "news");
        asker.unsub(2, "news");
        asker.sub(3, "news");
        harness.settle();
        assertEquals(List.of(), entries(gateway, "asker"), "nothing reaches the refusing reactor");

        gateway.paused = false;
        harness.await(() -> "three SUB_ACKs: " + entries(gateway, "asker"), () -> asker.subAcks.size() == 3);
        harness.settle();
        final long news = topic("news");
        assertEquals(List.of(
            "asker BIND " + news, "asker SUB_ACK 1:0:" + news + ":0",
            "asker UNBIND " + news, "asker SUB_ACK 2:0:" + news + ":0",
            "asker BIND " + news, "asker SUB_ACK 3:0:" + news + ":0"),
            entries(gateway, "asker"),
            "each bind or unbind reaches the gateway before the SUB_ACK it belongs to, in the order dispatch made them");
        assertEquals(Set.of(news), gateway.bindings.get(asker.connectionId), "bound again at the end");
    }

    @Test
    void shouldDropAndCountControlMessagesBeyondTheRingsBound()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> DispatchHarness.inlineLargeMessages(ctx.maxDeviceAnswers(64), PAYLOAD_LENGTH));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice filler = gateway.connect("filler", harness.clock.time(), Map.of());
        final TestDevice asker = gateway.connect("asker", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        harness.fillReactor(gateway, filler, PAYLOAD_LENGTH);

        for (int i = 1; i <= 50; i++)
        {
            asker.sub(i, "t" + i);
        }
        harness.await(() -> "50 subscriptions: " + harness.state().subscriptions(harness.state().devices.lookup("asker")),
            () -> harness.state().topicId("t50") > 0);
        harness.settle();
        assertEquals(18, harness.dispatch.counters().controlDropped.get(), "64 kept (32 binds and their SUB_ACKs)");
        assertEquals(18, harness.dispatch.counters().deviceAnswersDropped.get());
        assertEquals(18, counterByLabel("dispatch: control messages to gateways dropped (too many waiting)"),
            "visible to tools that read the counters");

        gateway.paused = false;
        harness.await(() -> "32 SUB_ACKs: " + asker.subAcks.size(), () -> asker.subAcks.size() == 32);
        harness.settle();
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 32; i++)
        {
            final long topic = topic("t" + i);
            expected.add("asker BIND " + topic);
            expected.add("asker SUB_ACK " + i + ":0:" + topic + ":0");
        }
        assertEquals(expected, entries(gateway, "asker"), "the first 32 binds and SUB_ACKs, in order");
        assertEquals(18, harness.dispatch.counters().controlDropped.get());
    }

    private long counterByLabel(final String label)
    {
        final CountersReader counters = harness.aeron.countersReader();
        final long[] value = { -1 };
        counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private long topic(final String name)
    {
        return harness.state().topicId(name);
    }

    private static List<String> entries(final TestGateway gateway, final String deviceId)
    {
        return gateway.log.stream().filter((entry) -> entry.startsWith(deviceId + " ")).toList();
    }
}
