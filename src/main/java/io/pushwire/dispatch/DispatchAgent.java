package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.AdminAuth;
import io.pushwire.link.AdminAuthFilter;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.AdminCounters;
import io.pushwire.link.AdminVerifier;
import io.pushwire.link.CommandAdapter;
import io.pushwire.link.CommandErrors;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.ResponseProxy;
import io.pushwire.link.UpstreamAdapter;
import io.pushwire.status.LatencyLog;
import io.pushwire.status.ProcessMonitor;
import io.pushwire.store.Store;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

/**
 * The dispatch agent: one thread owns all of dispatch's state, so nothing is locked. Its duty cycle reads
 * the clock once, polls the upstream stream from gateways and the command stream from senders (each up
 * to a fragment limit; with {@code sync=every} the commands of one poll are a group commit: one msync, then
 * their deliveries and {@code accepted} answers), offers the answers to senders that the response publication
 * refused (a term's end, back pressure), in order, retries what back pressure held back towards gateways, and runs the timed maintenance (expiry
 * sweep, receipt eviction, gateway liveness, periodic store sync, snapshot and retention). It returns
 * the work done for the idle strategy.
 * <p>
 * Tests drive {@link #doWork()} directly, with a controllable {@link EpochClock} in the context.
 */
public final class DispatchAgent implements Agent
{
    private static final int UPSTREAM_FRAGMENT_LIMIT = 256;
    private static final int COMMAND_FRAGMENT_LIMIT = 64;
    private static final int RETRY_LIMIT = 256;

    private final DispatchContext ctx;
    private final DispatchState state;
    private final Store store;
    private final Subscription upstreamSubscription;
    private final Subscription commandSubscription;
    private final UpstreamAdapter upstream;
    private final CommandAdapter commands;
    private final Outbox outbox;
    private final Publication responsePublication;
    private final Deliverer deliverer;
    private final DeviceSessions sessions;
    private final Maintenance maintenance;
    private final CommandHandler commandHandler;
    private final EpochClock clock;
    private final ProcessMonitor monitor;
    private final Subscription remoteCommandSubscription;
    private final Publication remoteResponsePublication;
    private final CommandHandler remoteCommandHandler;
    private final FragmentAssembler remoteCommands;

