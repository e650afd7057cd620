package io.pushwire.gateway;

import io.pushwire.link.ConnectionId;
import io.pushwire.link.GatewayProxy;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayLimitsTest
{
    @Test
    void shouldCloseAFrameLargerThanTheLimitAsSoonAsItsLengthArrives()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.maxFrameLength(256)))
        {
            final TestDevice device = harness.session("big", 60);
            device.sendBytes((byte)FrameType.UP, (byte)0xE8, (byte)0x07);
            harness.await("frame too large", () -> device.hasReceived("ERROR FRAME_TOO_LARGE") && device.isClosed());
            assertEquals(1, harness.gateway.counters().decodeErrors.get());
            assertEquals(1, harness.gateway.counters().closes(CloseReason.PROTOCOL_ERROR).get());
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsFasterThanItsRate()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.rateFramesPerSec(5).rateBurstFrames(5)))
        {
            final TestDevice calm = harness.session("calm", 60);
            final TestDevice flood = harness.session("flood", 60);
            for (int i = 0; i < 5; i++)
            {
                calm.ping(60);
            }
            harness.await("five pongs", () -> calm.received.stream().filter((f) -> f.equals("PONG 60")).count() == 5);
            harness.advanceMs(1_000);
            for (int i = 0; i < 5; i++)
            {
                calm.ping(60);
            }
            harness.await("five more pongs in the next second", () -> calm.received.stream().filter((f) -> f.equals("PONG 60")).count() == 10);

            for (int i = 0; i < 6; i++)
            {
                flood.ping(60);
            }
            harness.await("rate limited", () -> flood.hasReceived("ERROR RATE_LIMITED") && flood.isClosed());
            assertEquals(1, harness.gateway.counters().rateLimitedCloses.get());
            assertEquals(1, harness.gateway.counters().closes(CloseReason.RATE_LIMITED).get());
            assertFalse(calm.isClosed());
        }
    }

    @Test
    void shouldServeADeviceThatAcksEveryMessageOfItsPullBatchesUnderTheDefaultRate()
    {
        try (GatewayHarness harness = new GatewayHarness())
        {
            final TestDevice reader = harness.session("reader", 600);
            final TestDevice flood = harness.session("flooder", 600);
            final String id = ConnectionId.toString(reader.sessionId);
            int sent = 0;
            for (int batch = 0; batch < 30; batch++)
            {
                reader.send(FrameEncoder.pull(reader.encodeBuffer(), 0, 0, batch * 64L + 1, batch * 64L + 64));
                for (int seq = 1; seq <= 64; seq++)
                {
                    reader.ack(0, batch * 64L + seq);
                }
                sent += 65;
                final int expected = sent;
                harness.await("batch " + batch + " forwarded",
                    () -> harness.upstream.stream().filter((m) -> m.startsWith("frame " + id)).count() == expected);
                harness.advanceMs(batch < 5 ? 0 : 400);
            }
            reader.ping(600);
            harness.await("still served", () -> reader.hasReceived("PONG 600"));
            assertFalse(reader.isClosed(), "five batches at once, then one every 400 ms, are within the bucket");
            assertEquals(0, harness.gateway.counters().rateLimitedCloses.get());

            for (int i = 0; i < 401; i++)
            {
                flood.ack(0, i + 1);
            }
            harness.await("a flood past the burst is still cut off", () -> flood.hasReceived("ERROR RATE_LIMITED") && flood.isClosed());
            assertEquals(1, harness.gateway.counters().rateLimitedCloses.get());
        }
    }

    @Test
    void shouldCloseASlowConsumerAtTheHardLimit()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.outboundHardLimit(64 * 1024).outboundSoftLimit(32 * 1024)))
        {
            final TestDevice slow = harness.session("slow", 60);
            final TestDevice fine = harness.session("fine", 60);
            slow.setReceiveBuffer(4096);
            slow.reading(false);
            final GatewayProxy proxy = harness.downstream[0];
            final int length = FrameEncoder.up(proxy.frameBuffer(), GatewayProxy.FRAME_OFFSET, 1, 1, new UnsafeBuffer(new byte[8000]), 0, 8000);
            proxy.frameBuffer().putByte(GatewayProxy.FRAME_OFFSET, (byte)FrameType.MSG);
            pushUntil(harness, proxy, slow.sessionId, length, () -> harness.gateway.counters().slowConsumerCloses.get() == 1);

            harness.await("closed slow consumer", slow::probeClosed);
            assertEquals(1, harness.gateway.counters().closes(CloseReason.SLOW_CONSUMER).get());
            assertEquals(0, harness.gateway.counters().outboundBytesQueued.get(), "its queue released");
            harness.await("closed upstream", () -> harness.heard("closed " + ConnectionId.toString(slow.sessionId) + " " + CloseReason.SLOW_CONSUMER));
            fine.ping(60);
            harness.await("other connection still served", () -> fine.hasReceived("PONG 60"));
        }
    }

    @Test
    void shouldCloseASlowConsumerThatStaysOverTheSoftLimit()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx
            .outboundHardLimit(4 * 1024 * 1024).outboundSoftLimit(16 * 1024).outboundSoftTimeMs(5_000).chunksPerReactor(1024)))
        {
            final TestDevice slow = harness.session("soft", 600);
            slow.setReceiveBuffer(4096);
            slow.reading(false);
            final GatewayProxy proxy = harness.downstream[0];
            final int length = FrameEncoder.up(proxy.frameBuffer(), GatewayProxy.FRAME_OFFSET, 1, 1, new UnsafeBuffer(new byte[4000]), 0, 4000);
            proxy.frameBuffer().putByte(GatewayProxy.FRAME_OFFSET, (byte)FrameType.MSG);
            pushUntil(harness, proxy, slow.sessionId, length, () -> harness.gateway.counters().outboundBytesQueued.get() > 16 * 1024);

            harness.advanceMs(4_000);
            harness.workFor(30);
            assertFalse(slow.probeClosed(), "over the soft limit for less than 5 s");
            harness.advanceMs(2_100);
            harness.await("soft limit close", slow::probeClosed);
            assertEquals(1, harness.gateway.counters().slowConsumerCloses.get());
        }
    }

    private static void pushUntil(
        final GatewayHarness harness, final GatewayProxy proxy, final long connectionId, final int length,
        final java.util.function.BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < 5_000 && !done.getAsBoolean(); i++)
        {
            while (proxy.deliver(connectionId, length) < 0)
            {
                harness.work();
                assertTrue(System.nanoTime() < deadline, "pushing took too long");
            }
            harness.work();
        }
        harness.await("pushed enough", done);
    }

    @Test
    void shouldCloseWithOverloadedWhenTheChunkPoolRunsDry()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.chunksPerReactor(2)))
        {
            final List<TestDevice> partial = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final TestDevice device = harness.connect("partial-" + i);
                device.sendBytes((byte)FrameType.HELLO, (byte)40, (byte)1);
                partial.add(device);
                final int accepted = i + 1;
                harness.await("partial " + i + " read", () -> harness.gateway.counters().bytesIn.get() == 3L * accepted ||
                    harness.gateway.counters().chunkPoolExhausted.get() > 0);
            }
            harness.await("third overloaded", () -> partial.get(2).hasReceived("ERROR OVERLOADED") && partial.get(2).isClosed());
            assertEquals(1, harness.gateway.counters().chunkPoolExhausted.get());
            assertEquals(1, harness.gateway.counters().closes(CloseReason.OVERLOADED).get());
            assertFalse(partial.get(0).isClosed());
            assertFalse(partial.get(1).isClosed());
        }
    }

    @Test
    void shouldLeaveTheListenerGroupWhenFullAndRejoinBelowTheLowWaterMark() throws IOException
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.maxConnections(10).capacityHighPercent(80).capacityLowPercent(50)))
        {
            final int port = harness.gateway.port();
            final List<TestDevice> devices = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                devices.add(harness.session("cap-" + i, 60));
            }
            harness.await("listener closed", () -> !harness.gateway.reactor(0).isListening());
            assertEquals(1, harness.gateway.counters().listenerCloses.get());
            assertThrows(IOException.class, () -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)).close(),
                "no listener left on the port: refused");
            harness.await("status says full", () -> harness.upstream.stream().anyMatch((m) -> m.startsWith("status 7 1 8 2")) ||
                tick(harness));

            for (int i = 0; i < 3; i++)
            {
                devices.get(i).bye(CloseReason.CLIENT_CLOSE);
            }
            harness.await("listener reopened", () -> harness.gateway.reactor(0).isListening());
            final TestDevice again = harness.session("cap-again", 60);
            assertFalse(again.isClosed());
        }
    }

    private static boolean tick(final GatewayHarness harness)
    {
        harness.advanceMs(1_000);
        return false;
    }

    @Test
    void shouldPauseReadingUnderLinkBackPressureAndLoseNothing()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.rateFramesPerSec(60_000).upstreamStallTimeoutMs(60_000)))
        {
            final TestDevice device = harness.session("pusher", 600);
            final String id = ConnectionId.toString(device.sessionId);
            harness.stallUpstream();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[2000]);
            final int frames = 100;
            for (int i = 0; i < frames; i++)
            {
                final int length = FrameEncoder.up(device.encodeBuffer(), 0, i, 1, payload, 0, payload.capacity());
                device.send(length);
                harness.work();
            }
            harness.await("back pressure seen", () -> harness.gateway.counters().upstreamBackPressure.get() > 0);
            harness.workFor(100);
            final long seenWhileStalled = harness.gateway.counters().framesIn.get();
            assertTrue(seenWhileStalled < frames + 1, "reading paused: " + seenWhileStalled);
            assertFalse(device.isClosed());

            harness.resumeUpstream();
            harness.await("every frame reaches dispatch", () -> harness.upstream.stream().filter((m) -> m.startsWith("frame " + id)).count() == frames);
            final List<String> ups = harness.upstream.stream().filter((m) -> m.startsWith("frame " + id)).toList();
            for (int i = 0; i < frames; i++)
            {
                assertTrue(ups.get(i).startsWith("frame " + id + " " + FrameType.UP + " " + String.format("%02x", i)), "in order: " + i);
            }
            device.ping(600);
            harness.await("reads resumed", () -> device.hasReceived("PONG 600"));
        }
    }

    @Test
    void shouldLeaveOtherConnectionsBytesInTheirSocketsWhileTheLinkRefuses()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.rateFramesPerSec(60_000).upstreamStallTimeoutMs(60_000)
            .chunksPerReactor(16)))
        {
            final TestDevice pusher = harness.session("pusher", 600);
            final List<TestDevice> others = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                others.add(harness.session("other-" + i, 600));
            }
            harness.stallUpstream();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[2000]);
            for (int i = 0; i < 100 && harness.gateway.counters().upstreamBackPressure.get() == 0; i++)
            {
                pusher.send(FrameEncoder.up(pusher.encodeBuffer(), 0, i, 1, payload, 0, payload.capacity()));
                harness.work();
            }
            harness.await("back pressure seen", () -> harness.gateway.counters().upstreamBackPressure.get() > 0);
            for (int i = 0; i < others.size(); i++)
            {
                final TestDevice other = others.get(i);
                other.send(FrameEncoder.up(other.encodeBuffer(), 0, 1000 + i, 1, payload, 0, 100));
            }
            harness.workFor(200);
            assertEquals(0, harness.gateway.counters().chunkPoolExhausted.get(),
                "40 connections with something to say while the link refuses take no chunk each");
            for (final TestDevice other : others)
            {
                assertFalse(other.isClosed(), "not closed OVERLOADED");
            }

            harness.resumeUpstream();
            for (final TestDevice other : others)
            {
                final String id = ConnectionId.toString(other.sessionId);
                harness.await("frame of " + id + " reaches dispatch",
                    () -> harness.upstream.stream().anyMatch((m) -> m.startsWith("frame " + id + " " + FrameType.UP + " ")));
                other.ping(600);
                harness.await("reads resumed for " + id, () -> other.hasReceived("PONG 600"));
            }
            assertEquals(0, harness.gateway.counters().chunkPoolExhausted.get());
        }
    }

    @Test
    void shouldCloseConnectionsThatWaitForAStalledLinkLongerThanTheStallTimeout()
    {
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.rateFramesPerSec(60_000).upstreamStallTimeoutMs(2_000)))
        {
            final TestDevice device = harness.session("stalled", 600);
            harness.stallUpstream();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[2000]);
            for (int i = 0; i < 100 && harness.gateway.counters().upstreamBackPressure.get() == 0; i++)
            {
                device.send(FrameEncoder.up(device.encodeBuffer(), 0, i, 1, payload, 0, payload.capacity()));
                harness.work();
            }
            harness.await("back pressure seen", () -> harness.gateway.counters().upstreamBackPressure.get() > 0);
            harness.advanceMs(2_500);
            harness.await("closed as overloaded", () -> device.hasReceived("ERROR OVERLOADED") && device.isClosed());
            harness.resumeUpstream();
            harness.await("dispatch hears of the close", () -> harness.heard(
                "closed " + ConnectionId.toString(device.sessionId) + " " + CloseReason.OVERLOADED));
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSendsMalformedBytes()
    {
        final byte[][] malformed =
            {
                { (byte)0x1F, 0 },                              // unknown type
                { (byte)(0x20 | FrameType.PING), 1, 30 },       // flag PING does not define
                { (byte)FrameType.PING, (byte)0x80, 0 },        // non-minimal length varint
                { (byte)FrameType.PING, 0 },                    // PING without its interval
                { (byte)FrameType.PING, 2, 30, 1 },             // trailing bytes
                { (byte)FrameType.ACK, 3, (byte)0x80, 0, 1 },   // non-minimal varint in a body
                { (byte)FrameType.SUB, 3, 1, 1, (byte)0xFF },   // topic not valid UTF-8: BAD_TOPIC
            };
        final String[] expected =
            { "UNKNOWN_TYPE", "BAD_FLAGS", "VARINT_OVERLONG", "TRUNCATED", "TRAILING_BYTES", "VARINT_OVERLONG", "BAD_TOPIC" };
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.rateFramesPerSec(1000)))
        {
            final TestDevice bystander = harness.session("bystander", 600);
            for (int i = 0; i < malformed.length; i++)
            {
                final TestDevice bad = harness.session("bad-" + i, 600);
                bad.sendBytes(malformed[i]);
                final String error = expected[i];
                harness.await("closed with " + error, () -> bad.isClosed() && bad.received.stream().anyMatch((f) -> f.startsWith("ERROR")));
                assertTrue(bad.hasReceived("ERROR " + error), bad::toString);

                bystander.ping(600);
                final int pongs = i + 1;
                harness.await("bystander served", () -> bystander.received.stream().filter((f) -> f.equals("PONG 600")).count() == pongs);
            }
            assertEquals(malformed.length, harness.gateway.counters().decodeErrors.get());
            assertFalse(bystander.isClosed());
        }
    }
}
