package io.pushwire.client;

import io.pushwire.protocol.Probe;
import io.pushwire.protocol.TokenKeys;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSelectorTest
{
    private static final TokenKeys KEYS = TokenKeys.of(1, new byte[32]);

    private TestGateway slow;
    private TestGateway fast;

    @BeforeEach
    void start() throws IOException
    {
        slow = new TestGateway("127.0.0.2", KEYS);
        fast = new TestGateway("127.0.0.3", KEYS);
    }

    @AfterEach
    void stop()
    {
        slow.close();
        fast.close();
    }

    private ServerSelector selector(final String serverName, final long probeTimeoutMs, final TestGateway... gateways)
    {
        final List<InetSocketAddress> fallback = java.util.Arrays.stream(gateways)
            .map(g -> DeviceClient.Context.parseAddress(g.address()))
            .toList();
        return new ServerSelector(serverName, 5222, fallback, 0, 2_000, probeTimeoutMs, SystemNanoClock.INSTANCE,
            new SplittableRandom(7));
    }

    @Test
    void shouldPickTheGatewayThatAnswersTheProbeFirst()
    {
        slow.probeDelayMs = 200;
        final ServerSelector.Selection selection = selector(null, 2_000, slow, fast).select();

        assertEquals(fast.socketAddress(), selection.winner(), "the less-loaded gateway answers first");
        assertEquals(List.of(fast.socketAddress(), slow.socketAddress()), selection.order());
        assertTrue(selection.rttNs() > 0 && selection.rttNs() < 200_000_000L, "rtt " + selection.rttNs());
        assertEquals(1, slow.probesReceived.get());
        assertEquals(1, fast.probesReceived.get());
    }

    @Test
    void shouldSkipADrainingGateway()
    {
        fast.probeFlags = Probe.FLAG_DRAINING;
        slow.probeDelayMs = 100;
        final ServerSelector.Selection selection = selector(null, 2_000, fast, slow).select();

        assertEquals(slow.socketAddress(), selection.winner());
        assertEquals(List.of(slow.socketAddress(), fast.socketAddress()), selection.order(),
            "the draining gateway goes last");
    }

    @Test
    void shouldKeepListOrderWhenNoProbeIsAnswered()
    {
        slow.answerProbes = false;
        fast.answerProbes = false;
        final ServerSelector.Selection selection = selector(null, 150, slow, fast).select();

        assertNull(selection.winner());
        assertEquals(-1, selection.rttNs());
        assertEquals(List.of(slow.socketAddress(), fast.socketAddress()), selection.order());
    }

    @Test
    void shouldUseTheFallbackListWhenDnsFails()
    {
        final List<InetSocketAddress> candidates = selector("does-not-exist.invalid", 100, slow).candidates();
        assertEquals(List.of(slow.socketAddress()), candidates);
    }

    @Test
    void shouldPutDnsResultsBeforeTheFallbackListWithoutDuplicates()
    {
        final ServerSelector selector = new ServerSelector("127.0.0.3", fast.port(),
            List.of(DeviceClient.Context.parseAddress(slow.address()), DeviceClient.Context.parseAddress(fast.address())),
            0, 2_000, 100, SystemNanoClock.INSTANCE, new SplittableRandom(7));
        assertEquals(List.of(fast.socketAddress(), slow.socketAddress()), selector.candidates());
    }
}
