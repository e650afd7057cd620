package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.AdminCounters;
import io.pushwire.status.ProcessMonitor;
import io.pushwire.status.ProcessStatus;
import io.pushwire.store.Store;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.util.concurrent.TimeUnit;

/**
 * The dispatch process's parts, assembled: its Aeron client (own, or given), its counters, the store
 * opened and replayed into a fresh {@link DispatchState}, and the {@link DispatchAgent}; optionally on
 * its own thread ({@link #start()}). Close to stop the agent and release everything in reverse order.
 * <p>
 * Recovery happens in the constructor, on the caller's thread, before the agent polls anything: the
 * replay time and record count are in the {@code store:} counters and {@link #replayRecords()}. Its presence in the
 * CnC file reads starting until then, and shows it serving from the agent's first duty cycle on.
 */
public final class Dispatch implements AutoCloseable
{
    private final DispatchContext ctx;
    private final Aeron aeron;
    private final boolean ownsAeron;
    private final DispatchCounters counters;
    private final ProcessMonitor monitor;
    private final AdminCounters adminCounters;
    private final Store store;
    private final DispatchAgent agent;
    private final long replayRecords;
    private final long replayNs;
    private AgentRunner runner;

    /**
     * Opens the store, replays it and creates the agent (not yet running).
     *
     * @param ctx the context; concluded here.
     */
    public Dispatch(final DispatchContext ctx)
    {
        this.ctx = ctx.conclude();
        ownsAeron = null == ctx.aeron();
        aeron = ownsAeron ? BoxMediaDriver.connect(ctx.aeronDir(), "dispatch") : ctx.aeron();
        counters = new DispatchCounters(aeron);
        monitor = ProcessMonitor.fromConfiguration(aeron, ProcessStatus.ROLE_DISPATCH, 0, ctx.epochClock(), System.err);
        adminCounters = new AdminCounters(aeron, monitor.name(), 0);
        store = new Store(ctx.storeContext());
        final DispatchState state = new DispatchState(ctx.topicRetention(), ctx.maxReceipts());
        final long startNs = System.nanoTime();
        replayRecords = store.replay(state);
        replayNs = System.nanoTime() - startNs;
        counters.replayRecords.setOrdered(replayRecords);
        counters.replayTimeMs.setOrdered(TimeUnit.NANOSECONDS.toMillis(replayNs));
        counters.onlineDevices.setOrdered(0);
        agent = new DispatchAgent(ctx, aeron, store, state, counters, monitor, adminCounters);
        monitor.serving();
    }

    /**
     * Runs the agent on its own thread with the configured idle strategy.
     *
     * @return this.
     */
    public Dispatch start()
    {
        runner = new AgentRunner(
            ctx.newIdleStrategy(),
            monitor.errorHandler(),
            null,
            agent);
        AgentRunner.startOnThread(runner);
        return this;
    }

    public DispatchAgent agent()
    {
        return agent;
    }

    public DispatchCounters counters()
    {
        return counters;
    }

    public long replayRecords()
    {
        return replayRecords;
    }

    public long replayNs()
    {
        return replayNs;
    }

    public DispatchContext context()
    {
        return ctx;
    }

    public void close()
    {
        if (null != runner)
        {
            CloseHelper.close(runner);
        }
        else
        {
            agent.onClose();
        }
        CloseHelper.closeAll(store, adminCounters, monitor, counters);
        if (ownsAeron)
        {
            CloseHelper.close(aeron);
        }
    }
}
