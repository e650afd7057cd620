package io.pushwire.gateway;

import io.pushwire.link.GatewayProxy;
import io.pushwire.link.TopicFanoutProxy;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.Protocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back pressure from a reactor's chunk pool to the link: a real media driver, a real gateway in invoker mode and
 * devices on real sockets that stop reading. The test peer offers DELIVER and TOPIC_DELIVER as dispatch does and
 * sees its offers refused once the reactor has paused.
 * <p>
 * Kernel buffers are shaped so the backlog lands in the pool: each slow device reads with a 4 KiB receive buffer
 * and the gateway's sockets get a 16 KiB send buffer ({@code socket-send-buffer}; left alone, it autotunes up to
 * {@code tcp_wmem}'s 4 MiB and swallows a thousand 4 KB MSGs before the pool sees any). A device that resumes
 * reads with a 1 MiB receive buffer: with 4 KiB, loopback TCP moves about 35 KB/s (measured: 86 MSGs of 4 KB in
 * 10 s), which is what made an earlier version of the first test look stalled at 86 MSGs.
 */
class GatewayBackPressureTest
{
    private static final int PAYLOAD_LENGTH = 4000;
    private static final int SEND_BUFFER = 16 * 1024;
    private static final long OFFER_DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long TOPIC = 5;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);

    @Test
    void shouldDeriveTheWaterMarksFromThePoolSize()
    {
        assertEquals(62, PoolBackPressure.pauseBelowChunks(512, 12));
        assertEquals(128, PoolBackPressure.resumeAtChunks(512, 62, 25));
        assertEquals(2, PoolBackPressure.pauseBelowChunks(16, 12));
        assertEquals(4, PoolBackPressure.resumeAtChunks(16, 2, 25));
        assertEquals(1, PoolBackPressure.pauseBelowChunks(2, 12), "at least one chunk");
        assertEquals(2, PoolBackPressure.resumeAtChunks(2, 1, 25), "above the pause mark");
        assertEquals(1, PoolBackPressure.resumeAtChunks(1, 1, 25), "at most every chunk");
    }

    @Test
    void shouldDeliverEveryOfferedMessageInOrderOnceToASlowReaderAfterItResumes()
    {
        final int total = 1_004;
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.socketSendBufferBytes(SEND_BUFFER).chunksPerReactor(16)))
        {
            final TestDevice reader = slowDevice(harness, "slow-reader");
            final TestDevice bystander = harness.session("bystander", 600);
            final GatewayProxy proxy = harness.downstream[0];
            final GatewayCounters counters = harness.gateway.counters();

            int offered = offerUntilRefused(harness, proxy, List.of(reader), total);
            assertTrue(offered < total, "the link refused before all were offered: " + offered);
            assertTrue(harness.gateway.reactor(0).isPausedForPool());
            assertEquals(1, counters.downstreamPauses.get());
            assertEquals(1, counters.reactorsPaused.get());
            bystander.ping(600);
            harness.await("a paused reactor still answers PING", () -> bystander.hasReceived("PONG 600"));

            resumeReading(reader);
            while (offered < total)
            {
                offered++;
                offer(harness, proxy, reader, offered);
            }
            harness.await("every offered message read", () -> reader.messages.size() >= total);
            harness.workFor(50);
            assertEquals(expectedSeqs(0, total), reader.messages, "in order, exactly once");
            assertNothingClosed(counters, reader, bystander);
            harness.await("pool back, reactor resumed", () -> harness.gateway.reactor(0).availableChunks() == 16 &&
                !harness.gateway.reactor(0).isPausedForPool());
            assertEquals(0, counters.reactorsPaused.get());
        }
    }

    @Test
    void shouldPauseRatherThanCloseManySlowConnectionsWhenThePoolRunsLow()
    {
        final int connections = 24;
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.socketSendBufferBytes(SEND_BUFFER).chunksPerReactor(32)))
        {
            final List<TestDevice> slow = new ArrayList<>();
            for (int i = 0; i < connections; i++)
            {
                slow.add(slowDevice(harness, "slow-" + i));
            }
            final TestDevice bystander = harness.session("bystander", 600);
            final GatewayCounters counters = harness.gateway.counters();

            final int offered = offerUntilRefused(harness, harness.downstream[0], slow, 100_000);
            assertTrue(harness.gateway.reactor(0).isPausedForPool());
            harness.workFor(200);
            assertTrue(harness.gateway.reactor(0).isPausedForPool(), "stays paused while nobody reads");
            assertTrue(counters.downstreamPauses.get() >= 1);
            assertEquals(0, counters.closes(CloseReason.OVERLOADED).get(), "no connection closed for the pool");
            assertEquals(0, counters.chunkPoolExhausted.get());
            assertTrue(slow.stream().noneMatch(TestDevice::probeClosed));
            bystander.ping(600);
            harness.await("bystander served while paused", () -> bystander.hasReceived("PONG 600"));

            slow.forEach(GatewayBackPressureTest::resumeReading);
            harness.await("everything offered arrives",
                () -> slow.stream().mapToInt((d) -> d.messages.size()).sum() >= offered);
            harness.workFor(50);
            for (int i = 0; i < connections; i++)
            {
                final int perDevice = offered / connections + (i < offered % connections ? 1 : 0);
                assertEquals(expectedSeqs(0, perDevice), slow.get(i).messages, "device " + i);
            }
            assertNothingClosed(counters, slow.toArray(new TestDevice[0]));
            harness.await("resumed", () -> !harness.gateway.reactor(0).isPausedForPool());
        }
    }

    @Test
    void shouldFinishTopicAndBroadcastFanOutsThatBackPressureStoppedHalfWayInOrder()
    {
        final int connections = 40;
        try (GatewayHarness harness = new GatewayHarness((ctx) -> ctx.socketSendBufferBytes(SEND_BUFFER).chunksPerReactor(16)))
        {
            final List<TestDevice> devices = new ArrayList<>();
            for (int i = 0; i < connections; i++)
            {
                final TestDevice device = slowDevice(harness, "fan-" + i);
                if (i % 2 == 0)
                {
                    while (harness.downstream[0].bindTopic(device.sessionId, TOPIC) < 0)
                    {
                        harness.work();
                    }
                }
                devices.add(device);
            }
            harness.workFor(20);
            final GatewayCounters counters = harness.gateway.counters();
            final TopicFanoutProxy fanout = harness.fanout;

            final List<String> offered = new ArrayList<>();
            long broadcastSeq = 0;
            long topicSeq = 0;
            int refusedInARow = 0;
            final long deadline = System.nanoTime() + OFFER_DEADLINE_NS;
            while (refusedInARow < 200 && offered.size() < 10_000)
            {
                final boolean topic = offered.size() % 3 == 2;
                final long stream = topic ? TOPIC : Protocol.BROADCAST_STREAM_ID;
                final long seq = (topic ? topicSeq : broadcastSeq) + 1;
                final int length = FrameEncoder.msg(fanout.frameBuffer(), GatewayProxy.FRAME_OFFSET, 0, stream, seq, seq, 1,
                    payload, 0, PAYLOAD_LENGTH);
                if (fanout.deliver(stream, length) > 0)
                {
                    offered.add(stream + ":" + seq);
                    broadcastSeq += topic ? 0 : 1;
                    topicSeq += topic ? 1 : 0;
                    refusedInARow = 0;
                }
                else if (counters.downstreamPauses.get() > 0)
                {
                    refusedInARow++;
                }
                harness.work();
                assertTrue(System.nanoTime() < deadline, "offering took too long");
            }
            assertTrue(counters.downstreamPauses.get() >= 1, "fan-outs needing more chunks than the pool has paused");
            assertTrue(harness.gateway.reactor(0).isPausedForPool());
            assertEquals(0, counters.closes(CloseReason.OVERLOADED).get());

            devices.forEach(GatewayBackPressureTest::resumeReading);
            final List<String> toBound = offered;
            final List<String> toAll = offered.stream().filter((m) -> m.startsWith(Protocol.BROADCAST_STREAM_ID + ":")).toList();
            harness.await("every fan-out reaches every connection", () ->
            {
                for (int i = 0; i < connections; i++)
                {
                    if (devices.get(i).messages.size() < (i % 2 == 0 ? toBound : toAll).size())
                    {
                        return false;
                    }
                }
                return true;
            });
            harness.workFor(50);
            for (int i = 0; i < connections; i++)
            {
                assertEquals(i % 2 == 0 ? toBound : toAll, devices.get(i).messages, devices.get(i).deviceId);
            }
            assertNothingClosed(counters, devices.toArray(new TestDevice[0]));
        }
    }

    @Test
    void shouldCloseTheLargestQueuesWhenPausedLongerThanThePoolStallTimeout()
    {
        try (GatewayHarness harness = new GatewayHarness(
            (ctx) -> ctx.socketSendBufferBytes(SEND_BUFFER).chunksPerReactor(16).poolStallTimeoutMs(5_000)))
        {
            final List<TestDevice> silent = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                silent.add(slowDevice(harness, "silent-" + i));
            }
            final TestDevice bystander = harness.session("bystander", 600);
            final GatewayCounters counters = harness.gateway.counters();
            offerUntilRefused(harness, harness.downstream[0], silent, 100_000);
            assertTrue(harness.gateway.reactor(0).isPausedForPool());

            harness.advanceMs(4_000);
            harness.workFor(50);
            assertTrue(harness.gateway.reactor(0).isPausedForPool(), "paused for less than the stall timeout");
            assertEquals(0, counters.slowConsumerCloses.get());

            harness.advanceMs(2_000);
            harness.await("largest queue shed, reactor resumed", () -> counters.slowConsumerCloses.get() > 0 &&
                !harness.gateway.reactor(0).isPausedForPool());
            final long shed = counters.slowConsumerCloses.get();
            assertTrue(shed < silent.size(), "only as many as the pool needed: " + shed);
            assertEquals(shed, counters.closes(CloseReason.SLOW_CONSUMER).get());
            harness.await("the shed connection sees the reset", () -> silent.stream().filter(TestDevice::probeClosed).count() == shed);
            assertEquals(0, counters.closes(CloseReason.OVERLOADED).get());
            bystander.ping(600);
            harness.await("bystander served", () -> bystander.hasReceived("PONG 600"));
            assertFalse(bystander.isClosed());
        }
    }

    private static TestDevice slowDevice(final GatewayHarness harness, final String deviceId)
    {
        final TestDevice device = harness.session(deviceId, 600);
        device.setReceiveBuffer(4096);
        device.reading(false);
        return device;
    }

    private static void resumeReading(final TestDevice device)
    {
        device.setReceiveBuffer(1 << 20);
        device.reading(true);
    }

    /**
     * Offers MSGs to the devices in turn (the n-th offer goes to device {@code n % devices} with that device's next
     * seq) until the link has refused 200 offers in a row after the reactor paused.
     *
     * @return messages offered.
     */
    private int offerUntilRefused(
        final GatewayHarness harness, final GatewayProxy proxy, final List<TestDevice> devices, final int max)
    {
        final GatewayCounters counters = harness.gateway.counters();
        final long deadline = System.nanoTime() + OFFER_DEADLINE_NS;
        int offered = 0;
        int refusedInARow = 0;
        while (refusedInARow < 200 && offered < max)
        {
            final TestDevice device = devices.get(offered % devices.size());
            final long seq = offered / devices.size() + 1;
            final int length = FrameEncoder.msg(proxy.frameBuffer(), GatewayProxy.FRAME_OFFSET, 0, 0, seq, offered + 1, 1,
                payload, 0, PAYLOAD_LENGTH);
            if (proxy.deliver(device.sessionId, length) > 0)
            {
                offered++;
                refusedInARow = 0;
            }
            else if (counters.downstreamPauses.get() > 0)
            {
                refusedInARow++;
            }
            harness.work();
            assertTrue(System.nanoTime() < deadline, "offering took too long: " + offered);
        }
        return offered;
    }

    /**
     * Offers MSG {@code seq} to one device, retrying while the link refuses.
     */
    private void offer(final GatewayHarness harness, final GatewayProxy proxy, final TestDevice device, final long seq)
    {
        final long deadline = System.nanoTime() + OFFER_DEADLINE_NS;
        final int length = FrameEncoder.msg(proxy.frameBuffer(), GatewayProxy.FRAME_OFFSET, 0, 0, seq, seq, 1, payload, 0,
            PAYLOAD_LENGTH);
        while (proxy.deliver(device.sessionId, length) < 0)
        {
            harness.work();
            assertTrue(System.nanoTime() < deadline, "offer " + seq + " refused for too long; read " + device.messages.size());
        }
        harness.work();
    }

    private static List<String> expectedSeqs(final long stream, final int count)
    {
        final List<String> seqs = new ArrayList<>();
        for (int i = 1; i <= count; i++)
        {
            seqs.add(stream + ":" + i);
        }
        return seqs;
    }

    private static void assertNothingClosed(final GatewayCounters counters, final TestDevice... devices)
    {
        assertEquals(0, counters.closes(CloseReason.OVERLOADED).get(), "no OVERLOADED close");
        assertEquals(0, counters.chunkPoolExhausted.get(), "the pool never ran dry");
        assertEquals(0, counters.slowConsumerCloses.get());
        for (final TestDevice device : devices)
        {
            assertFalse(device.probeClosed(), device.deviceId + " still connected");
        }
    }
}