    /**
     * @param ctx      concluded context.
     * @param aeron    client to add publications and subscriptions with.
     * @param store    the opened store, already replayed into {@code state}.
     * @param state    the recovered state.
     * @param counters where to count.
     * @param monitor  the process's presence, error and latency logs (heartbeat and intervals in the duty cycle).
     * @param admin    counts signed and refused commands on the remote administration channel.
     */
    public DispatchAgent(final DispatchContext ctx, final Aeron aeron, final Store store, final DispatchState state,
        final DispatchCounters counters, final ProcessMonitor monitor, final AdminCounters admin)
    {
        this.monitor = monitor;
        this.ctx = ctx;
        this.state = state;
        this.store = store;
        this.clock = ctx.epochClock();
        upstreamSubscription = aeron.addSubscription(ctx.subscriptionChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
        commandSubscription = aeron.addSubscription(ctx.subscriptionChannel(), LinkConfiguration.COMMAND_STREAM_ID);
        responsePublication = aeron.addExclusivePublication(ctx.publicationChannel(), LinkConfiguration.RESPONSE_STREAM_ID);
        final ResponseProxy responses = new ResponseProxy(responsePublication, counters.answersDelayed, counters.answersDropped);
        outbox = new Outbox(aeron, ctx.publicationChannel(), ctx.maxPayload(), ctx.maxDeviceAnswers(),
            counters.deviceAnswersDelayed, counters.deviceAnswersDropped, counters.controlDropped,
            counters.publicationAddsFailed);
        deliverer = new Deliverer(ctx, state, store, outbox, counters);
        sessions = new DeviceSessions(ctx, state, store, outbox, deliverer, counters);
        maintenance = new Maintenance(ctx, state, store, sessions, counters);
        upstream = new UpstreamAdapter(upstreamSubscription, sessions);
        final LatencyLog pushLatency = monitor.latencyLog("push", clock.time());
        commandHandler = new CommandHandler(ctx, state, store, deliverer, sessions, responses, counters, pushLatency);
        commands = new CommandAdapter(commandSubscription, commandHandler);

        final String remoteChannel = AdminConfiguration.REMOTE_CHANNEL.get().trim();
        if (remoteChannel.isEmpty())
        {
            remoteCommandSubscription = null;
            remoteResponsePublication = null;
            remoteCommandHandler = null;
            remoteCommands = null;
        }
        else
        {
            remoteCommandSubscription = aeron.addSubscription(remoteChannel, LinkConfiguration.COMMAND_STREAM_ID);
            remoteResponsePublication = aeron.addExclusivePublication(
                AdminConfiguration.REMOTE_RESPONSE_CHANNEL.get().trim(), LinkConfiguration.RESPONSE_STREAM_ID);
            final ResponseProxy remoteResponses =
                new ResponseProxy(remoteResponsePublication, counters.answersDelayed, counters.answersDropped);
            remoteCommandHandler = new CommandHandler(ctx, state, store, deliverer, sessions, remoteResponses, counters, pushLatency);
            final CommandAdapter remoteAdapter = new CommandAdapter(remoteCommandSubscription, remoteCommandHandler);
            remoteCommands = new FragmentAssembler(new AdminAuthFilter(remoteAdapter,
                AdminConfiguration.KEYS.get().isBlank() ? null : AdminVerifier.fromConfiguration(), true, admin,
                (clientId, correlationId, result) ->
                    remoteResponses.error(clientId, correlationId, CommandErrors.NOT_AUTHORIZED,
                        CommandErrors.name(CommandErrors.NOT_AUTHORIZED) + ": " + AdminAuth.describe(result)),
                clock));
        }
    }

    public int doWork()
    {
        final long nowMs = clock.time();
        // first: what waits for a reactor whose publication just appeared leaves in this cycle's retries
        int work = outbox.pollPublications();
        work += upstream.poll(UPSTREAM_FRAGMENT_LIMIT);
        store.beginBatch();
        try
        {
            work += commands.poll(COMMAND_FRAGMENT_LIMIT);
            if (null != remoteCommands)
            {
                work += remoteCommandSubscription.poll(remoteCommands, COMMAND_FRAGMENT_LIMIT);
            }
        }
        finally
        {
            store.endBatch();
        }
        work += commandHandler.flushGroupCommit();
        work += commandHandler.retryAnswers();
        if (null != remoteCommandHandler)
        {
            work += remoteCommandHandler.flushGroupCommit();
            work += remoteCommandHandler.retryAnswers();
        }
        work += monitor.doWork(nowMs);
        if (outbox.hasBacklog())
        {
            work += deliverer.retryBacklogs(RETRY_LIMIT);
        }
        if (outbox.hasRetries())
        {
            work += deliverer.retry(RETRY_LIMIT);
        }
        work += maintenance.doWork(nowMs);
        return work;
    }

    public void onClose()
    {
        CloseHelper.closeAll(outbox, upstreamSubscription, commandSubscription, responsePublication, remoteCommandSubscription,
            remoteResponsePublication);
    }

    public String roleName()
    {
        return "dispatch";
    }

    /**
     * @return the state (tests and the bench look inside; only from the agent's thread or when it is idle).
     */
    public DispatchState state()
    {
        return state;
    }

    public Store store()
    {
        return store;
    }

    /**
     * @return what sends to gateways (tests look inside; only from the agent's thread or when it is idle).
     */
    Outbox outbox()
    {
        return outbox;
    }

    Maintenance maintenance()
    {
        return maintenance;
    }

    public DispatchContext context()
    {
        return ctx;
    }

    /**
     * @return true when at least one gateway reactor publishes upstream to this dispatch.
     */
    public boolean isUpstreamConnected()
    {
        return upstreamSubscription.isConnected();
    }

    /**
     * @return offers refused by back pressure since start.
     */
    public long backPressured()
    {
        return outbox.backPressured();
    }
}
