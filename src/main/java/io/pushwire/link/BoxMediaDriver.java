package io.pushwire.link;

import io.aeron.Aeron;
import io.aeron.exceptions.ClientTimeoutException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The box's one Aeron media driver, configured for a box that runs many pushwire processes:
 * term buffers sized down from Aeron's 64 MiB IPC default, the driver's agents sharing one thread,
 * and an idle strategy that backs off to sleeping rather than spinning a core.
 */
public final class BoxMediaDriver
{
    /**
     * Exit code of a process that lost its media driver (see {@link #onClientError}).
     */
    public static final int EXIT_LOST_DRIVER = 70;

    private BoxMediaDriver()
    {
    }

    /**
     * @param aeronDir      the Aeron directory (in /dev/shm on Linux).
     * @param termLength    IPC and publication term length in bytes (power of two, at least 64 KiB).
     * @param deleteOnStart remove a stale directory left by a previous run.
     * @return the driver's context, not yet launched. Term buffers are not sparse: the driver zero-fills them
     * when it creates a log, so a publisher crossing into a new term page does not take a page fault that
     * allocates shared memory on its hot thread (perf showed those faults as 3-4 ms runs on dispatch's agent).
     */
    public static MediaDriver.Context context(final String aeronDir, final int termLength, final boolean deleteOnStart)
    {
        final long livenessNs = LinkConfiguration.CLIENT_LIVENESS_TIMEOUT.getDurationNs(TimeUnit.SECONDS);
        return new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .dirDeleteOnStart(deleteOnStart)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(LinkConfiguration.DRIVER_IDLE_STRATEGY.getIdleStrategy())
            .termBufferSparseFile(false)
            .ipcTermBufferLength(termLength)
            .publicationTermBufferLength(termLength)
            .ipcPublicationTermWindowLength(termLength / 2)
            .clientLivenessTimeoutNs(livenessNs)
            .publicationUnblockTimeoutNs(2 * livenessNs)
            .warnIfDirectoryExists(false);
    }

    /**
     * Launches a driver with the box settings read from {@link LinkConfiguration}.
     *
     * @return the running driver; close it to stop.
     */
    public static MediaDriver launch()
    {
        secureParentDirectory(LinkConfiguration.AERON_DIR.get());
        return MediaDriver.launch(context(
            LinkConfiguration.AERON_DIR.get(), (int)LinkConfiguration.TERM_LENGTH.getSizeBytes(), true));
    }

    /**
     * Creates the parent of the Aeron directory, when it does not exist yet, readable, writable and
     * searchable by its owner only (0700): then only that user (and root) can open the driver's CnC file,
     * so only they can read the box's counters or command it over local IPC. An existing parent is left as
     * it is (it may be a shared directory such as /dev/shm); its permissions are returned for the log.
     *
     * @param aeronDir the Aeron directory.
     * @return the parent's permissions afterwards, e.g. {@code rwx------}, or "" where POSIX permissions
     * are not supported.
     */
    public static String secureParentDirectory(final String aeronDir)
    {
        final Path parent = Path.of(aeronDir).toAbsolutePath().getParent();
        if (null == parent)
        {
            return "";
        }
        try
        {
            if (!Files.exists(parent))
            {
                final Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(ownerOnly));
                Files.setPosixFilePermissions(parent, ownerOnly);
            }
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(parent));
        }
        catch (final UnsupportedOperationException ex)
        {
            return "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + parent + " for the Aeron directory", ex);
        }
    }

    /**
     * Connects an Aeron client to the box's driver, for a process that joins the link. The client pre-touches
     * the log buffers it maps, so the minor faults happen when a publication or image is set up rather than
     * on the first offer or poll into each page.
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
            .preTouchMappedMemory(true)
            .driverTimeoutMs(TimeUnit.SECONDS.toMillis(10))
            .errorHandler((error) -> onClientError(clientName, error)));
    }

    /**
     * A client error is printed; a fatal one ends the process at once. When the driver and a client lose
     * each other (the client's conductor was starved past the liveness timeout, or the driver went away)
     * Aeron closes the client and unmaps its buffers, and an agent still writing a counter or offering to
     * a publication would then fault on unmapped memory. Exiting with {@link #EXIT_LOST_DRIVER} instead
     * lets the supervisor restart the process cleanly; what it had accepted is in the store.
     */
    static void onClientError(final String clientName, final Throwable error)
    {
        System.err.println(clientName + ": Aeron client error: " + error);
        if (error instanceof ConductorServiceTimeoutException ||
            error instanceof DriverTimeoutException ||
            error instanceof ClientTimeoutException)
        {
            System.err.println(clientName + ": lost the media driver; exiting (" + EXIT_LOST_DRIVER + ") to be restarted");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_LOST_DRIVER);
        }
    }
}
