package io.pushwire.box;

import io.aeron.driver.MediaDriver;
import io.pushwire.config.Setting;
import io.pushwire.config.Settings;
import io.pushwire.link.BoxMediaDriver;
import io.pushwire.link.LinkConfiguration;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.util.List;

/**
 * {@code pushwire driver}: the box's Aeron media driver, in its own process.
 */
final class DriverCommand implements Command
{
    public String name()
    {
        return "driver";
    }

    public String usage()
    {
        return "driver [--dir DIR] [--length BYTES]";
    }

    public String summary()
    {
        return "Runs the box's Aeron media driver, which every other pushwire process on the box connects to. " +
            "Stops on SIGTERM or SIGINT and removes its directory.";
    }

    public List<Setting> settings()
    {
        return LinkConfiguration.driverSettings();
    }

    public int run(final List<String> positional)
    {
        Settings.printResolved(System.out, "driver", settings());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); MediaDriver driver = BoxMediaDriver.launch())
        {
            System.out.println("driver: running in " + driver.aeronDirectoryName());
            barrier.await();
            System.out.println("driver: stopping");
        }
        return 0;
    }
}
