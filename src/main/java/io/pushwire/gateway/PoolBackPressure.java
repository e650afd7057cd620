package io.pushwire.gateway;

import io.pushwire.buffer.SingleThreadChunkPool;

/**
 * A reactor's back pressure on the dispatch link, driven by its chunk pool: while fewer than
 * {@code pool-pause-percent} of the chunks are free the reactor takes no DELIVER from its downstream stream
 * and writes no topic or broadcast frame to another connection; it takes them again once
 * {@code pool-resume-percent} are free (hysteresis). What it does not take stays in the Aeron log, so the
 * link fills and dispatch's offers to this reactor fail: dispatch keeps the message in its store and tells
 * the device by NOTIFY later. Nothing is dropped and no connection is closed for the pool.
 * <p>
 * <b>Why the marks.</b> Below the pause mark the pool is a reserve for what the reactor cannot hold back: the
 * remainder of PONG, WELCOME, ERROR or BYE frames a full socket did not take, partial inbound frames, and the
 * one delivery that was being written when the mark was crossed (a delivery is checked before it is written,
 * so it overshoots by at most its own chunks). About 1/8 of the default 512 chunks is 62 chunks (496 KiB): many
 * times a largest delivery (a 4 KiB payload takes at most one new chunk) and dozens of such control frames at once. The resume mark (1/4) is well above it so
 * a paused reactor waits until its slow connections have drained a real amount: resuming at the first
 * returned chunk would flap (pause, resume, pause per flush) and the burst waiting in the link (up to the
 * publication's window) would use the reserve straight away.
 * <p>
 * <b>Liveness.</b> The state is re-evaluated every duty cycle ({@link #update()}) and before every delivery or
 * fan-out write ({@link #admit()}), from the pool's free count alone, so resuming needs no event: chunks come
 * back whenever a queue is flushed or a connection closes, and the next cycle sees it. If the pool stays low for
 * {@code pool-stall-timeout} (connections that stopped reading but hold less than their own limits), the
 * reactor closes the connections with the largest queues until it can resume ({@link #isStalled()}); otherwise
 * a few hundred silent devices could hold a reactor's link forever.
 * <p>
 * Single-threaded: owned by the reactor.
 */
final class PoolBackPressure
{
    private final SingleThreadChunkPool pool;
    private final GatewayCounters counters;
    private final int pauseBelowChunks;
    private final int resumeAtChunks;
    private final long stallTimeoutMs;
    private long nowMs;
    private long pausedSinceMs;
    private boolean paused;

    PoolBackPressure(final SingleThreadChunkPool pool, final GatewayCounters counters, final GatewayContext ctx)
    {
        this.pool = pool;
        this.counters = counters;
        final int chunks = pool.chunkCount();
        this.pauseBelowChunks = pauseBelowChunks(chunks, ctx.poolPausePercent());
        this.resumeAtChunks = resumeAtChunks(chunks, pauseBelowChunks, ctx.poolResumePercent());
        this.stallTimeoutMs = ctx.poolStallTimeoutMs();
    }

    /**
     * @param chunks       chunks in the pool.
     * @param pausePercent {@code pool-pause-percent}.
     * @return free chunks below which a reactor pauses: the percent rounded up, at least one (512 chunks at 12%: 62;
     * 16 chunks: 2).
     */
    static int pauseBelowChunks(final int chunks, final int pausePercent)
    {
        return Math.max(1, percentOf(chunks, pausePercent));
    }

    /**
     * @param chunks           chunks in the pool.
     * @param pauseBelowChunks from {@link #pauseBelowChunks(int, int)}.
     * @param resumePercent    {@code pool-resume-percent}.
     * @return free chunks at or above which a paused reactor resumes: the percent rounded up, above the pause mark,
     * at most every chunk (512 chunks at 25%: 128; 16 chunks: 4).
     */
    static int resumeAtChunks(final int chunks, final int pauseBelowChunks, final int resumePercent)
    {
        return Math.min(chunks, Math.max(pauseBelowChunks + 1, percentOf(chunks, resumePercent)));
    }

    private static int percentOf(final int chunks, final int percent)
    {
        return (int)(((long)chunks * percent + 99) / 100);
    }

    /**
     * @param nowMs the reactor's clock for this duty cycle.
     */
    void nowMs(final long nowMs)
    {
        this.nowMs = nowMs;
    }

    /**
     * Re-evaluates the state from the pool's free chunks; call once per duty cycle whatever else the cycle does.
     *
     * @return true while paused.
     */
    boolean update()
    {
        return !admit();
    }

    /**
     * Asks whether one more delivery or fan-out write may be taken now; pauses (counted) when the pool has gone
     * below the pause mark and resumes once it is back at the resume mark.
     *
     * @return true to go ahead, false to leave it in the link (or the fan-out) for a later cycle.
     */
    boolean admit()
    {
        final int free = pool.available();
        if (paused)
        {
            if (free < resumeAtChunks)
            {
                return false;
            }
            paused = false;
            counters.reactorsPaused.decrement();
            return true;
        }
        if (free >= pauseBelowChunks)
        {
            return true;
        }
        paused = true;
        pausedSinceMs = nowMs;
        counters.downstreamPauses.increment();
        counters.reactorsPaused.increment();
        return false;
    }

    boolean isPaused()
    {
        return paused;
    }

    /**
     * @return true if paused for longer than {@code pool-stall-timeout}.
     */
    boolean isStalled()
    {
        return paused && nowMs - pausedSinceMs > stallTimeoutMs;
    }

    int pauseBelowChunks()
    {
        return pauseBelowChunks;
    }

    int resumeAtChunks()
    {
        return resumeAtChunks;
    }

    /**
     * The reactor is closing: a pause it was in no longer counts in the gauge.
     */
    void close()
    {
        if (paused)
        {
            paused = false;
            counters.reactorsPaused.decrement();
        }
    }
}
