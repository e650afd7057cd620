package io.pushwire.link;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The box's one Aeron media driver, configured for a box that runs many pushwire processes:
 * term buffers sized down from Aeron's 64 MiB IPC default, the driver's agents sharing one thread,
 * and an idle strategy that backs off to sleeping rather than spinning a core.
 */
public final class BoxMediaDriver
{
    private BoxMediaDriver()
    {
    }

    /**
     * @param aeronDir      the Aeron directory (in /dev/shm on Linux).
     * @param termLength    IPC and publication term length in bytes (power of two, at least 64 KiB).
     * @param deleteOnStart remove a stale directory left by a previous run.
     * @return the driver's context, not yet launched.
     */
    public static MediaDriver.Context context(final String aeronDir, final int termLength, final boolean deleteOnStart)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(deleteOnStart)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)))
            .ipcTermBufferLength(termLength)
            .publicationTermBufferLength(termLength)
            .ipcPublicationTermWindowLength(termLength / 2)
            .clientLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .publicationUnblockTimeoutNs(TimeUnit.SECONDS.toNanos(15))
            .warnIfDirectoryExists(false);
    }

    /**
     * Launches a driver with the box settings read from {@link LinkConfiguration}.
     *
     * @return the running driver; close it to stop.
     */
    public static MediaDriver launch()
    {
        return MediaDriver.launch(context(
            LinkConfiguration.AERON_DIR.get(), (int)LinkConfiguration.TERM_LENGTH.getSizeBytes(), true));
    }

    /**
     * Connects an Aeron client to the box's driver, for a process that joins the link.
     *
     * @param aeronDir   the driver's directory.
     * @param clientName shown by Aeron's tools.
     * @return the client.
     */
    public static Aeron connect(final String aeronDir, final String clientName)
    {
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(aeronDir)
            .clientName(clientName)
            .driverTimeoutMs(TimeUnit.SECONDS.toMillis(10)));
    }
}
