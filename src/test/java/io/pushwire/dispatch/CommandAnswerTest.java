package io.pushwire.dispatch;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandErrors;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.sender.PushException;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.sender.Who;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every command a sender sends is answered, whatever the state of dispatch's response publication: a real dispatch
 * (64 KiB terms) answers 10,000 WHO, RECEIPT, OK and ERROR queries through {@code PushClient}, so answers land
 * on term ends again and again; with a subscriber that does not read, answers are held back and then arrive, in
 * order. Each answer must come within {@link #PROMPT_MS}: far below the client's 5 s timeout, which is what a
 * dropped answer costs. Answers nobody can read (the sender is gone) are dropped and counted, not held.
 */
class CommandAnswerTest
{
    private static final long PROMPT_MS = 1_000;

    @TempDir
    File storeDir;

    private DispatchHarness harness;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldAnswerEveryQueryPromptlyAcrossManyTermEnds()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final long messageId = harness.push(PushRequest.toDevice("phone-1").payload("hello"));
        harness.push(PushRequest.toDevice("phone-2").payload("hello"));

        // Answers of 64 to 160 bytes a frame (OK, RECEIPT, ERROR, WHO), about 600 bytes every 5, in a mix that shifts
        // where each term ends: with 64 KiB terms about 18 term ends, each met by whichever answer comes there.
        final int queries = 10_000;
        for (int i = 0; i < queries; i++)
        {
            switch (i % 5)
            {
                case 0, 3 ->
                {
                    final Who who = (Who)answer(i, "WHO", harness.client.deviceAsync(CommandMessages.WHO, "phone-" + (1 + i % 2)));
                    assertEquals(1, who.streams().stream().filter((s) -> s.streamId() == 0).findFirst().orElseThrow().headSeq());
                }
                case 1 -> assertEquals(new Receipt(messageId, 1, 0, 1, 0),
                    answer(i, "RECEIPT", harness.client.receiptAsync(messageId)));
                case 2 -> assertEquals(Boolean.TRUE, answer(i, "BIND_ALIAS", harness.client.aliasAsync(true, "alias-" + i, "phone-1")));
                default ->
                {
                    final PushException error = assertInstanceOf(PushException.class,
                        answer(i, "RECEIPT of an unknown message", harness.client.receiptAsync(messageId + 1 + i)));
                    assertEquals(CommandErrors.UNKNOWN_MESSAGE, error.code());
                }
            }
        }
    }

    @Test
    void shouldHoldAnswersWhileTheResponseStreamIsBackPressuredAndSendThemInOrder()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        harness.push(PushRequest.toDevice("phone-1").payload("hello"));
        // A second reader of the response stream that does not read yet: over IPC the slowest subscriber holds the
        // publication back once it is a window (term / 2) ahead.
        final Subscription stalled = harness.aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.RESPONSE_STREAM_ID);
        harness.await("stalled reader connected", stalled::isConnected);

        final int queries = 1_000;
        final List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < queries; i++)
        {
            answers.add(harness.client.deviceAsync(CommandMessages.WHO, "phone-1"));
            harness.agent().doWork();
        }
        harness.settle();
        final long answered = answers.stream().filter(CompletableFuture::isDone).count();
        assertTrue(answered < queries, "the stalled reader held the response stream back: " + answered + " answered");

        // The stalled reader reads: every answer it sees for our client comes, in the order the queries were sent.
        final LongArrayList correlationIds = new LongArrayList();
        final long clientId = harness.client.clientId();
        harness.await(() -> "every answer read by the stalled reader: " + correlationIds.size(), () ->
        {
            stalled.poll((buffer, offset, length, header) ->
            {
                if (buffer.getLong(offset + CommandMessages.CLIENT_ID_OFFSET) == clientId &&
                    (buffer.getShort(offset + CommandMessages.TYPE_OFFSET) & 0xFFFF) == CommandMessages.WHO_RESPONSE)
                {
                    correlationIds.addLong(buffer.getLong(offset + CommandMessages.CORRELATION_ID_OFFSET));
                }
            }, 256);
            return correlationIds.size() == queries;
        });
        for (int i = 1; i < correlationIds.size(); i++)
        {
            assertTrue(correlationIds.getLong(i) > correlationIds.getLong(i - 1), () -> "in order: " + correlationIds);
        }
        for (int i = 0; i < queries; i++)
        {
            assertInstanceOf(Who.class, answer(i, "WHO", answers.get(i)));
        }
        stalled.close();
        assertTrue(harness.dispatch.counters().answersDelayed.get() >= queries - answered, "held back, then sent");
        assertEquals(0, harness.dispatch.counters().answersDropped.get());
    }

    @Test
    void shouldDropAnswersNobodyCanReadAndCountThem()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        harness.push(PushRequest.toDevice("phone-1").payload("hello"));
        final long clientId = harness.client.clientId();
        harness.client.close();

        // A sender that asks and goes away before the answers: nobody reads the response stream any more.
        final int queries = 500;
        try (Publication commands = harness.aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID))
        {
            harness.await("command stream connected", commands::isConnected);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            for (int i = 0; i < queries; i++)
            {
                final int length = CommandEncoder.device(buffer, 0, CommandMessages.WHO, clientId, i + 1, "phone-1");
                harness.await("WHO sent", () -> commands.offer(buffer, 0, length) > 0);
            }
            harness.await(() -> "answers dropped: " + harness.dispatch.counters().answersDropped.get(),
                () -> harness.dispatch.counters().answersDropped.get() == queries);
        }
        assertEquals(0, harness.dispatch.counters().answersDelayed.get(), "dropped at once, nothing held");
    }

    /**
     * Pumps dispatch until the answer comes.
     *
     * @return its value, or the {@link PushException} of an ERROR.
     */
    private Object answer(final int index, final String query, final CompletableFuture<Object> answer)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROMPT_MS);
        while (!answer.isDone())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no answer to " + query + " #" + index + " within " + PROMPT_MS + " ms (the client waits 5 s for it)");
            }
            if (harness.pump() == 0)
            {
                Thread.yield();
            }
        }
        try
        {
            return answer.join();
        }
        catch (final CompletionException ex)
        {
            if (ex.getCause() instanceof PushException error)
            {
                return error;
            }
            throw ex;
        }
    }
}
