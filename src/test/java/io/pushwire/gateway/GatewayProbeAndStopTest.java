package io.pushwire.gateway;

import io.pushwire.link.ConnectionId;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.Probe;
import io.pushwire.protocol.Protocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayProbeAndStopTest
{
    @Test
    void shouldAnswerProbesAtOnceUnderTheThresholdAndLaterTheHigherTheLoad() throws IOException
    {
        final AtomicInteger load = new AtomicInteger(100);
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx
            .probePort(0).probeLoadPermille(load::get).probeThresholdPercent(70).probeMaxDelayMs(200));
            DatagramChannel client = DatagramChannel.open())
        {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            client.configureBlocking(false);
            final InetSocketAddress probe = new InetSocketAddress("127.0.0.1", harness.gateway.probePort());

            send(client, probe, 1);
            harness.await("answered at once", () -> receive(client) == 1);

            load.set(850);
            send(client, probe, 2);
            harness.workFor(50);
            assertEquals(-1, receive(client), "held while loaded; the clock has not moved");
            harness.advanceMs(99);
            harness.workFor(30);
            assertEquals(-1, receive(client), "100 ms at 85% (half way from 70% to 100%)");
            harness.advanceMs(2);
            harness.await("answered after its delay", () -> receive(client) == 2);

            final LoadProbeAgent agent = new LoadProbeAgent(new InetSocketAddress("127.0.0.1", 0), harness.clock, load::get,
                () -> 0, () -> 0, harness.gateway.counters(), harness.gateway.context(), 4);
            assertEquals(0, agent.delayMs(700));
            assertTrue(agent.delayMs(800) < agent.delayMs(950));
            assertEquals(200, agent.delayMs(1000));
            agent.onClose();
            assertEquals(2, harness.gateway.counters().probeRequests.get());
            assertEquals(1, harness.gateway.counters().probeDelayed.get());
        }
    }

    private static void send(final DatagramChannel client, final InetSocketAddress to, final long nonce) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Probe.REQUEST_LENGTH));
        Probe.encodeRequest(buffer, 0, nonce);
        client.send(buffer.byteBuffer().clear(), to);
    }

    private static long receive(final DatagramChannel client)
    {
        try
        {
            final ByteBuffer bb = ByteBuffer.allocateDirect(64);
            if (null == client.receive(bb))
            {
                return -1;
            }
            final UnsafeBuffer view = new UnsafeBuffer(bb);
            assertTrue(Probe.isResponse(view, 0, bb.position()));
            return Probe.nonce(view, 0);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void shouldSayByeToEveryConnectionAndTellDispatchWhenStopping()
    {
        final GatewayHarness harness = new GatewayHarness((ctx) -> ctx.stopRatePerSec(1).stopTimeoutMs(300));
        try
        {
            final TestDevice a = harness.session("stop-a", 60);
            final TestDevice b = harness.session("stop-b", 60);
            harness.gateway.close();
            harness.await("both told", () -> a.hasReceived("BYE " + CloseReason.SHUTDOWN) && b.hasReceived("BYE " + CloseReason.SHUTDOWN) &&
                a.isClosed() && b.isClosed());
            harness.await("dispatch told", () -> harness.heard("closed " + ConnectionId.toString(a.sessionId) + " " + CloseReason.SHUTDOWN) &&
                harness.heard("closed " + ConnectionId.toString(b.sessionId) + " " + CloseReason.SHUTDOWN));
        }
        finally
        {
            harness.close();
        }
    }

    @Test
    void shouldRedirectAtTheDrainRateAndLeaveTheListenerGroup()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.redirectTo("127.0.0.1:7101,127.0.0.2:7101")))
        {
            final TestDevice a = harness.session("drain-a", 600);
            final TestDevice b = harness.session("drain-b", 600);
            final TestDevice c = harness.session("drain-c", 600);
            harness.gateway.drain(1);
            harness.workFor(50);
            assertFalse(harness.gateway.reactor(0).isListening(), "left the listener group");
            assertEquals(2, harness.gateway.connections(), "one a second: one at once");
            harness.advanceMs(1_000);
            harness.await("second one", () -> harness.gateway.connections() == 1);
            harness.advanceMs(1_000);
            harness.await("third one", () -> harness.gateway.connections() == 0);
            final String redirect = "REDIRECT " + Protocol.REDIRECT_DRAINING;
            harness.await("all redirected", () -> a.hasReceived(redirect) && b.hasReceived(redirect) && c.hasReceived(redirect));
            harness.advanceMs(1_000);
            harness.await("status says draining", () -> harness.upstream.stream().anyMatch((m) -> m.equals("status 7 1 0 1")));
            assertEquals(3, harness.gateway.counters().closes(CloseReason.DRAINING).get());
        }
    }
}
