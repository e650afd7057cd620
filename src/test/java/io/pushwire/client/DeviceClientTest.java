package io.pushwire.client;

import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SDK against real sockets: {@link TestGateway}s on 127.0.0.2 and 127.0.0.3 speak the device protocol; the client
 * is the real {@link DeviceClient} with short test intervals.
 */
class DeviceClientTest
{
    private static final TokenKeys KEYS = TokenKeys.of(1, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String DEVICE_ID = "dev-7f3a9c";
    private static final long TIMEOUT_MS = 5_000;

    @TempDir
    Path dir;

    private TestGateway gw2;
    private TestGateway gw3;
    private final RecordingListener listener = new RecordingListener();
    private final List<DeviceClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException
    {
        gw2 = new TestGateway("127.0.0.2", KEYS);
        gw3 = new TestGateway("127.0.0.3", KEYS);
    }

    @AfterEach
    void stop()
    {
        clients.forEach(DeviceClient::close);
        gw2.close();
        gw3.close();
    }

    private static byte[] token(final String deviceId)
    {
        final long nowSec = System.currentTimeMillis() / 1000;
        return new TokenIssuer(KEYS).issue(1, deviceId, nowSec - 10, nowSec + 3600);
    }

    private DeviceClient.Context context(final String... addresses)
    {
        return new DeviceClient.Context()
            .deviceId(DEVICE_ID)
            .token(token(DEVICE_ID))
            .fallbackAddresses(List.of(addresses))
            .probeTimeoutMs(300)
            .connectTimeoutMs(1_000)
            .welcomeTimeoutMs(2_000)
            .heartbeat(30, 1, 60)
            .pongTimeoutMs(500)
            .reconnectBackoff(20, 200, 0.5)
            .cursorFile(dir.resolve("pushwire.state"))
            .cursorFlushIntervalMs(0)
            .pullRetryMs(300)
            .listener(listener);
    }

    private DeviceClient start(final DeviceClient.Context ctx)
    {
        final DeviceClient client = DeviceClient.start(ctx);
        clients.add(client);
        return client;
    }

    private DeviceClient connect(final TestGateway gateway)
    {
        final DeviceClient client = start(context(gateway.address()));
        awaitConnected(client, gateway, 1);
        return client;
    }

    private static void awaitConnected(final DeviceClient client, final TestGateway gateway, final int hellos)
    {
        await(() -> "session " + hellos + " on " + gateway.address() + ", state " + client.state(),
            () -> gateway.hellos.size() >= hellos && ConnectionState.CONNECTED == client.state() &&
                gateway.socketAddress().equals(client.currentServer()));
    }

    private static void await(final Supplier<String> what, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for: " + what.get());
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        await(() -> what, condition);
    }

    private static List<String> unicast(final long... seqs)
    {
        final List<String> expected = new ArrayList<>();
        for (final long seq : seqs)
        {
            expected.add("0:" + seq + ":m" + seq);
        }
        return expected;
    }

    private static void storeUnicast(final TestGateway gateway, final int count)
    {
        for (int i = 1; i <= count; i++)
        {
            gateway.store(Protocol.UNICAST_STREAM_ID, "m" + i);
        }
    }

    @Test
    void shouldFailOverToTheFallbackListWhenDnsFails()
    {
        final DeviceClient client = start(context(gw2.address()).serverName("does-not-exist.invalid").dnsTimeoutMs(2_000));
        awaitConnected(client, gw2, 1);

        assertEquals(DEVICE_ID, gw2.hellos.getFirst().deviceId());
        assertEquals(Map.of(0L, 0L, 1L, 0L), gw2.hellos.getFirst().cursors());
        assertEquals(gw2.socketAddress(), listener.selected.getFirst());
        await("onConnected", () -> listener.sessions.size() == 1);
        assertEquals(gw2.socketAddress(), listener.sessions.getFirst().server());
    }

    @Test
    void shouldConnectToTheGatewayThatWinsTheProbeRace()
    {
        gw2.probeDelayMs = 250;
        final DeviceClient client = start(context(gw2.address(), gw3.address()));
        awaitConnected(client, gw3, 1);

        assertEquals(0, gw2.connectionsAccepted.get(), "the loaded gateway was not used");
        assertEquals(gw3.socketAddress(), listener.selected.getFirst());
        assertTrue(listener.selectedRttNs.getFirst() >= 0, "probe rtt reported");
    }

    @Test
    void shouldConnectInListOrderWhenNoProbeAnswers()
    {
        gw2.answerProbes = false;
        gw3.answerProbes = false;
        final DeviceClient client = start(context(gw2.address(), gw3.address()));
        awaitConnected(client, gw2, 1);

        assertTrue(gw2.probesReceived.get() >= 1 && gw3.probesReceived.get() >= 1, "both were probed");
        assertEquals(-1L, listener.selectedRttNs.getFirst());
    }

    @Test
    void shouldFallBackToTheNextAddressWhenTheFirstRefusesConnections() throws IOException
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.4")))
        {
            closedPort = probe.getLocalPort();
        }
        gw2.answerProbes = false;
        final DeviceClient client = start(context("127.0.0.4:" + closedPort, gw2.address()));
        awaitConnected(client, gw2, 1);
        assertEquals(gw2.socketAddress(), listener.selected.getFirst());
    }

