package io.pushwire.store;

import io.pushwire.config.ConfigurationException;
import io.pushwire.test.Await;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest
{
    @TempDir
    File dir;

    private static UnsafeBuffer utf8(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private StoreContext context(final SyncPolicy policy)
    {
        return new StoreContext().dir(dir).syncPolicy(policy).syncIntervalMs(5).rollCycle(RollCycles.FAST_HOURLY)
            .retentionMs(TimeUnit.DAYS.toMillis(1)).maxRecordLength(4096);
    }

    @Test
    void shouldReplayEveryRecordTypeInAppendOrderAfterReopen()
    {
        final UnsafeBuffer payload = utf8("hello payload");
        final UnsafeBuffer key = utf8("idem-1");
        final long messageIndex;
        try (Store store = new Store(context(SyncPolicy.NONE)))
        {
            store.appendDevice(0, utf8("device-a"), 0, 8);
            store.appendTopic(2, utf8("news"), 0, 4);
            store.appendSubscription(true, 0, 2);
            messageIndex = store.appendMessage(StoreRecords.DEVICE_STREAM, 0, 1, 77, 1000, 2000, 9, 1,
                StoreRecords.FLAG_FIRST_OF_MESSAGE, 0x1234, 3, key, 0, key.capacity(), payload, 0, payload.capacity());
            store.appendAcked(0, 0, 1);
            store.appendAlias(true, 0, utf8("alice"), 0, 5);
            store.appendAlias(false, 0, utf8("alice"), 0, 5);
            store.appendSubscription(false, 0, 2);
            store.appendUp(0, 5, 9, 3000, payload, 0, 5);
            store.appendHead(StoreRecords.TOPIC_STREAM, 2, 10, 0);
            store.appendSnapshot(77, 4);
            store.appendRouteOpened(0, 0x0030_0000_0100_0001L, -42L, 1_800_000_000_000L, 600);
            store.appendRouteClosed(0, 0x0030_0000_0100_0001L, StoreRecords.ROUTE_DROPPED);
            assertEquals(13, store.appends());
        }

        try (Store store = new Store(context(SyncPolicy.NONE)))
        {
            final Recording recording = new Recording();
            assertEquals(13, store.replay(recording));
            assertEquals(List.of(
                "device 0 device-a",
                "topic 2 news",
                "sub true 0 2",
                "message " + messageIndex + " 0 0 1 77 1000 2000 9 1 1 4660 3 idem-1 13",
                "acked 0 0 1",
                "alias true 0 alice",
                "alias false 0 alice",
                "sub false 0 2",
                "up 0 5 9 3000 5",
                "head 1 2 10 0",
                "snapshot 77 4",
                "route-opened 0 " + 0x0030_0000_0100_0001L + " -42 1800000000000 600",
                "route-closed 0 " + 0x0030_0000_0100_0001L + " 255"), recording.heard);

            final StoredMessage message = new StoredMessage(4096);
            assertTrue(store.readMessage(messageIndex, message));
            assertEquals(77, message.messageId());
            assertEquals(1, message.seq());
            assertEquals(2000, message.expiryMs());
            assertEquals("hello payload", message.payload().getStringWithoutLengthUtf8(0, message.payloadLength()));
            assertFalse(store.readMessage(messageIndex + 1, message), "an ACKED record is not a message");
            assertEquals(StoreRecords.ROUTE_OPENED_LENGTH + StoreRecords.ROUTE_CLOSED_LENGTH, 47, "route records stay small");
        }
    }

    @Test
    void shouldPretouchAheadOfTheAppenderWithoutChangingWhatIsWritten()
    {
        final int messages = 20_000;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        final long[] indexes = new long[messages];
        try (Store store = new Store(context(SyncPolicy.NONE).pretouchBytes(256 * 1024)))
        {
            for (int i = 0; i < messages; i++)
            {
                payload.setMemory(0, payload.capacity(), (byte)(1 + i % 251));
                payload.putInt(0, i);
                indexes[i] = store.appendMessage(0, 0, i + 1, i + 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, payload.capacity());
                if (i % 2_000 == 0)
                {
                    // Let the pretoucher run while the appender writes. It cannot always make progress at a given
                    // moment (when the write position has passed the end of the chunk the appender last reported,
                    // the next chunk is not mapped yet), so the test does not wait for progress here.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
            Await.until(() -> "at least 64 pages (256 KiB) pretouched, " + store.pagesPretouched() + " so far", 10_000,
                () -> store.pagesPretouched() >= 64);
        }

        try (Store store = new Store(context(SyncPolicy.NONE).pretouchBytes(0)))
        {
            assertEquals(messages, store.replay(new Recording()));
            final StoredMessage message = new StoredMessage(4096);
            for (int i = 0; i < messages; i++)
            {
                assertTrue(store.readMessage(indexes[i], message), "message " + i);
                assertEquals(i + 1, message.seq());
                assertEquals(100, message.payloadLength());
                assertEquals(i, message.payload().getInt(0));
                for (int b = Integer.BYTES; b < 100; b++)
                {
                    assertEquals((byte)(1 + i % 251), message.payload().getByte(b), "message " + i + " byte " + b);
                }
            }
            assertEquals(0, store.pagesPretouched(), "no pretoucher when it is off");
        }
    }

    @Test
    void shouldReadMessagesBackByIndexWithTheConfiguredIndexSpacing()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        final long[] indexes = new long[5_000];
        try (Store store = new Store(context(SyncPolicy.NONE).indexSpacing(4).indexCount(64).recentMessages(0)))
        {
            for (int i = 0; i < indexes.length; i++)
            {
                payload.putInt(0, i);
                indexes[i] = store.appendMessage(0, 0, i + 1, i + 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, 32);
                store.appendAcked(0, 0, i + 1);
            }
            final StoredMessage message = new StoredMessage(4096);
            for (int k = 0; k < indexes.length; k++)
            {
                final int i = (int)((k * 7919L) % indexes.length); // out of order, as PULLs of many devices are
                assertTrue(store.readMessage(indexes[i], message), "message " + i);
                assertEquals(i, message.payload().getInt(0));
            }
        }
        assertThrows(ConfigurationException.class, () -> new StoreContext().dir(dir).indexSpacing(3).conclude());
        assertThrows(ConfigurationException.class, () -> new StoreContext().dir(dir).indexCount(1000).conclude());
    }

    @Test
    void shouldReadRecentMessagesFromMemoryExactlyAsTheQueueHasThem()
    {
        final int count = 1_000;
        final int slots = 64;
        final int ringBytes = 1024;
        final long[] indexes = new long[count];
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[2 * ringBytes]);
        try (Store store = new Store(context(SyncPolicy.NONE).recentMessages(slots).recentBytes(ringBytes)))
        {
            for (int i = 0; i < count; i++)
            {
                final int length = payloadLength(i, ringBytes);
                for (int b = 0; b < length; b++)
                {
                    payload.putByte(b, (byte)(i * 31 + b));
                }
                indexes[i] = store.appendMessage(i % 2, 1000 + i, i + 1, 5000L + i, 7, 9000L + i, i % 5, i % 3, 0, 0, 1,
                    payload, 0, 0, payload, 0, length);
                store.appendAcked(i, 0, i + 1); // other records in between, as in a running dispatch
            }

            final StoredMessage message = new StoredMessage(2 * ringBytes);
            int expectedFromMemory = 0;
            for (int k = 0; k < count; k++)
            {
                final int i = (int)((k * 7919L) % count);
                final long memoryBefore = store.readsFromMemory();
                assertTrue(store.readMessage(indexes[i], message), "message " + i);
                assertMessage(i, ringBytes, message);
                if (store.readsFromMemory() > memoryBefore)
                {
                    expectedFromMemory++;
                    assertTrue(i >= count - slots, "only the newest " + slots + " records can be in memory: " + i);
                }
            }
            assertEquals(expectedFromMemory, store.readsFromMemory());
            assertEquals(count, store.readsFromMemory() + store.readsFromQueue());
            assertTrue(store.readsFromMemory() >= 8, "the newest records are read from memory: " + store.readsFromMemory());
            assertTrue(store.readsFromQueue() >= count - slots, "older ones from the queue: " + store.readsFromQueue());
            assertFalse(store.readMessage(indexes[count - 1] + 1, message), "the ACKED record after it is not a message");
        }

        try (Store store = new Store(context(SyncPolicy.NONE).recentMessages(slots).recentBytes(ringBytes)))
        {
            final StoredMessage message = new StoredMessage(2 * ringBytes);
            for (int i = count - 1; i >= count - slots; i--)
            {
                assertTrue(store.readMessage(indexes[i], message), "message " + i + " after reopening");
                assertMessage(i, ringBytes, message);
            }
            assertEquals(0, store.readsFromMemory(), "a reopened store remembers nothing it did not append");
        }
        assertThrows(ConfigurationException.class, () -> new StoreContext().dir(dir).recentMessages(1000).conclude());
        assertThrows(ConfigurationException.class, () -> new StoreContext().dir(dir).recentMessages(64).recentBytes(100).conclude());
    }

    @Test
    void shouldNeverAnswerFromAPayloadTheRingHasSinceOverwritten()
    {
        final int ringBytes = 1024;
        final int length = 100;
        final int count = 50;
        final long[] indexes = new long[count];
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[length]);
        try (Store store = new Store(context(SyncPolicy.NONE).recentMessages(1024).recentBytes(ringBytes)))
        {
            for (int i = 0; i < count; i++)
            {
                payload.setMemory(0, length, (byte)i);
                indexes[i] = store.appendMessage(0, 1, i + 1, i + 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, length);
            }
            final StoredMessage message = new StoredMessage(4096);
            for (int i = 0; i < count; i++)
            {
                assertTrue(store.readMessage(indexes[i], message), "message " + i);
                assertEquals(length, message.payloadLength());
                for (int b = 0; b < length; b++)
                {
                    assertEquals((byte)i, message.payload().getByte(b), "byte " + b + " of message " + i);
                }
            }
            assertEquals(ringBytes / length, store.readsFromMemory(), "only the payloads the ring still holds");
            assertEquals(count - ringBytes / length, store.readsFromQueue());
        }
    }

    private static int payloadLength(final int i, final int ringBytes)
    {
        return i % 97 == 0 ? ringBytes + 1 : (i * 37) % 40; // some longer than the whole ring, some empty
    }

    private static void assertMessage(final int i, final int ringBytes, final StoredMessage message)
    {
        assertEquals(i % 2, message.streamKind());
        assertEquals(1000 + i, message.streamRef());
        assertEquals(i + 1, message.seq());
        assertEquals(5000L + i, message.messageId());
        assertEquals(9000L + i, message.expiryMs());
        assertEquals(i % 5, message.appId());
        assertEquals(i % 3, message.priority());
        final int length = payloadLength(i, ringBytes);
        assertEquals(length, message.payloadLength(), "payload length of " + i);
        for (int b = 0; b < length; b++)
        {
            assertEquals((byte)(i * 31 + b), message.payload().getByte(b), "payload byte " + b + " of " + i);
        }
    }

    @Test
    void shouldKeepAppendingAfterReplayWithoutLosingOrder()
    {
        final UnsafeBuffer payload = utf8("p");
        for (int round = 0; round < 3; round++)
        {
            try (Store store = new Store(context(SyncPolicy.EVERY)))
            {
                final Recording recording = new Recording();
                assertEquals(round * 2L, store.replay(recording));
                store.appendMessage(0, 0, round * 2L + 1, round * 2L + 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, 1);
                store.appendMessage(0, 0, round * 2L + 2, round * 2L + 2, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, 1);
                assertEquals(2, store.syncs());
            }
        }
        try (Store store = new Store(context(SyncPolicy.NONE)))
        {
            final Recording recording = new Recording();
            assertEquals(6, store.replay(recording));
            for (int i = 0; i < 6; i++)
            {
                assertTrue(recording.heard.get(i).contains(" 0 0 " + (i + 1) + " " + (i + 1) + " "), recording.heard.get(i));
            }
        }
    }

    @Test
    void shouldSyncPeriodicallyOnlyWhenSomethingWasAppended()
    {
        final UnsafeBuffer payload = utf8("p");
        try (Store store = new Store(context(SyncPolicy.PERIODIC)))
        {
            assertEquals(0, store.doWork(0));
            store.appendAcked(1, 0, 1);
            store.appendAcked(1, 0, 2);
            assertEquals(1, store.doWork(10));
            assertEquals(1, store.syncs());
            store.appendMessage(0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, 1);
            assertEquals(0, store.doWork(12), "interval not yet over");
            assertEquals(1, store.doWork(15));
            assertEquals(0, store.doWork(30), "nothing new to sync");
        }
    }

    @Test
    void shouldDeleteOnlyRetiredCyclesBeforeTheSnapshotCycle()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.DAYS.toNanos(20_000));
        final long hourMs = TimeUnit.HOURS.toMillis(1);
        final StoreContext ctx = context(SyncPolicy.NONE).timeProvider(clock).retentionMs(2 * hourMs);
        final UnsafeBuffer payload = utf8("p");
        try (Store store = new Store(ctx))
        {
            final int firstCycle = store.currentCycle();
            for (int hour = 0; hour < 5; hour++)
            {
                store.appendMessage(0, 0, hour + 1, hour + 1, 0, 0, 0, 0, 0, 0, 1, payload, 0, 0, payload, 0, 1);
                assertTrue(store.cycleFile(store.currentCycle()).isFile(), "file name computed for the cycle");
                clock.advanceMillis(hourMs);
            }
            final long nowMs = clock.currentTimeMillis();
            assertEquals(0, store.deleteRetiredCycles(firstCycle, nowMs), "nothing before the snapshot cycle");
            // cycles first..first+4 exist; now is the start of first+5; cycle c ended at (c+1)h; retention 2h
            assertEquals(3, store.deleteRetiredCycles(firstCycle + 4, nowMs));
            assertFalse(store.cycleFile(firstCycle).exists());
            assertFalse(store.cycleFile(firstCycle + 2).exists());
            assertTrue(store.cycleFile(firstCycle + 3).exists());
            assertEquals(firstCycle + 3, store.firstCycle());

            final Recording recording = new Recording();
            assertEquals(2, store.replay(recording));
            assertTrue(recording.heard.get(0).contains(" 0 0 4 4 "), recording.heard.get(0));
        }
    }

    private static final class Recording implements StoreListener
    {
        final List<String> heard = new ArrayList<>();

        private static String text(final DirectBuffer buffer, final int offset, final int length)
        {
            return buffer.getStringWithoutLengthUtf8(offset, length);
        }

        public void onMessage(
            final long index, final int streamKind, final long streamRef, final long seq, final long messageId,
            final long acceptedMs, final long expiryMs, final int appId, final int priority, final int flags,
            final long collapseHash, final int targets, final DirectBuffer idemKey, final int idemOffset,
            final int idemLength, final int payloadLength)
        {
            heard.add("message " + index + " " + streamKind + " " + streamRef + " " + seq + " " + messageId + " " +
                acceptedMs + " " + expiryMs + " " + appId + " " + priority + " " + flags + " " + collapseHash + " " +
                targets + " " + text(idemKey, idemOffset, idemLength) + " " + payloadLength);
        }

        public void onDevice(final int deviceIndex, final DirectBuffer deviceId, final int offset, final int length)
        {
            heard.add("device " + deviceIndex + " " + text(deviceId, offset, length));
        }

        public void onAcked(final int deviceIndex, final long streamId, final long seq)
        {
            heard.add("acked " + deviceIndex + " " + streamId + " " + seq);
        }

        public void onTopic(final long topicStreamId, final DirectBuffer name, final int offset, final int length)
        {
            heard.add("topic " + topicStreamId + " " + text(name, offset, length));
        }

        public void onSubscription(final boolean subscribed, final int deviceIndex, final long topicStreamId)
        {
            heard.add("sub " + subscribed + " " + deviceIndex + " " + topicStreamId);
        }

        public void onAlias(final boolean bound, final int deviceIndex, final DirectBuffer alias, final int offset, final int length)
        {
            heard.add("alias " + bound + " " + deviceIndex + " " + text(alias, offset, length));
        }

        public void onUp(final int deviceIndex, final long requestId, final int appId, final long receivedMs, final int payloadLength)
        {
            heard.add("up " + deviceIndex + " " + requestId + " " + appId + " " + receivedMs + " " + payloadLength);
        }

        public void onHead(final int streamKind, final long streamRef, final long headSeq, final long ackedSeq)
        {
            heard.add("head " + streamKind + " " + streamRef + " " + headSeq + " " + ackedSeq);
        }

        public void onSnapshot(final long lastMessageId, final int records)
        {
            heard.add("snapshot " + lastMessageId + " " + records);
        }

        public void onRouteOpened(
            final int deviceIndex, final long connectionId, final long instanceId, final long openedAtMs, final int heartbeatSec)
        {
            heard.add("route-opened " + deviceIndex + " " + connectionId + " " + instanceId + " " + openedAtMs + " " +
                heartbeatSec);
        }

        public void onRouteClosed(final int deviceIndex, final long connectionId, final int reason)
        {
            heard.add("route-closed " + deviceIndex + " " + connectionId + " " + reason);
        }
    }
}
