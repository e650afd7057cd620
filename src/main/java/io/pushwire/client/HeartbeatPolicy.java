package io.pushwire.client;

/**
 * The adaptive heartbeat: how long a device may stay silent before its next PING. Pure logic with the time passed in,
 * so it is tested without sockets or sleeps.
 * <p>
 * The aim is the longest interval the network path (above all, NAT and carrier firewall idle timeouts) tolerates,
 * because every PING wakes a phone's radio. The policy:
 * <ul>
 *   <li>starts at the interval learned earlier on this network, else at {@code initialSec};</li>
 *   <li>after {@code successesToStepUp} consecutive successes (a PONG came back after an idle period of the current
 *       interval) it steps up by {@code stepSec}, up to {@code maxSec} and, for {@code ceilingHoldNs} after a failure,
 *       up to that failure's ceiling;</li>
 *   <li>on a failure (no PONG within the timeout, or the connection died while idle beyond the last good interval: a
 *       NAT timeout) it steps back to the last good interval when that is shorter than the one that failed, else to
 *       half of it, never below {@code minSec}; the interval it steps back to becomes the ceiling for
 *       {@code ceilingHoldNs};</li>
 *   <li>the server clamps every proposal: {@link #onServerInterval(int, int)} makes the granted interval the one in
 *       force, and a grant below the proposal also caps later step-ups on that connection.</li>
 * </ul>
 * All intervals are in whole seconds, as on the wire. Not thread-safe: the client's I/O thread owns it.
 */
public final class HeartbeatPolicy
{
    private final int minSec;
    private final int maxSec;
    private final int stepSec;
    private final int successesToStepUp;
    private final long ceilingHoldNs;

    private int currentSec;
    private int lastGoodSec;
    private int successes;
    private int ceilingSec;
    private long ceilingUntilNs;
    private int serverCapSec;
    private long failures;

    /**
     * @param initialSec        where to start when nothing was learned, seconds.
     * @param minSec            the floor, seconds, at least 1.
     * @param maxSec            the cap, seconds.
     * @param stepSec           how much one step up adds, seconds, at least 1.
     * @param successesToStepUp consecutive successes needed before a step up, at least 1.
     * @param ceilingHoldNs     how long a failure's ceiling holds, nanoseconds.
     */
    public HeartbeatPolicy(
        final int initialSec,
        final int minSec,
        final int maxSec,
        final int stepSec,
        final int successesToStepUp,
        final long ceilingHoldNs)
    {
        if (minSec < 1 || maxSec < minSec || initialSec < minSec || initialSec > maxSec)
        {
            throw new IllegalArgumentException(
                "heartbeat bounds need 1 <= min <= initial <= max: min=" + minSec + " initial=" + initialSec +
                " max=" + maxSec);
        }
        if (stepSec < 1 || successesToStepUp < 1 || ceilingHoldNs < 0)
        {
            throw new IllegalArgumentException(
                "heartbeat step=" + stepSec + " successes=" + successesToStepUp + " hold=" + ceilingHoldNs);
        }
        this.minSec = minSec;
        this.maxSec = maxSec;
        this.stepSec = stepSec;
        this.successesToStepUp = successesToStepUp;
        this.ceilingHoldNs = ceilingHoldNs;
        this.currentSec = initialSec;
    }

    /**
     * Starts over on a network: at its learned interval when there is one (clamped to the bounds), else where asked.
     *
     * @param startSec the learned interval, or the initial one, seconds.
     */
    public void reset(final int startSec)
    {
        currentSec = clamp(startSec);
        lastGoodSec = 0;
        successes = 0;
        ceilingSec = 0;
        ceilingUntilNs = 0;
        serverCapSec = 0;
    }

    /**
     * @return the interval in force: what the next PING (or HELLO) proposes, seconds.
     */
    public int intervalSec()
    {
        return currentSec;
    }

    /**
     * @return the longest interval proven on this network so far (0 if none), seconds.
     */
    public int lastGoodSec()
    {
        return lastGoodSec;
    }

    /**
     * @return the interval worth remembering for this network: the last good one, else the current one, seconds.
     */
    public int learnedSec()
    {
        return lastGoodSec > 0 ? lastGoodSec : currentSec;
    }

    /**
     * @return failures seen since construction.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * A new connection: the server's cap of the previous one no longer applies.
     */
    public void onConnectionStart()
    {
        serverCapSec = 0;
        successes = 0;
    }

    /**
     * The server answered a proposal (WELCOME to HELLO, PONG to PING) with the interval it grants.
     *
     * @param proposedSec what the device proposed, seconds.
     * @param grantedSec  what the server granted, seconds (its clamp).
     */
    public void onServerInterval(final int proposedSec, final int grantedSec)
    {
        if (grantedSec <= 0)
        {
            return;
        }
        if (grantedSec < proposedSec)
        {
            serverCapSec = grantedSec;
        }
        if (grantedSec != proposedSec && proposedSec == currentSec)
        {
            currentSec = grantedSec;
        }
    }

    /**
     * The connection survived an idle period of the current interval: a PONG came back.
     *
     * @param nowNs the current time, nanoseconds.
     */
    public void onSuccess(final long nowNs)
    {
        lastGoodSec = Math.max(lastGoodSec, currentSec);
        if (++successes >= successesToStepUp)
        {
            successes = 0;
            int capSec = maxSec;
            if (ceilingSec > 0 && nowNs - ceilingUntilNs < 0)
            {
                capSec = Math.min(capSec, ceilingSec);
            }
            if (serverCapSec > 0)
            {
                capSec = Math.min(capSec, serverCapSec);
            }
            if (currentSec < capSec)
            {
                currentSec = Math.min(capSec, currentSec + stepSec);
            }
        }
    }

    /**
     * The connection did not survive an idle period of the current interval: step back and hold the ceiling.
     *
     * @param nowNs the current time, nanoseconds.
     */
    public void onFailure(final long nowNs)
    {
        failures++;
        successes = 0;
        final int failedSec = currentSec;
        if (lastGoodSec > 0 && lastGoodSec < failedSec)
        {
            currentSec = lastGoodSec;
        }
        else
        {
            currentSec = Math.max(minSec, failedSec / 2);
            lastGoodSec = 0;
        }
        ceilingSec = currentSec;
        ceilingUntilNs = nowNs + ceilingHoldNs;
    }

    private int clamp(final int sec)
    {
        return Math.max(minSec, Math.min(maxSec, sec));
    }

    public String toString()
    {
        return "HeartbeatPolicy{current=" + currentSec + "s, lastGood=" + lastGoodSec + "s, min=" + minSec +
            "s, max=" + maxSec + "s, step=" + stepSec + "s, failures=" + failures + '}';
    }
}