    @Test
    void shouldDeliverInOrderAndAckAfterTheCallback()
    {
        final DeviceClient client = connect(gw2);
        storeUnicast(gw2, 3);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);
        gw2.sendMsg(0, 3);

        await(() -> "3 messages: " + listener.messages, () -> listener.messages.size() == 3);
        assertEquals(unicast(1, 2, 3), listener.messages);
        await("ACK of seq 3", () -> gw2.highestAck(0) == 3);
        assertEquals(3, client.cursor(0));
        assertEquals(3, client.stats().messagesDelivered());
    }

    @Test
    void shouldDropDuplicatesAndAckTheCursorAgain()
    {
        final DeviceClient client = connect(gw2);
        storeUnicast(gw2, 2);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);
        await("ACK of seq 2", () -> gw2.highestAck(0) == 2);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);

        await(() -> "2 duplicates dropped: " + client.stats(), () -> client.stats().duplicatesDropped() == 2);
        assertEquals(unicast(1, 2), listener.messages);
        await("the cursor ACKed again", () -> gw2.acks.stream().filter(a -> a.seq() == 2).count() >= 2);
    }

    @Test
    void shouldAckTheCursorOnANotifyForWhatItAlreadyHolds()
    {
        connect(gw2);
        storeUnicast(gw2, 2);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);
        await("ACK of seq 2", () -> gw2.highestAck(0) == 2);
        final long acksBefore = gw2.acks.stream().filter(a -> a.seq() == 2).count();

        gw2.sendNotify(0, 2); // as dispatch does after a restart that lost the stored ACK
        await("the cursor ACKed again on the NOTIFY",
            () -> gw2.acks.stream().filter(a -> a.seq() == 2).count() > acksBefore);
        assertEquals(0, gw2.pulls.size(), "nothing to pull: " + gw2.pulls);
    }

    @Test
    void shouldKeepCursorsAcrossRestartsAndDropWhatWasSeen()
    {
        final DeviceClient first = connect(gw2);
        storeUnicast(gw2, 4);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);
        gw2.sendMsg(0, 3);
        await("3 messages", () -> listener.messages.size() == 3);
        first.close();
        await("BYE from the closing client", () -> gw2.byes.contains(CloseReason.CLIENT_CLOSE));

        final DeviceClient second = start(context(gw2.address()));
        awaitConnected(second, gw2, 2);
        assertEquals(3L, gw2.hellos.get(1).cursors().get(0L), "HELLO carries the persisted cursor");
        gw2.sendMsg(0, 3);
        gw2.sendMsg(0, 4);

        await("message 4", () -> listener.messages.size() == 4);
        assertEquals(unicast(1, 2, 3, 4), listener.messages);
        assertEquals(1, second.stats().duplicatesDropped());
    }

    @Test
    void shouldDeliverExactlyOnceWhenAnAckIsLost()
    {
        gw2.ignoreAcks = true;
        gw2.resendUnackedOnHello = true;
        final DeviceClient client = connect(gw2);
        storeUnicast(gw2, 3);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);
        gw2.sendMsg(0, 3);
        await("3 messages", () -> listener.messages.size() == 3);

        gw2.dropConnection();
        awaitConnected(client, gw2, 2);
        await(() -> "resent messages dropped: " + client.stats(), () -> client.stats().duplicatesDropped() == 3);
        assertEquals(unicast(1, 2, 3), listener.messages);
        assertEquals(1, client.stats().reconnects());
    }

    @Test
    void shouldPullTheExactMissingRangeOnNotifyInWindows()
    {
        final DeviceClient client = start(context(gw2.address()).pullWindow(2));
        awaitConnected(client, gw2, 1);
        storeUnicast(gw2, 5);
        gw2.sendNotify(0, 5);

        await(() -> "5 messages: " + listener.messages, () -> listener.messages.size() == 5);
        assertEquals(unicast(1, 2, 3, 4, 5), listener.messages);
        assertEquals(List.of(
            new TestGateway.Range(0, 1, 2), new TestGateway.Range(0, 3, 4), new TestGateway.Range(0, 5, 5)), gw2.pulls);
    }

    @Test
    void shouldReportAGapAndMovePastIt()
    {
        final DeviceClient client = connect(gw2);
        storeUnicast(gw2, 5);
        gw2.expire(0, 3, 4);
        gw2.sendNotify(0, 5);

        await(() -> "message 5: " + listener.messages, () -> listener.messages.size() == 3);
        assertEquals(unicast(1, 2, 5), listener.messages);
        assertEquals(List.of("0:3-4:" + Protocol.GAP_EXPIRED), listener.gaps);
        assertEquals(5, client.cursor(0));
        await("ACK of seq 5", () -> gw2.highestAck(0) == 5);
    }

    @Test
    void shouldFillAHoleWithPullAndKeepTheOrder()
    {
        final DeviceClient client = connect(gw2);
        storeUnicast(gw2, 4);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 4);

        await(() -> "4 messages: " + listener.messages, () -> listener.messages.size() == 4);
        assertEquals(unicast(1, 2, 3, 4), listener.messages);
        assertTrue(gw2.pulls.contains(new TestGateway.Range(0, 2, 3)), "pulled exactly the hole: " + gw2.pulls);
        assertEquals(4, client.cursor(0));
    }

    @Test
    void shouldNotAckAMessageWhoseCallbackThrew() throws InterruptedException
    {
        listener.failOn = seq -> seq == 2;
        final DeviceClient client = start(context(gw2.address()).pullRetryMs(800));
        awaitConnected(client, gw2, 1);
        storeUnicast(gw2, 2);
        gw2.sendMsg(0, 1);
        gw2.sendMsg(0, 2);

        await("the callback failure", () -> client.stats().callbackFailures() >= 1);
        await("ACK of seq 1", () -> gw2.highestAck(0) == 1);
        Thread.sleep(100);
        assertEquals(1, gw2.highestAck(0), "seq 2 is not acknowledged");
        assertEquals(1, client.cursor(0));

        listener.failOn = seq -> false;
        await(() -> "seq 2 redelivered: " + listener.messages, () -> listener.messages.size() == 2);
        assertEquals(unicast(1, 2), listener.messages);
        await("ACK of seq 2", () -> gw2.highestAck(0) == 2);
    }

    @Test
    void shouldMoveToTheServerNamedByRedirect()
    {
        final DeviceClient client = connect(gw2);
        gw2.sendRedirect(10, gw3.host(), gw3.port());

        awaitConnected(client, gw3, 1);
        assertEquals(1, client.stats().redirects());
        assertTrue(listener.states.contains(ConnectionState.BACKING_OFF));
    }

    @Test
    void shouldStopReconnectingAfterByeReplaced() throws InterruptedException
    {
        final DeviceClient client = connect(gw2);
        gw2.sendBye(CloseReason.REPLACED);

        await("CLOSED", () -> ConnectionState.CLOSED == client.state());
        assertEquals(List.of(CloseReason.REPLACED), listener.byes);
        Thread.sleep(300);
        assertEquals(1, gw2.connectionsAccepted.get(), "no reconnect after REPLACED");
    }

    @Test
    void shouldGrowTheHeartbeatAndBackOffWhenPongsStop()
    {
        final DeviceClient client = start(context(gw2.address()).heartbeat(1, 1, 10).heartbeatGrowth(1, 1, 60_000)
            .pongTimeoutMs(400));
        awaitConnected(client, gw2, 1);
        assertEquals(1, gw2.hellos.getFirst().heartbeatSec());

        await("the first PONG grows the interval", () -> client.heartbeatIntervalSec() == 2);
        gw2.answerPings = false;

        awaitConnected(client, gw2, 2);
        assertEquals(List.of(1, 2), gw2.pings, "every PING carries the interval until the next");
        assertEquals(1, gw2.hellos.get(1).heartbeatSec(), "back to the last good interval after the failure");
        assertEquals(1, client.stats().heartbeatFailures());
    }

    @Test
    void shouldSubscribeFromTheHeadOrFromTheStartAndSendUpstream() throws Exception
    {
        gw2.topic("news", 17);
        gw2.topic("sports", 18);
        for (int i = 1; i <= 5; i++)
        {
            gw2.store(17, "n" + i);
        }
        gw2.store(18, "s1");
        gw2.store(18, "s2");
        final DeviceClient client = connect(gw2);

        final Subscription news = client.subscribe("news", false).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(new Subscription("news", 17, 5), news);
        assertEquals(5, client.cursor(17), "starts at the head: no history");

        client.subscribe("sports", true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        await(() -> "the topic's history: " + listener.messages, () -> listener.messages.size() == 2);
        assertEquals(List.of("18:1:s1", "18:2:s2"), listener.messages);

        client.send(9, "hi".getBytes(StandardCharsets.UTF_8)).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(List.of("9:hi"), gw2.ups);

        final Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> client.subscribe("unknown", false).get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(ErrorCode.BAD_TOPIC, ((RequestFailedException)refused.getCause()).status());
    }

    @Test
    void shouldReportATokenRefusal()
    {
        final DeviceClient client = start(context(gw2.address()).token(token("another-device")));
        await(() -> "the token error: " + listener.errors, () -> !listener.errors.isEmpty());
        assertEquals(ErrorCode.TOKEN_WRONG_DEVICE, gw2.authFailures.getFirst());
        assertTrue(listener.errors.getFirst().startsWith(ErrorCode.TOKEN_WRONG_DEVICE + ":"));
        assertFalse(ConnectionState.CONNECTED == client.state());
    }
}
