package io.pushwire.gateway;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.AdminCounters;
import io.pushwire.link.AdminVerifier;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.ControlEndpoint;
import io.pushwire.link.DispatchProxy;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.Probe;
import io.pushwire.status.ProcessMonitor;
import io.pushwire.status.ProcessStatus;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The gateway process: per-core {@link ReactorAgent}s that hold device connections, a {@link LoadProbeAgent},
 * the counters and the link to dispatch. {@link #launch} starts it; {@link #close()} stops it gracefully
 * (listeners closed, every connection told BYE or REDIRECT at a bounded rate, dispatch told of each close).
 * <p>
 * Threading: in {@link GatewayConfiguration.ThreadingMode#DEDICATED} every agent has its own thread; the
 * reactors idle as {@link GatewayConfiguration#IDLE_STRATEGY} says (by default a {@link BackoffIdleStrategy}
 * that parks at most 1 ms); in {@link GatewayConfiguration.ThreadingMode#INVOKER}
 * nothing runs until the owner calls {@link #doWork()} (tests, with a controllable clock). {@link #drain(int)}
 * and {@link #close()} may be called from any thread.
 */
public final class Gateway implements AutoCloseable
{
    private final GatewayContext ctx;
    private final Aeron aeron;
    private final boolean ownsAeron;
    private final GatewayCounters counters;
    private final GatewayState state = new GatewayState();
    private final List<ReactorAgent> reactors = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    private final LoadProbeAgent probe;
    private final ProcessMonitor monitor;
    private final AdminCounters adminCounters;
    private final ControlEndpoint control;
    private final long instanceId;
    private final int port;
    private volatile boolean closed;

    private Gateway(final GatewayContext ctx)
    {
        this.ctx = ctx;
        this.ownsAeron = null == ctx.aeron();
        this.aeron = ownsAeron ? BoxMediaDriver.connect(ctx.aeronDirectoryName(), "gateway-" + ctx.gatewayId()) : ctx.aeron();
        long id = 0;
        while (0 == id)
        {
            id = new SecureRandom().nextLong();
        }
        this.instanceId = id;
        this.counters = new GatewayCounters(aeron, ctx.gatewayId());
        this.monitor = ProcessMonitor.fromConfiguration(
            aeron, ProcessStatus.ROLE_GATEWAY, ctx.gatewayId(), SystemEpochClock.INSTANCE, System.err);
        this.adminCounters = new AdminCounters(aeron, monitor.name(), ctx.gatewayId());
        this.control = control(aeron, ctx, adminCounters, monitor, counters, this::drain);
        int boundPort = ctx.port();
        try
        {
            for (int r = 0; r < ctx.reactors(); r++)
            {
                final ExclusivePublication upstream =
                    aeron.addExclusivePublication(ctx.publicationChannel(), LinkConfiguration.UPSTREAM_STREAM_ID);
                final Subscription downstream = aeron.addSubscription(
                    ctx.subscriptionChannel(), LinkConfiguration.downstreamStreamId(ctx.gatewayId(), r));
                final Subscription topics = aeron.addSubscription(ctx.subscriptionChannel(), LinkConfiguration.TOPIC_STREAM_ID);
                final ReactorAgent reactor = new ReactorAgent(
                    r, ctx.reactors(), instanceId, ctx, counters, state, new DispatchProxy(upstream, ctx.maxBodyLength()),
                    downstream, topics, boundPort);
                reactors.add(reactor);
                boundPort = reactor.listenerPort();
            }
            this.port = boundPort;
            final int probePort = ctx.probePort() == ctx.port() ? boundPort : ctx.probePort();
            this.probe = probePort < 0 ? null : new LoadProbeAgent(
                new InetSocketAddress(ctx.host(), probePort), ctx.nanoClock(), probeLoad(), counters.connections::get,
                this::probeFlags, counters, ctx, 1024);
        }
        catch (final RuntimeException ex)
        {
            reactors.forEach(ReactorAgent::onClose);
            CloseHelper.quietCloseAll(control, adminCounters, monitor, counters);
            if (ownsAeron)
            {
                CloseHelper.quietClose(aeron);
            }
            throw ex;
        }
    }

    private static ControlEndpoint control(
        final Aeron aeron,
        final GatewayContext ctx,
        final AdminCounters adminCounters,
        final ProcessMonitor monitor,
        final GatewayCounters counters,
        final java.util.function.IntConsumer drain)
    {
        try
        {
            return new ControlEndpoint(aeron, ctx.gatewayId(), ctx.subscriptionChannel(), ctx.publicationChannel(),
                AdminConfiguration.REMOTE_CHANNEL.get(), AdminConfiguration.REMOTE_RESPONSE_CHANNEL.get(),
                AdminConfiguration.KEYS.get().isBlank() ? null : AdminVerifier.fromConfiguration(), adminCounters,
                counters.controlAnswersDelayed, counters.controlAnswersDropped, drain, SystemEpochClock.INSTANCE);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(adminCounters, monitor, counters);
            throw ex;
        }
    }

    /**
     * Concludes the context, binds the listeners and the probe, and starts the agents (or readies them for
     * {@link #doWork()} in invoker mode).
     *
     * @param ctx the configuration.
     * @return the running gateway.
     */
    public static Gateway launch(final GatewayContext ctx)
    {
        ctx.conclude();
        final Gateway gateway = new Gateway(ctx);
        gateway.start();
        return gateway;
    }

    private void start()
    {
        final ErrorHandler errorHandler = monitor.errorHandler();
        final List<Agent> agents = new ArrayList<>(reactors);
        agents.add(new GatewayControlAgent(control, monitor, SystemEpochClock.INSTANCE));
        if (null != probe)
        {
            agents.add(probe);
        }
        for (final Agent agent : agents)
        {
            if (GatewayConfiguration.ThreadingMode.INVOKER == ctx.threadingMode())
            {
                final AgentInvoker invoker = new AgentInvoker(errorHandler, null, agent);
                invoker.start();
                invokers.add(invoker);
            }
            else
            {
                final AgentRunner runner = new AgentRunner(
                    ctx.newIdleStrategy(),
                    errorHandler, null, agent);
                AgentRunner.startOnThread(runner);
                runners.add(runner);
            }
        }
        // Every reactor bound its listener in the constructor (the kernel queues connects until the reactor accepts
        // them): the gateway serves, and its presence says so from the control agent's next duty cycle on.
        monitor.serving();
    }

    private IntSupplier probeLoad()
    {
        if (null != ctx.probeLoadPermille())
        {
            return ctx.probeLoadPermille();
        }
        final long capacity = (long)ctx.slotsPerReactor() * ctx.reactors();
        return () -> (int)Math.min(1000, counters.connections.get() * 1000 / capacity);
    }

    private int probeFlags()
    {
        return (0 != state.drainReason() ? Probe.FLAG_DRAINING : 0) | (state.isAnyFull() ? Probe.FLAG_FULL : 0);
    }

    /**
     * In invoker mode, runs one duty cycle of every agent.
     *
     * @return work done.
     */
    public int doWork()
    {
        int work = 0;
        for (int i = 0; i < invokers.size(); i++)
        {
            work += invokers.get(i).invoke();
        }
        return work;
    }

    /**
     * @return the device TCP port the listeners are bound to.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the UDP probe port, or -1 without a probe.
     */
    public int probePort()
    {
        return null == probe ? -1 : probe.port();
    }

    public GatewayCounters counters()
    {
        return counters;
    }

    public GatewayContext context()
    {
        return ctx;
    }

    /**
     * @return the random id of this run, sent in GATEWAY_STATUS: dispatch learns of a restart by its change.
     */
    public long instanceId()
    {
        return instanceId;
    }

    ReactorAgent reactor(final int index)
    {
        return reactors.get(index);
    }

    /**
     * Starts a drain: every reactor closes its listener (leaves the port's group, for good) and moves its
     * devices off with REDIRECT (draining) to {@code pushwire.gateway.redirect-to}, or BYE (draining)
     * without targets, at the given rate for the whole gateway. Returns at once; any thread.
     *
     * @param ratePerSecond connections a second.
     */
    public void drain(final int ratePerSecond)
    {
        state.requestDrain(CloseReason.DRAINING, Math.max(1, ratePerSecond));
    }

    /**
     * @return connections held now (all reactors), from the shared counter.
     */
    public long connections()
    {
        return counters.connections.get();
    }

    /**
     * Stops gracefully: listeners close, every connection is told BYE (shutdown) or REDIRECT at
     * {@code stop-rate}, dispatch hears SESSION_CLOSED for each; after {@code stop-timeout} the rest close at
     * once. Then the agents stop and the link and counters are released. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (0 == state.drainReason())
        {
            state.requestDrain(CloseReason.SHUTDOWN, ctx.stopRatePerSec());
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.stopTimeoutMs());
        awaitNoConnections(deadlineNs);
        if (counters.connections.get() > 0)
        {
            state.requestDrain(state.drainReason(), Integer.MAX_VALUE);
            awaitNoConnections(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        }
        awaitNoConnections(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        for (final AgentInvoker invoker : invokers)
        {
            CloseHelper.quietClose(invoker);
        }
        CloseHelper.quietCloseAll(control, adminCounters, monitor, counters);
        if (ownsAeron)
        {
            CloseHelper.quietClose(aeron);
        }
    }

    private void awaitNoConnections(final long deadlineNs)
    {
        while (counters.connections.get() > 0 && System.nanoTime() - deadlineNs < 0)
        {
            if (invokers.isEmpty())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            else
            {
                doWork();
            }
        }
    }

    public String toString()
    {
        return "gateway-" + ctx.gatewayId() + " on " + ctx.host() + ":" + port + " (" + reactors.size() + " reactors)";
    }
}
