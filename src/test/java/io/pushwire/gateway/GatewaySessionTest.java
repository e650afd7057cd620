package io.pushwire.gateway;

import io.pushwire.link.ConnectionId;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewaySessionTest
{
    private final GatewayHarness harness = new GatewayHarness();

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void shouldWelcomeHelloAndAnswerPingsWithClampedIntervals()
    {
        final TestDevice device = harness.session("device-1", 2);
        assertEquals("WELCOME 1 5", device.received.get(0), "heartbeat clamped up to the 5 s minimum");
        assertTrue(harness.heard("opened " + ConnectionId.toString(device.sessionId) + " hb=5 body=" + helloBodyLength(device)));
        assertEquals(7, ConnectionId.gatewayId(device.sessionId));

        device.ping(30);
        harness.await("pong 30", () -> device.hasReceived("PONG 30"));
        device.ping(1);
        harness.await("pong clamped up", () -> device.hasReceived("PONG 5"));
        device.ping(100_000);
        harness.await("pong clamped down", () -> device.hasReceived("PONG 600"));
        assertEquals(1, harness.gateway.counters().sessions.get());
        assertEquals(1, harness.gateway.counters().connections.get());
    }

    private int helloBodyLength(final TestDevice device)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = FrameEncoder.hello(buffer, 0, 1, device.deviceId, harness.token(device.deviceId), 2, new long[0], new long[0], 0);
        return length - 2;
    }

    @Test
    void shouldForwardAckSubAndUpUpstreamWithTheirBodies()
    {
        final TestDevice device = harness.session("device-2", 60);
        final String id = ConnectionId.toString(device.sessionId);
        device.ack(5, 300);
        device.sub(9, "news");
        final UnsafeBuffer out = device.encodeBuffer();
        final int upLength = FrameEncoder.up(out, 0, 77, 3, new UnsafeBuffer("hi".getBytes(StandardCharsets.US_ASCII)), 0, 2);
        device.send(upLength);

        harness.await("three frames upstream", () -> harness.upstream.stream().filter((m) -> m.startsWith("frame " + id)).count() == 3);
        assertTrue(harness.heard("frame " + id + " " + FrameType.ACK + " 05ac02"), harness.upstream::toString);
        assertTrue(harness.heard("frame " + id + " " + FrameType.SUB + " 09046e657773"), harness.upstream::toString);
        assertTrue(harness.upstream.stream().anyMatch((m) -> m.startsWith("frame " + id + " " + FrameType.UP + " 4d03")));
    }

    @Test
    void shouldWriteDeliveredFramesAndDropThoseForAGoneGeneration()
    {
        final TestDevice device = harness.session("device-3", 60);
        final int length = FrameEncoder.notify(harness.downstream[0].frameBuffer(), io.pushwire.link.GatewayProxy.FRAME_OFFSET, 0, 12);
        assertTrue(harness.downstream[0].deliver(device.sessionId, length) > 0);
        harness.await("notify delivered", () -> device.received.contains("NOTIFY " + (length - 2)));

        final long stale = ConnectionId.pack(7, 0, ConnectionId.slot(device.sessionId), ConnectionId.generation(device.sessionId) + 1);
        assertTrue(harness.downstream[0].deliver(stale, length) > 0);
        harness.await("stale dropped", () -> harness.gateway.counters().downstreamDropped.get() == 1);
        assertEquals(1, device.received.stream().filter((f) -> f.startsWith("NOTIFY")).count());
    }

    @Test
    void shouldFanTopicFramesOutToBoundConnectionsOnlyAndBroadcastToAll()
    {
        final TestDevice bound = harness.session("bound", 60);
        final TestDevice other = harness.session("other", 60);
        assertTrue(harness.downstream[0].bindTopic(bound.sessionId, 42) > 0);
        harness.workFor(50);

        final int length = FrameEncoder.notify(harness.fanout.frameBuffer(), io.pushwire.link.TopicFanoutProxy.FRAME_OFFSET, 42, 1);
        assertTrue(harness.fanout.deliver(42, length) > 0);
        harness.await("topic frame reached the bound connection", () -> bound.received.stream().anyMatch((f) -> f.startsWith("NOTIFY")));
        harness.workFor(50);
        assertFalse(other.received.stream().anyMatch((f) -> f.startsWith("NOTIFY")), other::toString);

        assertTrue(harness.fanout.deliver(1, length) > 0);
        harness.await("broadcast reached all", () -> other.received.stream().anyMatch((f) -> f.startsWith("NOTIFY")) &&
            bound.received.stream().filter((f) -> f.startsWith("NOTIFY")).count() == 2);

        assertTrue(harness.downstream[0].unbindTopic(bound.sessionId, 42) > 0);
        harness.workFor(50);
        assertTrue(harness.fanout.deliver(42, length) > 0);
        harness.workFor(100);
        assertEquals(2, bound.received.stream().filter((f) -> f.startsWith("NOTIFY")).count());
    }

    @Test
    void shouldSendByeReplacedAndCloseWhenDispatchSaysClose()
    {
        final TestDevice device = harness.session("device-4", 60);
        assertTrue(harness.downstream[0].close(device.sessionId, CloseReason.REPLACED) > 0);
        harness.await("bye and close", () -> device.hasReceived("BYE " + CloseReason.REPLACED) && device.isClosed());
        harness.await("closed upstream", () -> harness.heard("closed " + ConnectionId.toString(device.sessionId) + " " + CloseReason.REPLACED));
        assertEquals(1, harness.gateway.counters().closes(CloseReason.REPLACED).get());
        assertEquals(0, harness.gateway.counters().connections.get());
    }

    @Test
    void shouldCloseOnByeFromTheDevice()
    {
        final TestDevice device = harness.session("device-5", 60);
        device.bye(CloseReason.CLIENT_CLOSE);
        harness.await("closed", () -> harness.heard("closed " + ConnectionId.toString(device.sessionId) + " " + CloseReason.CLIENT_CLOSE));
        harness.await("socket closed", device::isClosed);
    }

    @Test
    void shouldRefuseEachKindOfBadTokenWithItsErrorAndCountIt()
    {
        final long now = System.currentTimeMillis() / 1000;
        final TokenIssuer otherKey = new TokenIssuer(TokenKeys.parse("1:000102030405060708090a0b0c0d0e0f10"));
        final TokenIssuer unknownKey = new TokenIssuer(TokenKeys.parse("9:000102030405060708090a0b0c0d0e0f10"));
        final Object[][] cases =
            {
                { "TOKEN_MALFORMED", new byte[]{ 1, 2, 3 } },
                { "TOKEN_UNKNOWN_KEY", unknownKey.issue(9, "d", now - 10, now + 100) },
                { "TOKEN_BAD_SIGNATURE", otherKey.issue(1, "d", now - 10, now + 100) },
                { "TOKEN_EXPIRED", harness.issuer.issue(1, "d", now - 100, now - 50) },
                { "TOKEN_FUTURE_DATED", harness.issuer.issue(1, "d", now + 3600, now + 7200) },
                { "TOKEN_WRONG_DEVICE", harness.issuer.issue(1, "someone-else", now - 10, now + 100) },
            };
        int failures = 0;
        for (final Object[] c : cases)
        {
            final TestDevice device = harness.connect("d");
            device.hello((byte[])c[1], 60);
            harness.await(c[0] + " refused", () -> device.hasReceived("ERROR " + c[0]) && device.isClosed());
            failures++;
            assertEquals(failures, harness.gateway.counters().authFailures.get());
        }
        assertEquals(failures, harness.gateway.counters().closes(CloseReason.AUTH_FAILED).get());
        assertFalse(harness.upstream.stream().anyMatch((m) -> m.startsWith("opened")), "no session reaches dispatch");
    }

    @Test
    void shouldCloseWithAuthTimeoutWhenNoHelloArrivesInTime()
    {
        final TestDevice device = harness.connect("silent");
        harness.await("accepted", () -> harness.gateway.counters().accepts.get() == 1);
        harness.advanceMs(9_000);
        harness.workFor(50);
        assertFalse(device.isClosed());
        harness.advanceMs(1_200);
        harness.await("auth timeout", () -> device.hasReceived("ERROR AUTH_TIMEOUT") && device.isClosed());
        assertEquals(1, harness.gateway.counters().closes(CloseReason.AUTH_TIMEOUT).get());
    }

    @Test
    void shouldRequireHelloBeforeAnyOtherFrame()
    {
        final TestDevice device = harness.connect("eager");
        device.ping(30);
        harness.await("hello required", () -> device.hasReceived("ERROR HELLO_REQUIRED") && device.isClosed());
        assertEquals(1, harness.gateway.counters().closes(CloseReason.PROTOCOL_ERROR).get());
    }

    @Test
    void shouldRefuseASecondHelloAndServerToClientFrames()
    {
        final TestDevice twice = harness.session("twice", 60);
        twice.hello(harness.token("twice"), 60);
        harness.await("duplicate hello", () -> twice.hasReceived("ERROR DUPLICATE_HELLO") && twice.isClosed());

        final TestDevice wrong = harness.session("wrong", 60);
        wrong.send(FrameEncoder.pong(wrong.encodeBuffer(), 0, 30));
        harness.await("wrong direction", () -> wrong.hasReceived("ERROR WRONG_DIRECTION") && wrong.isClosed());
        harness.await("both closed upstream", () -> harness.upstream.stream().filter((m) -> m.startsWith("closed")).count() == 2);
    }
}
