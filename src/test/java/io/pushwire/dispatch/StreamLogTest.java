package io.pushwire.dispatch;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamLogTest
{
    @Test
    void shouldHoldUnackedEntriesAndGrowWithoutLosingThem()
    {
        final StreamLog log = new StreamLog(0);
        for (long seq = 1; seq <= 100; seq++)
        {
            log.append(seq, seq * 10, 1000 + seq, 5000 + seq, 0, (int)seq);
        }
        assertEquals(100, log.head());
        assertEquals(100, log.size());
        assertEquals(1057, log.messageId(57));
        assertEquals(570, log.storeIndex(57));
        log.ack(40);
        assertEquals(41, log.base());
        assertEquals(60, log.size());
        assertEquals(1041, log.messageId(41));
        assertThrows(IllegalStateException.class, () -> log.append(100, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldTrimATopicToItsRetentionAndReportTheTrimmedLiveMessage()
    {
        final StreamLog topic = new StreamLog(3);
        assertEquals(0, topic.append(1, 0, 11, 0, 0, 1));
        assertEquals(0, topic.append(2, 0, 12, 0, 0, 1));
        assertEquals(0, topic.append(3, 0, 13, 0, 0, 1));
        assertEquals(11, topic.append(4, 0, 14, 0, 0, 1));
        topic.state(2, StreamLog.EXPIRED);
        assertEquals(0, topic.append(5, 0, 15, 0, 0, 1), "an expired entry was already counted");
        assertEquals(3, topic.base());
        assertFalse(topic.holds(2));
        assertTrue(topic.holds(5));
    }

    @Test
    void shouldFindTheNewestLiveEntryWithACollapseKeyAboveTheAck()
    {
        final StreamLog log = new StreamLog(0);
        log.append(1, 0, 1, 0, 77, 1);
        log.append(2, 0, 2, 0, 88, 1);
        log.append(3, 0, 3, 0, 77, 1);
        assertEquals(3, log.findLiveCollapse(77, 0));
        log.state(3, StreamLog.COLLAPSED);
        assertEquals(1, log.findLiveCollapse(77, 0));
        assertEquals(0, log.findLiveCollapse(77, 1), "acked entries are delivered, not collapsible");
    }

    @Test
    void shouldAdvanceTheHeadWithoutAllocatingForAFarCursor()
    {
        final StreamLog log = new StreamLog(0);
        log.append(1, 0, 1, 0, 0, 1);
        log.advanceHead(4);
        assertEquals(StreamLog.EXPIRED, log.state(3));
        assertEquals(1, log.base());
        log.advanceHead(1L << 40);
        assertEquals(0, log.size(), "everything held is trimmed rather than a ring of 2^40 allocated");
        log.append((1L << 40) + 1, 0, 9, 0, 0, 1);
        assertEquals(1, log.size());
    }

    @Test
    void shouldMapDeviceIdBytesToDenseIndexesAndFillPlaceholders()
    {
        final DeviceDirectory directory = new DeviceDirectory();
        for (int i = 0; i < 5000; i++)
        {
            final UnsafeBuffer id = utf8("device-" + i);
            assertEquals(-1, directory.lookup(id, 0, id.capacity()));
            assertEquals(i, directory.add(id, 0, id.capacity()));
        }
        final UnsafeBuffer probe = new UnsafeBuffer(new byte[64]);
        final int length = probe.putStringWithoutLengthUtf8(3, "device-4321");
        assertEquals(4321, directory.lookup(probe, 3, length));
        assertEquals("device-17", directory.deviceId(17));

        directory.reserve(5009);
        assertEquals(5010, directory.size());
        assertEquals(-1, directory.idLength(5005));
        final UnsafeBuffer late = utf8("late");
        assertEquals(5005, directory.put(5005, late, 0, late.capacity()));
        assertEquals(5005, directory.lookup(late, 0, late.capacity()));
        final UnsafeBuffer other = utf8("other");
        assertThrows(IllegalStateException.class, () -> directory.put(5005, other, 0, other.capacity()));
    }

    @Test
    void shouldCountReceiptsAndEvictOnlySettledOldOnes()
    {
        final Receipts receipts = new Receipts(4);
        receipts.create(1, 2, 0);
        receipts.create(2, 1, 0);
        receipts.delivered(1);
        receipts.expired(1, 1);
        receipts.delivered(1);
        assertEquals(1, receipts.deliveredCount(1), "never more than targets");
        assertEquals(1, receipts.expiredCount(1));
        assertEquals(0, receipts.evict(10, 100, 10), "too young");
        assertEquals(1, receipts.evict(200, 100, 10), "1 is settled, 2 is pending and stops the eviction");
        assertEquals(-1, receipts.targets(1));
        receipts.create(3, 1, 300);
        receipts.create(4, 1, 300);
        receipts.create(5, 1, 300);
        receipts.create(6, 1, 300);
        assertEquals(1, receipts.forcedEvictions(), "the oldest goes beyond the maximum");
        assertEquals(-1, receipts.targets(2));
        assertEquals(1, receipts.targets(6));
    }

    private static UnsafeBuffer utf8(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
