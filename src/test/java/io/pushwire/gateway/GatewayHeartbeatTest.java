package io.pushwire.gateway;

import io.pushwire.link.ConnectionId;
import io.pushwire.protocol.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GatewayHeartbeatTest
{
    private final GatewayHarness harness = new GatewayHarness();

    @AfterEach
    void stop()
    {
        harness.close();
    }

    @Test
    void shouldCloseAMissedHeartbeatAfterOneAndAHalfAnnouncedIntervals()
    {
        final TestDevice device = harness.session("hb-1", 10);
        harness.advanceMs(14_000);
        harness.workFor(30);
        assertFalse(device.isClosed(), "alive at 14 s of a 10 s interval");

        harness.advanceMs(1_200);
        harness.await("heartbeat timeout", () -> device.hasReceived("BYE " + CloseReason.HEARTBEAT_TIMEOUT) && device.isClosed());
        harness.await("closed upstream", () -> harness.heard(
            "closed " + ConnectionId.toString(device.sessionId) + " " + CloseReason.HEARTBEAT_TIMEOUT));
        assertEquals(1, harness.gateway.counters().closes(CloseReason.HEARTBEAT_TIMEOUT).get());
    }

    @Test
    void shouldMoveTheDeadlineWithEachPingsInterval()
    {
        final TestDevice device = harness.session("hb-2", 10);
        harness.advanceMs(14_000);
        device.ping(60);
        harness.await("pong", () -> device.hasReceived("PONG 60"));

        harness.advanceMs(85_000);
        harness.workFor(30);
        assertFalse(device.isClosed(), "alive 85 s after announcing 60 s (deadline 90 s)");

        device.ping(20);
        harness.await("second pong", () -> device.hasReceived("PONG 20"));
        harness.advanceMs(29_000);
        harness.workFor(30);
        assertFalse(device.isClosed(), "alive 29 s after announcing 20 s");
        harness.advanceMs(1_300);
        harness.await("closed after the shorter interval", () -> device.isClosed() &&
            device.hasReceived("BYE " + CloseReason.HEARTBEAT_TIMEOUT));
    }

    @Test
    void shouldKeepOtherConnectionsAliveWhenOneTimesOut()
    {
        final TestDevice quiet = harness.session("quiet", 10);
        final TestDevice chatty = harness.session("chatty", 10);
        for (int i = 0; i < 4; i++)
        {
            harness.advanceMs(5_000);
            chatty.ping(10);
            final int pongs = i + 1;
            harness.await("pong " + pongs, () -> chatty.received.stream().filter((f) -> f.equals("PONG 10")).count() == pongs);
        }
        harness.await("quiet one closed", quiet::isClosed);
        assertFalse(chatty.isClosed());
    }
}
