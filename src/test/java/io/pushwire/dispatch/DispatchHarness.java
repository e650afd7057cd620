package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushException;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.sender.Who;
import io.pushwire.store.StoreContext;
import io.pushwire.store.SyncPolicy;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedEpochClock;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A real media driver, a dispatch on a store in a temp dir driven by {@code doWork()} on the test thread
 * with a controllable clock, a {@link PushClient}, and test gateway peers. Everything runs on the test
 * thread except the client's response poller, so no test needs sleeps.
 */
final class DispatchHarness implements AutoCloseable
{
    final EmbeddedDriver driver = new EmbeddedDriver();
    final Aeron aeron = driver.connect();
    final CachedEpochClock clock = new CachedEpochClock();
    final File storeDir;
    final List<TestGateway> gateways = new ArrayList<>();
    final Consumer<DispatchContext> customize;
    Dispatch dispatch;
    PushClient client;

    DispatchHarness(final File storeDir, final Consumer<DispatchContext> customize)
    {
        this.storeDir = storeDir;
        this.customize = customize;
        clock.update(1_800_000_000_000L);
        startDispatch();
        client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel());
        await("client connected", client::isConnected);
    }

    void startDispatch()
    {
        final DispatchContext ctx = new DispatchContext()
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .epochClock(clock)
            .storeContext(new StoreContext().dir(storeDir).syncPolicy(SyncPolicy.NONE).rollCycle(RollCycles.FAST_DAILY)
                .retentionMs(Duration.ofDays(8).toMillis()).maxRecordLength(64 * 1024));
        customize.accept(ctx);
        dispatch = new Dispatch(ctx);
    }

    void restartDispatch()
    {
        dispatch.close();
        startDispatch();
        await("client reconnected", client::isConnected);
    }

    DispatchAgent agent()
    {
        return dispatch.agent();
    }

    DispatchState state()
    {
        return dispatch.agent().state();
    }

    TestGateway gateway(final int gatewayId, final int reactor)
    {
        final TestGateway gateway = new TestGateway(aeron, gatewayId, reactor);
        gateways.add(gateway);
        await("gateway connected", gateway::isConnected);
        return gateway;
    }

    /**
     * Lets dispatch deliver {@code payloadLength}-byte messages inline with a window that never fills, as
     * {@link #fillReactor} needs.
     */
    static DispatchContext inlineLargeMessages(final DispatchContext ctx, final int payloadLength)
    {
        return ctx.inlineLimit(payloadLength).window(1_000).windowBytes(64 << 20);
    }

    /**
     * Opens dispatch's publication to the reactor, stops the reactor's downstream reads and pushes messages of
     * {@code payloadLength} bytes to the filler (a device on that reactor) until dispatch's offers are refused. With
     * 4 KB messages and 64 KiB terms the window is full long before 100 messages; dispatch must deliver them inline
     * (its {@code inlineLimit} at least {@code payloadLength}).
     *
     * @return messages pushed.
     */
    int fillReactor(final TestGateway gateway, final TestDevice filler, final int payloadLength)
    {
        final byte[] payload = new byte[payloadLength];
        java.util.Arrays.fill(payload, (byte)'x');
        // the first offer opens dispatch's publication to the reactor (it may be refused as not yet connected)
        push(PushRequest.toDevice(filler.deviceId).payload(payload));
        await("publication connected, filler served", () -> filler.processed().size() == 1);
        settle();
        gateway.paused = true;
        final long refusedBefore = agent().backPressured();
        int pushed = 1;
        while (agent().backPressured() == refusedBefore)
        {
            if (pushed >= 100)
            {
                throw new AssertionError("the reactor still takes offers after 100 messages of " + payloadLength + " bytes");
            }
            push(PushRequest.toDevice(filler.deviceId).payload(payload));
            pushed++;
        }
        return pushed;
    }

    int pump()
    {
        int work = dispatch.agent().doWork();
        for (final TestGateway gateway : gateways)
        {
            work += gateway.poll();
        }
        return work;
    }

    /**
     * Pumps until nothing moves for a few rounds.
     */
    void settle()
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        long idleSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - idleSince < 20_000_000L)
        {
            if (pump() != 0)
            {
                idleSince = System.nanoTime();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    void await(final String what, final BooleanSupplier condition)
    {
        Await.until(what, 10_000, () ->
        {
            pump();
            return condition.getAsBoolean();
        });
    }

    void await(final java.util.function.Supplier<String> what, final BooleanSupplier condition)
    {
        Await.until(what, 10_000, () ->
        {
            pump();
            return condition.getAsBoolean();
        });
    }

    Object complete(final CompletableFuture<?> future)
    {
        await("response from dispatch", future::isDone);
        try
        {
            return future.join();
        }
        catch (final CompletionException ex)
        {
            throw (RuntimeException)ex.getCause();
        }
    }

    long push(final PushRequest request)
    {
        return (Long)complete(client.pushAsync(request));
    }

    PushException pushFails(final PushRequest request)
    {
        try
        {
            push(request);
        }
        catch (final PushException ex)
        {
            return ex;
        }
        throw new AssertionError("push was accepted");
    }

    Receipt receipt(final long messageId)
    {
        return (Receipt)complete(client.receiptAsync(messageId));
    }

    Who who(final String deviceId)
    {
        return (Who)complete(client.deviceAsync(io.pushwire.link.CommandMessages.WHO, deviceId));
    }

    void kick(final String deviceId)
    {
        complete(client.deviceAsync(io.pushwire.link.CommandMessages.KICK, deviceId));
    }

    void bindAlias(final String alias, final String deviceId)
    {
        complete(client.aliasAsync(true, alias, deviceId));
    }

    public void close()
    {
        CloseHelper.closeAll(client, dispatch);
        gateways.forEach(TestGateway::close);
        CloseHelper.closeAll(aeron, driver);
    }
}
