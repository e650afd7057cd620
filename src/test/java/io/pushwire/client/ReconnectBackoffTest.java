package io.pushwire.client;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectBackoffTest
{
    @Test
    void shouldGrowExponentiallyWithJitterWithinBounds()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(1_000, 300_000, 0.5, new SplittableRandom(42));
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final long base = Math.min(300_000, 1_000L << attempt);
            assertEquals(base, backoff.baseDelayMs(attempt));
            final long delay = backoff.nextDelayMs();
            assertTrue(delay <= base && delay >= base / 2, "attempt " + attempt + ": " + delay + " outside " +
                base / 2 + ".." + base);
        }
        assertEquals(20, backoff.attempts());
    }

    @Test
    void shouldSpreadDelaysAcrossDevices()
    {
        final Set<Long> delays = new HashSet<>();
        for (int device = 0; device < 50; device++)
        {
            delays.add(new ReconnectBackoff(1_000, 60_000, 0.5, new SplittableRandom(device)).nextDelayMs());
        }
        assertTrue(delays.size() > 40, "jitter spreads the first reconnect: " + delays.size() + " distinct delays");
    }

    @Test
    void shouldStartOverAfterReset()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(100, 10_000, 0, new SplittableRandom(1));
        assertEquals(100, backoff.nextDelayMs());
        assertEquals(200, backoff.nextDelayMs());
        assertEquals(400, backoff.nextDelayMs());
        backoff.reset();
        assertEquals(100, backoff.nextDelayMs());
    }

    @Test
    void shouldNotOverflowAfterManyAttempts()
    {
        final ReconnectBackoff backoff = new ReconnectBackoff(1_000, 300_000, 0, new SplittableRandom(1));
        assertEquals(300_000, backoff.baseDelayMs(63));
        assertEquals(300_000, backoff.baseDelayMs(Integer.MAX_VALUE));
    }

    @Test
    void shouldRefuseBadSettings()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(0, 10, 0.5, new SplittableRandom()));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(10, 5, 0.5, new SplittableRandom()));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(1, 5, 1.5, new SplittableRandom()));
    }
}
