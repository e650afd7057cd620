package io.pushwire.sender;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pending-request table on its own, with a clock the test moves.
 */
class PendingRequestsTest
{
    private final long[] ids = new long[8];
    private final Object[] handlers = new Object[8];
    private final long[] timeouts = new long[8];

    @Test
    void shouldFindARequestByItsIdAndNotAfterItWasRemoved()
    {
        final PendingRequests pending = new PendingRequests(4);
        final Object handler = new Object();
        final long id = pending.add(handler, 0, 100);
        assertTrue(id > 0);
        assertSame(handler, pending.remove(id));
        assertNull(pending.remove(id), "a late answer finds nothing");
        final long reused = pending.add(new Object(), 0, 100);
        assertTrue(reused != id, "the slot is reused under a new id");
        assertNull(pending.remove(id), "the old id does not reach the slot's new request");
        assertNull(pending.remove(0));
        assertNull(pending.remove(-1));
        assertNull(pending.remove(Long.MAX_VALUE));
        assertEquals(1, pending.size());
    }

    @Test
    void shouldExpireInDeadlineOrderWhateverTheTimeoutsAndOrderOfAdding()
    {
        final PendingRequests pending = new PendingRequests(2);
        final long a = pending.add("a", 0, 500);
        final long b = pending.add("b", 10, 100);   // earlier deadline than a: walks back
        final long c = pending.add("c", 20, 500);
        final long d = pending.add("d", 30, 10);    // earliest of all: to the head
        final long e = pending.add("e", 40, 1_000);
        assertEquals(5, pending.size());
        assertTrue(pending.capacity() >= 5, "grew");

        assertEquals(0, pending.expire(39, ids, handlers, timeouts));
        assertEquals(1, pending.expire(40, ids, handlers, timeouts));
        assertEquals(d, ids[0]);
        assertEquals(10, timeouts[0]);
        assertEquals(1, pending.expire(110, ids, handlers, timeouts));
        assertEquals(b, ids[0]);
        assertSame("c", pending.remove(c));
        assertEquals(1, pending.expire(600, ids, handlers, timeouts));
        assertEquals(a, ids[0]);
        assertEquals(0, pending.expire(1_039, ids, handlers, timeouts));
        assertEquals(1, pending.expire(1_040, ids, handlers, timeouts));
        assertEquals(e, ids[0]);
        assertEquals(0, pending.size());
    }

    @Test
    void shouldHandOutExpiredRequestsInBatchesAndDrainTheRest()
    {
        final PendingRequests pending = new PendingRequests(16);
        final Set<Long> added = new HashSet<>();
        for (int i = 0; i < 20; i++)
        {
            added.add(pending.add(i, i, 100));
        }
        assertEquals(20, added.size(), "distinct ids");
        assertEquals(8, pending.expire(1_000, ids, handlers, timeouts));
        assertEquals(0, handlers[0]);
        assertEquals(7, handlers[7]);
        assertEquals(8, pending.expire(1_000, ids, handlers, timeouts));
        assertEquals(4, pending.drain(ids, handlers));
        assertEquals(16, handlers[0]);
        assertEquals(0, pending.size());
    }
}
