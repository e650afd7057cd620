package io.pushwire.sender;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender client against a real media driver with a command stream that something reads but nobody
 * answers (a dispatch that hangs, or lost its answers): every request times out, and the client forgets it;
 * an answer that comes after is ignored and counted.
 */
class PushClientTest
{
    @Test
    void shouldForgetARequestThatTimedOut()
    {
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            Subscription silentDispatch = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID);
            PushClient client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()))
        {
            Await.until("the command stream is connected", 10_000, silentDispatch::isConnected);
            for (int i = 0; i < 3; i++)
            {
                final PushException timeout = assertThrows(PushException.class,
                    () -> client.push(PushRequest.toDevice("phone").payload(new byte[]{ 1 }), Duration.ofMillis(200)));
                assertEquals(PushException.TIMEOUT, timeout.code(), timeout.getMessage());
                assertEquals("no answer from dispatch within PT0.2S", timeout.getMessage());
            }
            assertEquals(0, client.requestsAwaitingAnswer(), "timed-out requests are not kept");
        }
    }

    @Test
    void shouldExpireEveryKindOfAsyncRequestAtItsTimeoutAndCountAnswersThatComeAfter()
    {
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            Subscription silentDispatch = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID);
            Publication answers = aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.RESPONSE_STREAM_ID);
            PushClient client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()))
        {
            client.awaitConnected(Duration.ofSeconds(10));
            final List<Long> errors = new CopyOnWriteArrayList<>();
            final PushListener listener = new PushListener()
            {
                public void onAccepted(final long correlationId, final long messageId)
                {
                    errors.add(Long.MIN_VALUE);
                }

                public void onError(final long correlationId, final int code, final String text)
                {
                    errors.add((long)code);
                }
            };

            final long sentNs = System.nanoTime();
            final List<CompletableFuture<?>> futures = List.of(
                client.pushAsync(PushRequest.toDevice("phone").payload("hello")),
                client.receiptAsync(42),
                client.deviceAsync(CommandMessages.WHO, "phone"),
                client.deviceAsync(CommandMessages.KICK, "phone"),
                client.aliasAsync(true, "alice", "phone"));
            final long listened = client.tryPush(PushRequest.toTopic("news").payload("hi"), listener);
            assertTrue(listened > 0, "sent: " + listened);
            final List<Long> correlationIds = new ArrayList<>();
            Await.until("dispatch has read the 6 commands", 10_000,
                () -> silentDispatch.poll((buffer, offset, length, header) ->
                    correlationIds.add(buffer.getLong(offset + CommandMessages.CORRELATION_ID_OFFSET)), 10) >= 0 &&
                    correlationIds.size() == 6);
            assertEquals(6, client.requestsAwaitingAnswer());

            final long timeoutMs = PushClient.DEFAULT_TIMEOUT.toMillis();
            Await.until("every request has expired", timeoutMs + 3_000,
                () -> futures.stream().allMatch(CompletableFuture::isDone) && errors.size() == 1);
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs);
            assertTrue(tookMs >= timeoutMs, "not before the timeout: " + tookMs + " ms");
            for (final CompletableFuture<?> future : futures)
            {
                final CompletionException failure = assertThrows(CompletionException.class, future::join);
                final PushException timeout = assertInstanceOf(PushException.class, failure.getCause());
                assertEquals(PushException.TIMEOUT, timeout.code());
                assertEquals("no answer from dispatch within PT5S", timeout.getMessage());
            }
            assertEquals(List.of((long)PushException.TIMEOUT), errors, "the listener heard TIMEOUT, once");
            assertEquals(0, client.requestsAwaitingAnswer(), "expired requests are not kept");
            assertEquals(6, client.requestsExpired());
            assertEquals(0, client.lateAnswers());

            final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandMessages.ACCEPTED_LENGTH]);
            for (final long correlationId : correlationIds)
            {
                CommandEncoder.header(answer, 0, CommandMessages.ACCEPTED, client.clientId(), correlationId);
                answer.putLong(CommandMessages.MESSAGE_ID_OFFSET, 7);
                answer.putInt(CommandMessages.ACCEPTED_TARGETS_OFFSET, 1);
                Await.until("the late answer is published", 5_000, () -> answers.offer(answer, 0, answer.capacity()) > 0);
            }
            Await.until("the late answers are counted", 5_000, () -> client.lateAnswers() == 6);
            assertEquals(1, errors.size(), "a late answer does not reach the listener");
            assertTrue(futures.getFirst().isCompletedExceptionally(), "nor a future");
        }
    }

    @Test
    void shouldAnswerATryPushOnItsListener()
    {
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            Subscription dispatch = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID);
            Publication answers = aeron.addPublication(EmbeddedDriver.ipcChannel(), LinkConfiguration.RESPONSE_STREAM_ID);
            PushClient client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()))
        {
            client.awaitConnected(Duration.ofSeconds(10));
            final AtomicLong acceptedCorrelation = new AtomicLong();
            final AtomicLong acceptedMessage = new AtomicLong();
            final PushListener listener = new PushListener()
            {
                public void onAccepted(final long correlationId, final long messageId)
                {
                    acceptedMessage.set(messageId);
                    acceptedCorrelation.set(correlationId);
                }

                public void onError(final long correlationId, final int code, final String text)
                {
                    acceptedCorrelation.set(-code);
                }
            };
            final PushRequest request = PushRequest.toDevice("phone-1").payload("first");
            final long correlationId = client.tryPush(request.target("phone-2").payload("second"), listener);

            final UnsafeBuffer answer = new UnsafeBuffer(new byte[CommandMessages.ACCEPTED_LENGTH]);
            final List<String> seen = new ArrayList<>();
            Await.until("dispatch has read the push", 10_000, () -> dispatch.poll((buffer, offset, length, header) ->
            {
                seen.add(buffer.getStringWithoutLengthAscii(offset + CommandMessages.PUSH_TARGETS_OFFSET + 2, 7));
                CommandEncoder.header(answer, 0, CommandMessages.ACCEPTED, client.clientId(),
                    buffer.getLong(offset + CommandMessages.CORRELATION_ID_OFFSET));
                answer.putLong(CommandMessages.MESSAGE_ID_OFFSET, 1234);
                answer.putInt(CommandMessages.ACCEPTED_TARGETS_OFFSET, 1);
                Await.until("the answer is published", 5_000, () -> answers.offer(answer, 0, answer.capacity()) > 0);
            }, 1) > 0);
            assertEquals(List.of("phone-2"), seen, "the target was replaced");
            Await.until("the listener heard ACCEPTED", 5_000, () -> acceptedCorrelation.get() != 0);
            assertEquals(correlationId, acceptedCorrelation.get());
            assertEquals(1234, acceptedMessage.get());
            assertEquals(0, client.requestsAwaitingAnswer());
        }
    }
}
