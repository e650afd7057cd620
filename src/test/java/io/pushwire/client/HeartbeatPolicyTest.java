package io.pushwire.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeartbeatPolicyTest
{
    private static final long HOLD_NS = TimeUnit.MINUTES.toNanos(30);

    private long nowNs = 1_000;

    private HeartbeatPolicy phonePolicy()
    {
        return new HeartbeatPolicy(60, 30, 600, 30, 3, HOLD_NS);
    }

    private void succeed(final HeartbeatPolicy policy, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            nowNs += TimeUnit.SECONDS.toNanos(policy.intervalSec());
            policy.onSuccess(nowNs);
        }
    }

    @Test
    void shouldStepUpAfterConsecutiveSuccesses()
    {
        final HeartbeatPolicy policy = phonePolicy();
        assertEquals(60, policy.intervalSec());

        succeed(policy, 2);
        assertEquals(60, policy.intervalSec(), "two successes are not enough");
        succeed(policy, 1);
        assertEquals(90, policy.intervalSec());
        succeed(policy, 3);
        assertEquals(120, policy.intervalSec());
        assertEquals(90, policy.lastGoodSec());
    }

    @Test
    void shouldNeverExceedMaximum()
    {
        final HeartbeatPolicy policy = new HeartbeatPolicy(60, 30, 100, 30, 1, HOLD_NS);
        succeed(policy, 10);
        assertEquals(100, policy.intervalSec());
    }

    @Test
    void shouldBackOffToLastGoodIntervalAndHoldItAsCeiling()
    {
        final HeartbeatPolicy policy = phonePolicy();
        succeed(policy, 6);
        assertEquals(120, policy.intervalSec());

        policy.onFailure(nowNs);
        assertEquals(90, policy.intervalSec(), "back to the last good interval");
        assertEquals(1, policy.failures());

        succeed(policy, 9);
        assertEquals(90, policy.intervalSec(), "the failed interval stays out of reach while the ceiling holds");

        nowNs += HOLD_NS;
        succeed(policy, 3);
        assertEquals(120, policy.intervalSec(), "after the hold it probes upwards again");
    }

    @Test
    void shouldHalveWhenTheLastGoodIntervalFailsButNotBelowMinimum()
    {
        final HeartbeatPolicy policy = phonePolicy();
        policy.onFailure(nowNs);
        assertEquals(30, policy.intervalSec());
        policy.onFailure(nowNs);
        assertEquals(30, policy.intervalSec(), "floored at the minimum");

        final HeartbeatPolicy proven = new HeartbeatPolicy(200, 30, 600, 30, 3, HOLD_NS);
        succeed(proven, 1);
        proven.onFailure(nowNs);
        assertEquals(100, proven.intervalSec(), "the proven interval itself failed: halve it");
        assertEquals(0, proven.lastGoodSec());
    }

    @Test
    void shouldTakeTheServersClampAsTheIntervalInForceAndCapStepUpsByIt()
    {
        final HeartbeatPolicy policy = new HeartbeatPolicy(300, 30, 600, 30, 1, HOLD_NS);
        policy.onServerInterval(300, 270);
        assertEquals(270, policy.intervalSec());
        succeed(policy, 3);
        assertEquals(270, policy.intervalSec(), "no step above what the server grants");

        policy.onConnectionStart();
        succeed(policy, 1);
        assertEquals(300, policy.intervalSec(), "a new connection may probe again");
    }

    @Test
    void shouldStartFromTheLearnedIntervalWithinBounds()
    {
        final HeartbeatPolicy policy = phonePolicy();
        policy.reset(240);
        assertEquals(240, policy.intervalSec());
        policy.reset(5_000);
        assertEquals(600, policy.intervalSec());
        assertEquals(600, policy.learnedSec());
    }

    @Test
    void shouldRefuseInconsistentBounds()
    {
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatPolicy(10, 30, 600, 30, 3, HOLD_NS));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatPolicy(60, 0, 600, 30, 3, HOLD_NS));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatPolicy(60, 30, 600, 0, 3, HOLD_NS));
    }
}
