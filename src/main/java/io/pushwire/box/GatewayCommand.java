package io.pushwire.box;

import io.pushwire.config.Setting;
import io.pushwire.config.Settings;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.List;

/**
 * {@code pushwire gateway}: one gateway process, holding device connections for the box's dispatch.
 */
final class GatewayCommand implements Command
{
    public String name()
    {
        return "gateway";
    }

    public String usage()
    {
        return "gateway [--id N] [--port P] [--reactors R] [--option value ...]";
    }

    public String summary()
    {
        return "Runs a gateway process: accepts device TCP connections on a port shared with other gateways " +
            "(SO_REUSEPORT), verifies tokens, keeps heartbeats and forwards device traffic to dispatch over the box's " +
            "media driver. Stops gracefully on SIGTERM or SIGINT (BYE or REDIRECT to every device).";
    }

    public List<Setting> settings()
    {
        return GatewayConfiguration.settings();
    }

    public int run(final List<String> positional)
    {
        Settings.printResolved(System.out, "gateway", settings());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); Gateway gateway = Gateway.launch(new GatewayContext()))
        {
            System.out.println("gateway: " + gateway + ", probe udp " + gateway.probePort() + ", instance " +
                Long.toHexString(gateway.instanceId()));
            barrier.await();
            System.out.println("gateway: stopping, " + gateway.connections() + " connections to move off");
        }
        System.out.println("gateway: stopped");
        return 0;
    }
}
