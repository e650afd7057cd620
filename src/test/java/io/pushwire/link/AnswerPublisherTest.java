package io.pushwire.link;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AnswerPublisher} on a real IPC publication (64 KiB terms) whose one subscriber reads only when told: answers
 * pass term ends without a loss, wait in order while the subscriber holds the stream back, are dropped and counted
 * beyond the ring's maximum, and are dropped and counted once nobody subscribes.
 */
class AnswerPublisherTest
{
    private static final int STREAM_ID = 9_999;
    private static final int ANSWER_LENGTH = 100;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private AtomicCounter delayed;
    private AtomicCounter dropped;
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[ANSWER_LENGTH]);
    private final IntArrayList received = new IntArrayList();

    @BeforeEach
    void start()
    {
        driver = new EmbeddedDriver();
        aeron = driver.connect();
        subscription = aeron.addSubscription(EmbeddedDriver.ipcChannel(), STREAM_ID);
        publication = aeron.addExclusivePublication(EmbeddedDriver.ipcChannel(), STREAM_ID);
        delayed = aeron.addCounter(1_999, "test: answers delayed");
        dropped = aeron.addCounter(1_998, "test: answers dropped");
        Await.until("connected", 5_000, publication::isConnected);
    }

    @AfterEach
    void stop()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void shouldSendEveryAnswerAcrossTermEnds()
    {
        // The loop outruns the driver, which moves the publication's limit on its own duty cycle: answers wait often.
        final AnswerPublisher answers = new AnswerPublisher(publication, 1 << 20, delayed, dropped);
        final int count = 5_000;
        for (int i = 0; i < count; i++)
        {
            final int index = i;
            assertTrue(answers.offer(answer(i), 0, ANSWER_LENGTH), () -> "answer " + index + " dropped " + dropped.get() +
                " delayed " + delayed.get() + " " + publication);
            answers.retry();
            read();
        }
        Await.until(() -> "all read: " + received.size(), 5_000, () ->
        {
            answers.retry();
            read();
            return received.size() == count;
        });
        assertInOrder(0, count);
        assertEquals(0, dropped.get());
    }

    @Test
    void shouldHoldAnswersInOrderWhileBackPressuredAndDropBeyondTheMaximum()
    {
        final int maxWaitingBytes = 4096;
        final AnswerPublisher answers = new AnswerPublisher(publication, maxWaitingBytes, delayed, dropped);
        int offered = 0;
        while (0 == delayed.get())
        {
            assertTrue(answers.offer(answer(offered), 0, ANSWER_LENGTH));
            offered++;
        }
        // Held answers take their length plus an 8-byte header, aligned to 8: 112 bytes each.
        final int fits = maxWaitingBytes / 112;
        for (int i = 1; i < fits; i++)
        {
            assertTrue(answers.offer(answer(offered), 0, ANSWER_LENGTH), "held " + i);
            offered++;
        }
        assertFalse(answers.offer(answer(offered), 0, ANSWER_LENGTH), "beyond the maximum");
        assertEquals(1, dropped.get());
        assertEquals(0, answers.retry(), "still back pressured");

        final int total = offered;
        Await.until(() -> "all read: " + received.size(), 5_000, () ->
        {
            read();
            answers.retry();
            return received.size() == total;
        });
        assertInOrder(0, total);
        assertEquals(0, answers.waitingBytes());
        assertEquals(fits, delayed.get());
        assertEquals(1, dropped.get());
    }

    @Test
    void shouldDropAnswersOnceNobodySubscribes()
    {
        final AnswerPublisher answers = new AnswerPublisher(publication, 1 << 16, delayed, dropped);
        int offered = 0;
        while (0 == delayed.get())
        {
            answers.offer(answer(offered++), 0, ANSWER_LENGTH);
        }
        assertTrue(answers.offer(answer(offered), 0, ANSWER_LENGTH), "behind the waiting one");
        subscription.close();
        Await.until("not connected", 5_000, () -> !publication.isConnected());

        assertEquals(2, answers.retry(), "both waiting answers dropped");
        assertEquals(0, answers.waitingBytes());
        assertFalse(answers.offer(answer(0), 0, ANSWER_LENGTH), "dropped at once");
        assertEquals(3, dropped.get());
        assertEquals(2, delayed.get());
    }

    private UnsafeBuffer answer(final int sequence)
    {
        answer.putInt(0, sequence);
        return answer;
    }

    private void read()
    {
        subscription.poll((buffer, offset, length, header) -> received.addInt(buffer.getInt(offset)), 1024);
    }

    private void assertInOrder(final int from, final int to)
    {
        assertEquals(to - from, received.size());
        for (int i = from; i < to; i++)
        {
            assertEquals(i, received.getInt(i - from), "answer " + i);
        }
    }
}
