package io.pushwire.test;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.pushwire.link.BoxMediaDriver;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.UUID;

/**
 * A real media driver for tests, in its own directory, with 64 KiB terms so many tests can run on a
 * small box. Close it (try-with-resources) to stop the driver and remove the directory.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    public static final int TERM_LENGTH = 64 * 1024;

    private final MediaDriver driver;

    public EmbeddedDriver()
    {
        final String base = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        final String dir = base + "/pushwire-test-" + UUID.randomUUID();
        driver = MediaDriver.launchEmbedded(BoxMediaDriver.context(dir, TERM_LENGTH, true));
    }

    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    /**
     * @return a new client of this driver; the caller closes it.
     */
    public Aeron connect()
    {
        return BoxMediaDriver.connect(driver.aeronDirectoryName(), "test");
    }

    /**
     * @return an IPC channel with this driver's small term length.
     */
    public static String ipcChannel()
    {
        return "aeron:ipc?term-length=" + TERM_LENGTH;
    }

    public void close()
    {
        CloseHelper.close(driver);
    }
}
