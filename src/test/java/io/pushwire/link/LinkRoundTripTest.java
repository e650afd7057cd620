package io.pushwire.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkRoundTripTest
{
    private EmbeddedDriver driver;
    private Aeron aeron;
    private final List<String> heard = new ArrayList<>();

    @BeforeEach
    void start()
    {
        driver = new EmbeddedDriver();
        aeron = driver.connect();
    }

    @AfterEach
    void stop()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void shouldCarryUpstreamMessagesFromReactorToDispatch()
    {
        final Subscription subscription = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        final ExclusivePublication publication =
            aeron.addExclusivePublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        final DispatchProxy proxy = new DispatchProxy(publication, 1024);
        final UpstreamAdapter adapter = new UpstreamAdapter(subscription, new RecordingUpstream());
        Await.until("upstream connected", 5_000, publication::isConnected);

        final long connectionId = ConnectionId.pack(3, 1, 77, 5);
        final UnsafeBuffer body = new UnsafeBuffer("hello-body".getBytes(StandardCharsets.US_ASCII));
        assertTrue(proxy.sessionOpened(connectionId, 1_700_000_000_000L, 270, body, 0, body.capacity()) > 0);
        assertTrue(proxy.deviceFrame(connectionId, 8, body, 0, 5) > 0);
        assertTrue(proxy.sessionClosed(connectionId, 4) > 0);
        assertTrue(proxy.gatewayStatus(3, 99L, 1234L, 2, 10_000, LinkMessages.STATUS_FLAG_DRAINING, "v1.2") > 0);

        Await.until(heard::toString, 5_000, () -> adapter.poll(10) >= 0 && heard.size() == 4);
        assertEquals(List.of(
            "opened 3/1/77/5 1700000000000 270 hello-body",
            "frame 3/1/77/5 8 hello",
            "closed 3/1/77/5 4",
            "status 3 99 1234 2 10000 1 v1.2"), heard);
    }

    @Test
    void shouldCarryDownstreamAndTopicMessagesToReactor()
    {
        final int streamId = LinkConfiguration.downstreamStreamId(3, 1);
        final Subscription downstream = aeron.addSubscription(EmbeddedDriver.ipcChannel(), streamId);
        final Subscription topics = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.TOPIC_STREAM_ID);
        final Publication downPub = aeron.addExclusivePublication(EmbeddedDriver.ipcChannel(), streamId);
        final Publication topicPub = aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.TOPIC_STREAM_ID);
        final GatewayProxy gateway = new GatewayProxy(downPub, 2048);
        final TopicFanoutProxy fanout = new TopicFanoutProxy(topicPub, 2048);
        final RecordingDownstream listener = new RecordingDownstream();
        final DownstreamAdapter down = new DownstreamAdapter(downstream, listener);
        final DownstreamAdapter topic = new DownstreamAdapter(topics, listener);
        Await.until("downstream connected", 5_000, () -> downPub.isConnected() && topicPub.isConnected());

        final long connectionId = ConnectionId.pack(3, 1, 9, 1);
        gateway.frameBuffer().putStringWithoutLengthAscii(GatewayProxy.FRAME_OFFSET, "frame");
        assertTrue(gateway.deliver(connectionId, 5) > 0);
        assertTrue(gateway.bindTopic(connectionId, 42) > 0);
        assertTrue(gateway.unbindTopic(connectionId, 42) > 0);
        assertTrue(gateway.close(connectionId, 2) > 0);
        final UnsafeBuffer frame = new UnsafeBuffer("bcast".getBytes(StandardCharsets.US_ASCII));
        assertTrue(fanout.deliver(1, frame, 0, 5) > 0);

        Await.until(heard::toString, 5_000, () -> down.poll(10) + topic.poll(10) >= 0 && heard.size() == 5);
        assertEquals(List.of(
            "deliver 3/1/9/1 frame",
            "bind 3/1/9/1 42",
            "unbind 3/1/9/1 42",
            "close 3/1/9/1 2",
            "topic 1 bcast"), heard);
    }

    @Test
    void shouldPackAndUnpackConnectionIds()
    {
        final long id = ConnectionId.pack(4095, 15, ConnectionId.MAX_SLOTS - 1, ConnectionId.GENERATION_MASK);
        assertEquals(4095, ConnectionId.gatewayId(id));
        assertEquals(15, ConnectionId.reactor(id));
        assertEquals(ConnectionId.MAX_SLOTS - 1, ConnectionId.slot(id));
        assertEquals(ConnectionId.GENERATION_MASK, ConnectionId.generation(id));
        assertEquals("0/2/3/1", ConnectionId.toString(ConnectionId.pack(0, 2, 3, 1)));
    }

    private static String ascii(final DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    private final class RecordingUpstream implements UpstreamListener
    {
        public void onSessionOpened(
            final long connectionId, final long openedAtMs, final int heartbeatSec, final DirectBuffer buffer, final int offset, final int length)
        {
            heard.add("opened " + ConnectionId.toString(connectionId) + " " + openedAtMs + " " + heartbeatSec + " " + ascii(buffer, offset, length));
        }

        public void onSessionClosed(final long connectionId, final int closeReason)
        {
            heard.add("closed " + ConnectionId.toString(connectionId) + " " + closeReason);
        }

        public void onDeviceFrame(final long connectionId, final int frameType, final DirectBuffer buffer, final int offset, final int length)
        {
            heard.add("frame " + ConnectionId.toString(connectionId) + " " + frameType + " " + ascii(buffer, offset, length));
        }

        public void onGatewayStatus(
            final int gatewayId, final long instanceId, final long timestampMs, final int reactorCount, final int connections,
            final int flags, final String versionLabel)
        {
            heard.add("status " + gatewayId + " " + instanceId + " " + timestampMs + " " + reactorCount + " " + connections + " " +
                flags + " " + versionLabel);
        }
    }

    private final class RecordingDownstream implements DownstreamListener
    {
        public boolean onDeliver(final long connectionId, final DirectBuffer buffer, final int offset, final int length)
        {
            heard.add("deliver " + ConnectionId.toString(connectionId) + " " + ascii(buffer, offset, length));
            return true;
        }

        public void onClose(final long connectionId, final int closeReason)
        {
            heard.add("close " + ConnectionId.toString(connectionId) + " " + closeReason);
        }

        public void onTopicBind(final long connectionId, final long topicStreamId)
        {
            heard.add("bind " + ConnectionId.toString(connectionId) + " " + topicStreamId);
        }

        public void onTopicUnbind(final long connectionId, final long topicStreamId)
        {
            heard.add("unbind " + ConnectionId.toString(connectionId) + " " + topicStreamId);
        }

        public boolean onTopicDeliver(final long topicStreamId, final DirectBuffer buffer, final int offset, final int length)
        {
            heard.add("topic " + topicStreamId + " " + ascii(buffer, offset, length));
            return true;
        }
    }
}
