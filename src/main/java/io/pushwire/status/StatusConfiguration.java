package io.pushwire.status;

import io.pushwire.config.Setting;
import io.pushwire.link.LinkConfiguration;

import java.io.File;
import java.util.List;

/**
 * Where a process leaves what monitoring tools read without asking it: its distinct error log and its
 * latency histogram log. Counters need no setting: they live in the media driver's CnC file.
 */
public final class StatusConfiguration
{
    public static final Setting STATUS_DIR = Setting.of(
        "pushwire.status.dir", "", "where error logs and latency histogram logs go (default: 'status' beside the Aeron dir if that is named 'aeron', else inside it)");
    public static final Setting ERROR_LOG_LENGTH = Setting.of(
        "pushwire.status.error.log.length", "1m", "size of each process's distinct error log file");
    public static final Setting HISTOGRAM_INTERVAL = Setting.of(
        "pushwire.status.histogram.interval", "5s", "how often latency histograms are written to the interval log");
    public static final Setting VERSION = Setting.of(
        "pushwire.status.version", "0.1.0", "release label this process reports (gray release compares them)");

    private StatusConfiguration()
    {
    }

    public static List<Setting> settings()
    {
        return List.of(STATUS_DIR, ERROR_LOG_LENGTH, HISTOGRAM_INTERVAL, VERSION);
    }

    /**
     * @return the status directory of the configured Aeron directory ({@link #statusDir(String)}).
     */
    public static File statusDir()
    {
        return statusDir(LinkConfiguration.AERON_DIR.get());
    }

    /**
     * The status directory: {@code pushwire.status.dir} when set; otherwise {@code status} beside the Aeron
     * directory when that is named {@code aeron} (the box layout, {@code /dev/shm/pushwire-<user>/aeron} and
     * {@code .../status}, which outlives the driver), else {@code status} inside the Aeron directory (an
     * Aeron directory of another name, such as a test's, is removed with everything in it).
     *
     * @param aeronDir the Aeron directory the process uses.
     * @return where its error and latency logs go.
     */
    public static File statusDir(final String aeronDir)
    {
        final String configured = STATUS_DIR.get().trim();
        if (!configured.isEmpty())
        {
            return new File(configured);
        }
        final File dir = new File(aeronDir).getAbsoluteFile();
        final File parent = dir.getParentFile();
        if ("aeron".equals(dir.getName()) || null == parent)
        {
            return new File(null == parent ? new File(".") : parent, "status");
        }
        return new File(dir, "status");
    }
}
