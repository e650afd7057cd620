package io.pushwire.sender;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.AdminAuth;
import io.pushwire.link.AdminSigner;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandErrors;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.ResponseAdapter;
import io.pushwire.link.ResponseListener;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The sender API: submits pushes to dispatch over Aeron and awaits {@code accepted(messageId)}, asks for
 * receipts, binds aliases, and (for the console) asks who a device is and kicks it.
 * <p>
 * A client has a random 64-bit client id; requests go out on {@link LinkConfiguration#COMMAND_STREAM_ID},
 * and a background thread reads the shared {@link LinkConfiguration#RESPONSE_STREAM_ID}, keeping
 * responses with its client id and completing the pending request with the same correlation id.
 * Thread-safe: any number of threads may call it. Blocking calls wait up to the timeout given (or
 * {@link #DEFAULT_TIMEOUT}) and throw {@link PushException} on ERROR or timeout.
 */
public final class PushClient implements AutoCloseable
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Aeron aeron;
    private final boolean ownsAeron;
    private final Publication commands;
    private final Subscription responses;
    private final long clientId = new SecureRandom().nextLong();
    private final AtomicLong correlationIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(
        new byte[CommandEncoder.maxPushLength(CommandMessages.MAX_TARGETS, 1 << 20) + AdminAuth.TRAILER_LENGTH]);
    private final AdminSigner signer;
    private final Thread poller;
    private volatile boolean running = true;

    private PushClient(
        final Aeron aeron, final boolean ownsAeron, final String commandChannel, final String responseChannel, final AdminSigner signer)
    {
        this.aeron = aeron;
        this.ownsAeron = ownsAeron;
        this.signer = signer;
        commands = aeron.addPublication(commandChannel, LinkConfiguration.COMMAND_STREAM_ID);
        responses = aeron.addSubscription(responseChannel, LinkConfiguration.RESPONSE_STREAM_ID);
        final ResponseAdapter adapter = new ResponseAdapter(responses, clientId, new Completer());
        poller = new Thread(() -> poll(adapter), "push-client-" + Long.toHexString(clientId));
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * Connects with its own Aeron client to the box's media driver.
     *
     * @param aeronDir the driver's directory.
     * @return a client; close it.
     */
    public static PushClient connect(final String aeronDir)
    {
        return new PushClient(BoxMediaDriver.connect(aeronDir, "push-client"), true, "aeron:ipc", "aeron:ipc", null);
    }

    /**
     * Uses an Aeron client the caller owns (and closes after this).
     */
    public static PushClient connect(final Aeron aeron, final String channel)
    {
        return new PushClient(aeron, false, channel, channel, null);
    }

    /**
     * Uses an Aeron client the caller owns, with separate command and response channels and optionally
     * signed commands: how an operator's console reaches a box over its remote administration channel
     * ({@code pushwire.admin.remote.channel}), where dispatch refuses unsigned commands.
     *
     * @param commandChannel  where commands are published.
     * @param responseChannel where dispatch's answers are subscribed.
     * @param signer          signs every command, or null to send them unsigned.
     */
    public static PushClient connect(final Aeron aeron, final String commandChannel, final String responseChannel,
        final AdminSigner signer)
    {
        return new PushClient(aeron, false, commandChannel, responseChannel, signer);
    }

    public long clientId()
    {
        return clientId;
    }

    /**
     * @return true once dispatch is subscribed to commands and publishing responses.
     */
    public boolean isConnected()
    {
        return commands.isConnected() && responses.isConnected();
    }

    /**
     * Waits until {@link #isConnected()}.
     *
     * @throws PushException on timeout.
     */
    public PushClient awaitConnected(final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new PushException(PushException.NOT_SENT, "dispatch not reachable on the command stream within " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return this;
    }

    /**
     * Submits a push and waits until dispatch has stored it.
     *
     * @return the message id.
     * @throws PushException when refused (nothing was stored) or on timeout.
     */
    public long push(final PushRequest request)
    {
        return push(request, DEFAULT_TIMEOUT);
    }

    public long push(final PushRequest request, final Duration timeout)
    {
        return (Long)await(pushAsync(request, timeout), timeout);
    }

    /**
     * Submits a push; the future completes with the message id once accepted, or exceptionally with a
     * {@link PushException}.
     */
    public CompletableFuture<Long> pushAsync(final PushRequest request)
    {
        return pushAsync(request, DEFAULT_TIMEOUT).thenApply((id) -> (Long)id);
    }

    private CompletableFuture<Object> pushAsync(final PushRequest request, final Duration timeout)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final byte[] payload = request.payloadBytes();
        final CompletableFuture<Object> future = register(correlationId);
        synchronized (encodeBuffer)
        {
            final int length = CommandEncoder.push(encodeBuffer, 0, clientId, correlationId, request.targetKind(),
                request.targets(), request.appId(), request.ttlMs(), request.collapseKey(), request.priority(),
                request.idempotencyKey(), new UnsafeBuffer(payload), 0, payload.length);
            offer(correlationId, length, timeout);
        }
        return future;
    }

    /**
     * @return the receipt of a message id.
     * @throws PushException with {@link CommandErrors#UNKNOWN_MESSAGE} when dispatch has none.
     */
    public Receipt receipt(final long messageId)
    {
        return (Receipt)await(receiptAsync(messageId), DEFAULT_TIMEOUT);
    }

    public CompletableFuture<Object> receiptAsync(final long messageId)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<Object> future = register(correlationId);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.receipt(encodeBuffer, 0, clientId, correlationId, messageId), DEFAULT_TIMEOUT);
        }
        return future;
    }

    public void bindAlias(final String alias, final String deviceId)
    {
        await(aliasAsync(true, alias, deviceId), DEFAULT_TIMEOUT);
    }

    public void unbindAlias(final String alias, final String deviceId)
    {
        await(aliasAsync(false, alias, deviceId), DEFAULT_TIMEOUT);
    }

    /**
     * @param bind true to bind, false to unbind.
     * @return completes with {@code TRUE} on OK, or exceptionally with a {@link PushException}.
     */
    public CompletableFuture<Object> aliasAsync(final boolean bind, final String alias, final String deviceId)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<Object> future = register(correlationId);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.alias(encodeBuffer, 0, clientId, correlationId, bind, alias, deviceId),
                DEFAULT_TIMEOUT);
        }
        return future;
    }

    /**
     * @throws PushException with {@link CommandErrors#UNKNOWN_DEVICE} for a device dispatch never saw.
     */
    public Who who(final String deviceId)
    {
        return (Who)await(deviceAsync(CommandMessages.WHO, deviceId), DEFAULT_TIMEOUT);
    }

    /**
     * Closes the device's connection with BYE(KICKED), if it is online.
     */
    public void kick(final String deviceId)
    {
        await(deviceAsync(CommandMessages.KICK, deviceId), DEFAULT_TIMEOUT);
    }

    /**
     * @param type {@link CommandMessages#WHO} (completes with a {@link Who}) or {@link CommandMessages#KICK}.
     */
    public CompletableFuture<Object> deviceAsync(final int type, final String deviceId)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<Object> future = register(correlationId);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.device(encodeBuffer, 0, type, clientId, correlationId, deviceId), DEFAULT_TIMEOUT);
        }
        return future;
    }

    public void close()
    {
        running = false;
        try
        {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(commands, responses);
        if (ownsAeron)
        {
            CloseHelper.close(aeron);
        }
        for (final CompletableFuture<Object> future : pending.values())
        {
            future.completeExceptionally(new PushException(PushException.NOT_SENT, "client closed"));
        }
    }

    /**
     * @return requests sent and not yet answered, failed or timed out.
     */
    public int requestsAwaitingAnswer()
    {
        return pending.size();
    }

    private CompletableFuture<Object> register(final long correlationId)
    {
        final CompletableFuture<Object> future = new CompletableFuture<>();
        pending.put(correlationId, future);
        return future;
    }

    private void offer(final long correlationId, final int unsignedLength, final Duration timeout)
    {
        final int length = null == signer ? unsignedLength : signer.sign(encodeBuffer, 0, unsignedLength);
        if (length > commands.maxMessageLength())
        {
            fail(correlationId, new PushException(PushException.NOT_SENT, "command of " + length +
                " bytes is over the link's maximum message length of " + commands.maxMessageLength() +
                " (fewer targets per push, or a smaller payload)"));
            return;
        }
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long result;
        while ((result = commands.offer(encodeBuffer, 0, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || System.nanoTime() - deadlineNs > 0)
            {
                fail(correlationId, new PushException(PushException.NOT_SENT,
                    "command not sent (" + Publication.errorString(result) + "): is dispatch running?"));
                return;
            }
            Thread.onSpinWait();
        }
    }

    private void fail(final long correlationId, final PushException failure)
    {
        final CompletableFuture<Object> future = pending.remove(correlationId);
        if (null != future)
        {
            future.completeExceptionally(failure);
        }
    }

    private Object await(final CompletableFuture<Object> future, final Duration timeout)
    {
        try
        {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            pending.values().remove(future); // a late answer then finds nothing; the map does not keep it forever
            throw new PushException(PushException.TIMEOUT, "no answer from dispatch within " + timeout);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof PushException pushException)
            {
                throw new PushException(pushException.code(), pushException.getMessage());
            }
            throw new PushException(CommandErrors.MALFORMED, String.valueOf(ex.getCause()));
        }
        catch (final InterruptedException ex)
        {
            pending.values().remove(future);
            Thread.currentThread().interrupt();
            throw new PushException(PushException.TIMEOUT, "interrupted");
        }
    }

    private void poll(final ResponseAdapter adapter)
    {
        // Spins and yields while responses flow, backs off to 200 us parks when idle, so an idle client costs
        // little CPU on a shared box and a busy one answers in microseconds.
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
        while (running)
        {
            idle.idle(adapter.poll(64));
        }
    }

    private void complete(final long correlationId, final Object value)
    {
        final CompletableFuture<Object> future = pending.remove(correlationId);
        if (null != future)
        {
            future.complete(value);
        }
    }

    private final class Completer implements ResponseListener
    {
        public void onAccepted(final long correlationId, final long messageId, final int targets)
        {
            complete(correlationId, messageId);
        }

        public void onReceipt(final long correlationId, final long messageId, final int targets, final int delivered,
            final int pending, final int expired)
        {
            complete(correlationId, new Receipt(messageId, targets, delivered, pending, expired));
        }

        public void onOk(final long correlationId)
        {
            complete(correlationId, Boolean.TRUE);
        }

        public void onError(final long correlationId, final int code, final String text)
        {
            final CompletableFuture<Object> future = pending.remove(correlationId);
            if (null != future)
            {
                future.completeExceptionally(new PushException(code, text));
            }
        }

        public void onWho(final long correlationId, final boolean online, final int heartbeatSec, final long connectionId,
            final long sinceMs, final int streamCount, final DirectBuffer buffer, final int streamsOffset)
        {
            final List<Who.StreamState> streams = new ArrayList<>(streamCount);
            for (int i = 0; i < streamCount; i++)
            {
                final int at = streamsOffset + i * CommandMessages.WHO_STREAM_LENGTH;
                streams.add(new Who.StreamState(buffer.getLong(at), buffer.getLong(at + 8), buffer.getLong(at + 16)));
            }
            complete(correlationId, new Who(online, connectionId, online ? ConnectionId.gatewayId(connectionId) : -1, sinceMs,
                heartbeatSec, streams));
        }
    }
}
