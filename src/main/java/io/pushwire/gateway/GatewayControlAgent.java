package io.pushwire.gateway;

import io.pushwire.link.ControlEndpoint;
import io.pushwire.status.ProcessMonitor;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

/**
 * The gateway's housekeeping agent: polls the control stream (DRAIN from the console, local and, when
 * configured, signed remote) and keeps the process's presence heartbeat and logs ({@link ProcessMonitor}).
 * Runs on its own thread (or is invoked with the others in invoker mode); touches no reactor state:
 * a drain goes through {@link Gateway#drain(int)}, which is safe from any thread.
 */
final class GatewayControlAgent implements Agent
{
    private static final int FRAGMENT_LIMIT = 8;

    private final ControlEndpoint control;
    private final ProcessMonitor monitor;
    private final EpochClock clock;
    private final String roleName;

    GatewayControlAgent(final ControlEndpoint control, final ProcessMonitor monitor, final EpochClock clock)
    {
        this.control = control;
        this.monitor = monitor;
        this.clock = clock;
        this.roleName = monitor.name() + "-control";
    }

    public int doWork()
    {
        return control.poll(FRAGMENT_LIMIT) + monitor.doWork(clock.time());
    }

    public String roleName()
    {
        return roleName;
    }
}
