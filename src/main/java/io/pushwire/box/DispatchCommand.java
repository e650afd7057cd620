package io.pushwire.box;

import io.pushwire.config.Setting;
import io.pushwire.config.Settings;
import io.pushwire.dispatch.Dispatch;
import io.pushwire.dispatch.DispatchConfiguration;
import io.pushwire.dispatch.DispatchContext;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pushwire dispatch}: the distribution layer with its store, as its own process.
 */
final class DispatchCommand implements Command
{
    public String name()
    {
        return "dispatch";
    }

    public String usage()
    {
        return "dispatch [--directory STORE_DIR] [--sync none|periodic|every] [--option value ...]";
    }

    public String summary()
    {
        return "Runs dispatch: routes pushes from senders to devices through the gateways, with the store " +
            "(Chronicle Queue) inside it; replays the store on start. Needs the box's media driver running. " +
            "Stops on SIGTERM or SIGINT.";
    }

    public List<Setting> settings()
    {
        return DispatchConfiguration.settings();
    }

    public int run(final List<String> positional)
    {
        Settings.printResolved(System.out, "dispatch", settings());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Dispatch dispatch = new Dispatch(new DispatchContext()))
        {
            System.out.println("dispatch: replayed " + dispatch.replayRecords() + " records in " +
                TimeUnit.NANOSECONDS.toMillis(dispatch.replayNs()) + " ms; " + dispatch.context());
            dispatch.start();
            System.out.println("dispatch: running");
            barrier.await();
            System.out.println("dispatch: stopping");
        }
        return 0;
    }
}
