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
import java.util.concurrent.CompletableFuture;
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
 * <p>
 * <b>Every request expires.</b> A request not answered by its deadline (sent time + its timeout; asynchronous
 * calls use {@link #DEFAULT_TIMEOUT}) is failed with {@link PushException#TIMEOUT} and forgotten, whether it was
 * made by a blocking call, an {@code …Async} call or {@link #tryPush}: an answer dispatch lost, or a dispatch that
 * was killed, leaves nothing waiting forever. The poller thread sweeps the requests in flight, kept in deadline
 * order ({@link PendingRequests}), every {@link #EXPIRY_SWEEP_INTERVAL_NS}: no timer thread, no allocation per
 * request or per sweep, and a request fails at most about a millisecond (plus the poller's idle park) after its
 * deadline. An answer that arrives after its request expired is ignored and counted ({@link #lateAnswers()}).
 * <p>
 * <b>Allocation.</b> {@link #tryPush(PushRequest, PushListener)} allocates nothing per push (with a reused
 * request, bench/README.md); the {@code CompletableFuture} calls allocate the future and the boxed result.
 */
public final class PushClient implements AutoCloseable
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final long DEFAULT_TIMEOUT_NS = DEFAULT_TIMEOUT.toNanos();

    /**
     * How often the poller thread looks for requests past their deadline.
     */
    public static final long EXPIRY_SWEEP_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Requests in flight the client holds room for at start; it grows (once, doubling) past that.
     */
    public static final int INITIAL_PENDING_CAPACITY = 4096;

    private static final int EXPIRY_BATCH = 256;
    private static final String TIMEOUT_TEXT = "no answer from dispatch within the request's timeout";
    private static final String UNEXPECTED_ANSWER_TEXT = "dispatch answered a push with something other than ACCEPTED";

    private final Aeron aeron;
    private final boolean ownsAeron;
    private final Publication commands;
    private final Subscription responses;
    private final long clientId = new SecureRandom().nextLong();
    private final PendingRequests pending = new PendingRequests(INITIAL_PENDING_CAPACITY);
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(
        new byte[CommandEncoder.maxPushLength(CommandMessages.MAX_TARGETS, 1 << 20) + AdminAuth.TRAILER_LENGTH]);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final AtomicLong lateAnswers = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong listenerExceptions = new AtomicLong();
    private final long[] expiredIds = new long[EXPIRY_BATCH];
    private final Object[] expiredHandlers = new Object[EXPIRY_BATCH];
    private final long[] expiredTimeoutsNs = new long[EXPIRY_BATCH];
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
        final PushFuture future = new PushFuture();
        sendPush(request, future, timeout.toNanos());
        return await(future, future.correlationId, timeout);
    }

    /**
     * Submits a push; the future completes with the message id once accepted, or exceptionally with a
     * {@link PushException} (an ERROR, {@link PushException#TIMEOUT} after {@link #DEFAULT_TIMEOUT} without an
     * answer, or {@link PushException#NOT_SENT}). The request may be changed and reused once this returns.
     * Allocates the future and, on the poller thread, the boxed message id: see {@link #tryPush} for a push
     * that allocates nothing.
     */
    public CompletableFuture<Long> pushAsync(final PushRequest request)
    {
        final PushFuture future = new PushFuture();
        sendPush(request, future, DEFAULT_TIMEOUT_NS);
        return future;
    }

    /**
     * Submits a push without allocating: the answer comes to {@code listener} on the poller thread,
     * {@link PushListener#onAccepted} or {@link PushListener#onError} (an ERROR, or
     * {@link PushException#TIMEOUT} after {@link #DEFAULT_TIMEOUT} without an answer), exactly once for a push
     * that was sent. Like {@link #pushAsync}, waits up to the timeout while the command stream is back pressured.
     * The request may be changed and reused once this returns.
     *
     * @return the push's correlation id (positive), which the listener will be given; or
     * {@link PushException#NOT_SENT} (negative) when it was not sent (over the link's maximum message length, no
     * dispatch reading commands within the timeout, or the client closed): the listener is then not called.
     */
    public long tryPush(final PushRequest request, final PushListener listener)
    {
        return sendPush(request, listener, DEFAULT_TIMEOUT_NS);
    }

    /**
     * @return the receipt of a message id.
     * @throws PushException with {@link CommandErrors#UNKNOWN_MESSAGE} when dispatch has none.
     */
    public Receipt receipt(final long messageId)
    {
        final RequestFuture future = receiptRequest(messageId);
        return (Receipt)await(future, future.correlationId, DEFAULT_TIMEOUT);
    }

    /**
     * @return completes with a {@link Receipt}, or exceptionally with a {@link PushException} (including
     * {@link PushException#TIMEOUT} after {@link #DEFAULT_TIMEOUT}).
     */
    public CompletableFuture<Object> receiptAsync(final long messageId)
    {
        return receiptRequest(messageId);
    }

    private RequestFuture receiptRequest(final long messageId)
    {
        final RequestFuture future = new RequestFuture();
        final long correlationId = register(future, DEFAULT_TIMEOUT_NS);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.receipt(encodeBuffer, 0, clientId, correlationId, messageId), future, DEFAULT_TIMEOUT_NS);
        }
        return future;
    }

    public void bindAlias(final String alias, final String deviceId)
    {
        final RequestFuture future = aliasRequest(true, alias, deviceId);
        await(future, future.correlationId, DEFAULT_TIMEOUT);
    }

    public void unbindAlias(final String alias, final String deviceId)
    {
        final RequestFuture future = aliasRequest(false, alias, deviceId);
        await(future, future.correlationId, DEFAULT_TIMEOUT);
    }

    /**
     * @param bind true to bind, false to unbind.
     * @return completes with {@code TRUE} on OK, or exceptionally with a {@link PushException} (including
     * {@link PushException#TIMEOUT} after {@link #DEFAULT_TIMEOUT}).
     */
    public CompletableFuture<Object> aliasAsync(final boolean bind, final String alias, final String deviceId)
    {
        return aliasRequest(bind, alias, deviceId);
    }

    private RequestFuture aliasRequest(final boolean bind, final String alias, final String deviceId)
    {
        final RequestFuture future = new RequestFuture();
        final long correlationId = register(future, DEFAULT_TIMEOUT_NS);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.alias(encodeBuffer, 0, clientId, correlationId, bind, alias, deviceId),
                future, DEFAULT_TIMEOUT_NS);
        }
        return future;
    }

    /**
     * @throws PushException with {@link CommandErrors#UNKNOWN_DEVICE} for a device dispatch never saw.
     */
    public Who who(final String deviceId)
    {
        final RequestFuture future = deviceRequest(CommandMessages.WHO, deviceId);
        return (Who)await(future, future.correlationId, DEFAULT_TIMEOUT);
    }

    /**
     * Closes the device's connection with BYE(KICKED), if it is online.
     */
    public void kick(final String deviceId)
    {
        final RequestFuture future = deviceRequest(CommandMessages.KICK, deviceId);
        await(future, future.correlationId, DEFAULT_TIMEOUT);
    }

    /**
     * @param type {@link CommandMessages#WHO} (completes with a {@link Who}) or {@link CommandMessages#KICK}; either
     *             completes exceptionally with a {@link PushException} (including {@link PushException#TIMEOUT}
     *             after {@link #DEFAULT_TIMEOUT}).
     */
    public CompletableFuture<Object> deviceAsync(final int type, final String deviceId)
    {
        return deviceRequest(type, deviceId);
    }

    private RequestFuture deviceRequest(final int type, final String deviceId)
    {
        final RequestFuture future = new RequestFuture();
        final long correlationId = register(future, DEFAULT_TIMEOUT_NS);
        synchronized (encodeBuffer)
        {
            offer(correlationId, CommandEncoder.device(encodeBuffer, 0, type, clientId, correlationId, deviceId), future, DEFAULT_TIMEOUT_NS);
        }
        return future;
    }

    /**
     * Stops the poller and fails every request still awaiting an answer with {@link PushException#NOT_SENT}
     * ("client closed"), listeners included.
     */
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
        int count;
        do
        {
            synchronized (pending)
            {
                count = pending.drain(expiredIds, expiredHandlers);
            }
            for (int i = 0; i < count; i++)
            {
                fail(expiredIds[i], expiredHandlers[i], PushException.NOT_SENT, "client closed");
                expiredHandlers[i] = null;
            }
        }
        while (count > 0);
    }

    /**
     * @return requests sent and not yet answered, failed or timed out.
     */
    public int requestsAwaitingAnswer()
    {
        synchronized (pending)
        {
            return pending.size();
        }
    }

    /**
     * @return answers that arrived for no request in flight: almost always after their request had timed out
     * (expired, or a blocking call gave up). They are ignored.
     */
    public long lateAnswers()
    {
        return lateAnswers.get();
    }

    /**
     * @return requests failed with {@link PushException#TIMEOUT} by the expiry sweep.
     */
    public long requestsExpired()
    {
        return expired.get();
    }

    /**
     * @return exceptions a {@link PushListener} threw; each is caught (the poller must go on) and counted.
     */
    public long listenerExceptions()
    {
        return listenerExceptions.get();
    }

    private long sendPush(final PushRequest request, final Object handler, final long timeoutNs)
    {
        final long correlationId = register(handler, timeoutNs);
        synchronized (encodeBuffer)
        {
            final int targetCount = request.targetCount();
            int p = CommandEncoder.pushHeader(encodeBuffer, 0, clientId, correlationId, request.targetKind(), targetCount,
                request.appId(), request.ttlMs(), request.priority());
            for (int i = 0; i < targetCount; i++)
            {
                p += CommandEncoder.putString(encodeBuffer, p, request.target(i));
            }
            final int payloadLength = request.payloadLength();
            payloadView.wrap(request.payloadArray());
            final int length = CommandEncoder.pushTail(encodeBuffer, 0, p, request.collapseKey(), request.idempotencyKey(),
                payloadView, 0, payloadLength);
            return offer(correlationId, length, handler, timeoutNs) ? correlationId : PushException.NOT_SENT;
        }
    }

    private long register(final Object handler, final long timeoutNs)
    {
        final long correlationId;
        synchronized (pending)
        {
            correlationId = pending.add(handler, System.nanoTime(), timeoutNs);
        }
        if (handler instanceof RequestFuture future)
        {
            future.correlationId = correlationId;
        }
        else if (handler instanceof PushFuture future)
        {
            future.correlationId = correlationId;
        }
        return correlationId;
    }

    private Object remove(final long correlationId)
    {
        synchronized (pending)
        {
            return pending.remove(correlationId);
        }
    }

    /**
     * Offers the command in {@link #encodeBuffer}; the caller holds its lock.
     *
     * @return true if sent; false if not, the request then removed and its future (not a listener) failed.
     */
    private boolean offer(final long correlationId, final int unsignedLength, final Object handler, final long timeoutNs)
    {
        final int length = null == signer ? unsignedLength : signer.sign(encodeBuffer, 0, unsignedLength);
        if (length > commands.maxMessageLength())
        {
            notSent(correlationId, handler, "command of " + length + " bytes is over the link's maximum message length of " +
                commands.maxMessageLength() + " (fewer targets per push, or a smaller payload)");
            return false;
        }
        final long startNs = System.nanoTime();
        long result;
        while ((result = commands.offer(encodeBuffer, 0, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                System.nanoTime() - startNs > timeoutNs)
            {
                notSent(correlationId, handler, "command not sent (" + Publication.errorString(result) +
                    "): is dispatch running?");
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private void notSent(final long correlationId, final Object handler, final String text)
    {
        if (null != remove(correlationId) && !(handler instanceof PushListener))
        {
            fail(correlationId, handler, PushException.NOT_SENT, text);
        }
    }

    private <T> T await(final CompletableFuture<T> future, final long correlationId, final Duration timeout)
    {
        try
        {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            remove(correlationId); // a late answer then finds nothing, and is counted
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
            remove(correlationId);
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
        long nextSweepNs = System.nanoTime();
        while (running)
        {
            int workCount = adapter.poll(64);
            final long nowNs = System.nanoTime();
            if (nowNs - nextSweepNs >= 0)
            {
                nextSweepNs = nowNs + EXPIRY_SWEEP_INTERVAL_NS;
                workCount += expire(nowNs);
            }
            idle.idle(workCount);
        }
    }

    /**
     * Fails the requests past their deadline, in batches taken under the lock and failed outside it (a future's
     * dependents and a listener run on this thread, and must not hold up senders).
     */
    private int expire(final long nowNs)
    {
        int total = 0;
        int count;
        do
        {
            synchronized (pending)
            {
                count = pending.expire(nowNs, expiredIds, expiredHandlers, expiredTimeoutsNs);
            }
            for (int i = 0; i < count; i++)
            {
                final Object handler = expiredHandlers[i];
                expiredHandlers[i] = null;
                expired.incrementAndGet();
                if (handler instanceof PushListener)
                {
                    fail(expiredIds[i], handler, PushException.TIMEOUT, TIMEOUT_TEXT);
                }
                else
                {
                    fail(expiredIds[i], handler, PushException.TIMEOUT,
                        "no answer from dispatch within " + Duration.ofNanos(expiredTimeoutsNs[i]));
                }
            }
            total += count;
        }
        while (count == EXPIRY_BATCH);
        return total;
    }

    private void fail(final long correlationId, final Object handler, final int code, final String text)
    {
        if (handler instanceof PushListener listener)
        {
            try
            {
                listener.onError(correlationId, code, text);
            }
            catch (final RuntimeException ex)
            {
                listenerExceptions.incrementAndGet();
            }
        }
        else if (handler instanceof CompletableFuture<?> future)
        {
            future.completeExceptionally(new PushException(code, text));
        }
    }

    private void complete(final long correlationId, final Object value)
    {
        final Object handler = remove(correlationId);
        if (handler instanceof RequestFuture future)
        {
            future.complete(value);
        }
        else if (handler instanceof PushFuture || handler instanceof PushListener)
        {
            fail(correlationId, handler, CommandErrors.MALFORMED, UNEXPECTED_ANSWER_TEXT);
        }
        else
        {
            lateAnswers.incrementAndGet();
        }
    }

    private static final class RequestFuture extends CompletableFuture<Object>
    {
        private long correlationId;
    }

    private static final class PushFuture extends CompletableFuture<Long>
    {
        private long correlationId;
    }

    private final class Completer implements ResponseListener
    {
        public void onAccepted(final long correlationId, final long messageId, final int targets)
        {
            final Object handler = remove(correlationId);
            if (handler instanceof PushListener listener)
            {
                try
                {
                    listener.onAccepted(correlationId, messageId);
                }
                catch (final RuntimeException ex)
                {
                    listenerExceptions.incrementAndGet();
                }
            }
            else if (handler instanceof PushFuture future)
            {
                future.complete(messageId);
            }
            else if (handler instanceof RequestFuture future)
            {
                future.complete(messageId);
            }
            else
            {
                lateAnswers.incrementAndGet();
            }
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
            final Object handler = remove(correlationId);
            if (null == handler)
            {
                lateAnswers.incrementAndGet();
            }
            else
            {
                fail(correlationId, handler, code, text);
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
