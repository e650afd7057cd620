package io.pushwire.client;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnect attempts, so that a gateway restart does not bring its devices back in
 * one synchronised storm.
 * <p>
 * Attempt {@code n} (from 0) has a base of {@code min(maxMs, minMs * 2^n)}; the delay is drawn uniformly from
 * {@code [base * (1 - jitter), base]}. So the delay never exceeds {@code maxMs} and, with jitter below 1, never drops
 * below {@code minMs * (1 - jitter)}. {@link #reset()} after a session is established. Not thread-safe: the client's
 * I/O thread owns it.
 */
public final class ReconnectBackoff
{
    private final long minMs;
    private final long maxMs;
    private final double jitter;
    private final RandomGenerator random;
    private int attempts;

    /**
     * @param minMs  the first delay's base, milliseconds, at least 1.
     * @param maxMs  the largest delay, milliseconds, at least {@code minMs}.
     * @param jitter the fraction of the base that is random, 0 to 1.
     * @param random the source of jitter (inject a seeded one in tests).
     */
    public ReconnectBackoff(final long minMs, final long maxMs, final double jitter, final RandomGenerator random)
    {
        if (minMs < 1 || maxMs < minMs || !(jitter >= 0 && jitter <= 1))
        {
            throw new IllegalArgumentException("backoff needs 1 <= min <= max and 0 <= jitter <= 1: min=" + minMs +
                " max=" + maxMs + " jitter=" + jitter);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * @param attempt the attempt number, from 0.
     * @return the base (largest possible) delay for that attempt, milliseconds.
     */
    public long baseDelayMs(final int attempt)
    {
        final int shift = Math.min(attempt, 62);
        final long base = minMs << shift;
        return (base >>> shift) != minMs || base > maxMs ? maxMs : base;
    }

    /**
     * @return the delay before the next attempt, milliseconds; counts the attempt.
     */
    public long nextDelayMs()
    {
        final long base = baseDelayMs(attempts);
        if (attempts < Integer.MAX_VALUE)
        {
            attempts++;
        }
        return base - (long)(random.nextDouble() * jitter * base);
    }

    /**
     * @return the largest delay, milliseconds (used after a KICKED bye).
     */
    public long maxDelayMs()
    {
        return maxMs;
    }

    /**
     * @return attempts since the last {@link #reset()}.
     */
    public int attempts()
    {
        return attempts;
    }

    /**
     * A session was established: the next failure starts again from the minimum.
     */
    public void reset()
    {
        attempts = 0;
    }
}
