package io.pushwire.dispatch;

import io.pushwire.link.CommandErrors;
import io.pushwire.link.CommandMessages;
import io.pushwire.protocol.CloseReason;
import io.pushwire.sender.PushException;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.sender.Who;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageOptionsTest
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
    void shouldCollapseAnUndeliveredOlderMessageAndSayItInAGap()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final long first = harness.push(PushRequest.toDevice("d").payload("score 1-0").collapseKey("score"));
        harness.push(PushRequest.toDevice("d").payload("other"));
        final long third = harness.push(PushRequest.toDevice("d").payload("score 2-0").collapseKey("score"));
        assertEquals(new Receipt(first, 1, 0, 0, 1), harness.receipt(first), "collapsed counts as expired");

        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("d", harness.clock.time(), Map.of());
        harness.await("delivered", () -> device.cursor(0) == 3);
        assertEquals(List.of("NOTIFY 0 3", "GAP 0:1-1:2", "MSG 0 2 other", "MSG 0 3 score 2-0"), device.frames);
        harness.await("receipt", () -> harness.receipt(third).delivered() == 1);
        assertEquals(1, harness.dispatch.counters().collapsed.get());
    }

    @Test
    void shouldExpireByTtlWithoutSleepingAndGapExactlyTheExpiredRanges()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.sweepIntervalMs(100));
        final long m1 = harness.push(PushRequest.toDevice("e").payload("short 1").ttl(Duration.ofSeconds(1)));
        final long m2 = harness.push(PushRequest.toDevice("e").payload("long").ttl(Duration.ofMinutes(1)));
        harness.push(PushRequest.toDevice("e").payload("short 2").ttlMs(1000));
        harness.push(PushRequest.toDevice("e").payload("short 3").ttlMs(1000));
        harness.push(PushRequest.toDevice("e").payload("long 2").ttlMs(60_000));
        harness.clock.advance(2_000);
        harness.await("swept", () -> harness.dispatch.counters().expired.get() == 3);
        assertEquals(new Receipt(m1, 1, 0, 0, 1), harness.receipt(m1));
        assertEquals(new Receipt(m2, 1, 0, 1, 0), harness.receipt(m2));

        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("e", harness.clock.time(), Map.of());
        harness.await("delivered", () -> device.cursor(0) == 5);
        assertEquals(List.of("NOTIFY 0 5", "GAP 0:1-1:1", "MSG 0 2 long", "GAP 0:3-4:1", "MSG 0 5 long 2"), device.frames);
    }

    @Test
    void shouldAnswerBadCommandsWithAClearErrorAndChangeNothing()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.maxPayload(100).maxTtlMs(60_000).defaultTtlMs(1000));
        harness.settle();
        final long appends = harness.agent().store().appends();
        final int devices = harness.state().devices().size();

        assertError(CommandErrors.UNKNOWN_TARGET_KIND, PushRequest.raw(9, List.of("x")).payload("p"));
        assertError(CommandErrors.EMPTY_PAYLOAD, PushRequest.toDevice("x"));
        assertError(CommandErrors.PAYLOAD_TOO_LARGE, PushRequest.toDevice("x").payload(new byte[101]));
        assertError(CommandErrors.TTL_TOO_LONG, PushRequest.toDevice("x").payload("p").ttl(Duration.ofMinutes(2)));
        assertError(CommandErrors.BAD_PRIORITY, PushRequest.toDevice("x").payload("p").priority(5));
        assertError(CommandErrors.UNKNOWN_ALIAS, PushRequest.toAlias("nobody").payload("p"));
        assertError(CommandErrors.UNKNOWN_TOPIC, PushRequest.toTopic("never").payload("p"));
        assertError(CommandErrors.BAD_TARGET, PushRequest.raw(CommandMessages.TARGET_BROADCAST, List.of("x")).payload("p"));
        assertError(CommandErrors.BAD_TARGET, PushRequest.toDevices(List.of("ok", "")).payload("p"));
        final PushException unknownMessage = assertThrowsPush(() -> harness.receipt(42));
        assertEquals(CommandErrors.UNKNOWN_MESSAGE, unknownMessage.code());
        final PushException unknownDevice = assertThrowsPush(() -> harness.who("ghost"));
        assertEquals(CommandErrors.UNKNOWN_DEVICE, unknownDevice.code());
        assertTrue(unknownDevice.getMessage().contains("ghost"), unknownDevice.getMessage());

        harness.settle();
        assertEquals(appends, harness.agent().store().appends(), "nothing stored");
        assertEquals(devices, harness.state().devices().size(), "no device created");
        assertEquals(11, harness.dispatch.counters().pushesRejected.get());
        assertTrue(harness.push(PushRequest.toDevice("x").payload("fine")) > 0, "and dispatch still works");
    }

    @Test
    void shouldRefuseACommandLongerThanTheLinkCarriesBeforeSendingIt()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            many.add("a-rather-long-device-id-" + i);
        }
        final PushException ex = harness.pushFails(PushRequest.toDevices(many).payload("p"));
        assertEquals(PushException.NOT_SENT, ex.code());
        assertTrue(ex.getMessage().contains("maximum message length"), ex.getMessage());
        assertEquals(0, harness.state().devices().size());
    }

    @Test
    void shouldPushToAnAliasAndToADeviceListAndHonourIdempotencyKeys()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice phone = gateway.connect("alice-phone", harness.clock.time(), Map.of());
        final TestDevice tablet = gateway.connect("alice-tablet", harness.clock.time(), Map.of());
        harness.bindAlias("alice", "alice-phone");
        harness.bindAlias("alice", "alice-tablet");
        final long toAlice = harness.push(PushRequest.toAlias("alice").payload("hi alice"));
        harness.await("both devices", () -> phone.processed().size() == 1 && tablet.processed().size() == 1);
        harness.await("receipt", () -> harness.receipt(toAlice).delivered() == 2);

        final long list = harness.push(PushRequest.toDevices(List.of("alice-phone", "bob", "alice-phone")).payload("list"));
        assertEquals(2, harness.receipt(list).targets(), "duplicates in the list count once");

        final long appends = harness.agent().store().appends();
        final long once = harness.push(PushRequest.toDevice("bob").payload("pay").idempotencyKey("order-17"));
        final long appendsAfterFirst = harness.agent().store().appends();
        final long again = harness.push(PushRequest.toDevice("bob").payload("pay").idempotencyKey("order-17"));
        assertEquals(once, again);
        assertTrue(appendsAfterFirst > appends);
        assertEquals(appendsAfterFirst, harness.agent().store().appends(), "a repeat stores nothing");
        assertEquals(2, harness.state().deviceStream(harness.state().devices().lookup("bob")).head());
    }

    @Test
    void shouldTellWhoADeviceIsAndKickIt()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(5, 2);
        final TestDevice device = gateway.connect("watched", harness.clock.time(), Map.of());
        device.sub(1, "alerts");
        harness.await("subscribed", () -> device.subAcks.size() == 1);
        harness.push(PushRequest.toDevice("watched").payload("x"));
        harness.await("acked", () -> harness.state().deviceStream(0).acked() == 1);

        final Who who = harness.who("watched");
        assertTrue(who.online());
        assertEquals(5, who.gatewayId());
        assertEquals(device.connectionId, who.connectionId());
        assertEquals(60, who.heartbeatSec());
        assertEquals(List.of(new Who.StreamState(0, 1, 1), new Who.StreamState(1, 0, 0), new Who.StreamState(2, 0, 0)),
            who.streams());

        harness.kick("watched");
        harness.await("kicked", () -> device.closedReason == CloseReason.KICKED);
        assertFalse(harness.who("watched").online());
    }

    @Test
    void shouldStoreUpstreamMessagesAndAnswerUpAck()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice device = gateway.connect("talker", harness.clock.time(), Map.of());
        device.up(99, "from the device");
        harness.await("up acked", () -> device.upAcks.contains(99L));
        assertEquals(1, harness.state().upMessages);
        assertEquals(1, harness.dispatch.counters().upMessages.get());
    }

    private void assertError(final int code, final PushRequest request)
    {
        final PushException ex = harness.pushFails(request);
        assertEquals(code, ex.code(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(CommandErrors.name(code)), ex.getMessage());
    }

    private static PushException assertThrowsPush(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final PushException ex)
        {
            return ex;
        }
        throw new AssertionError("expected a PushException");
    }
}
