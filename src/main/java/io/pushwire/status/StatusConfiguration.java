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
        "pushwire.status.dir", "", "where error logs and latency histogram logs go (default: 'status' beside the Aeron dir)");
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
     * @return the status directory: the setting, or {@code status} beside the Aeron directory.
     */
    public static File statusDir()
    {
        final String configured = STATUS_DIR.get().trim();
        if (!configured.isEmpty())
        {
            return new File(configured);
        }
        final File aeronDir = new File(LinkConfiguration.AERON_DIR.get()).getAbsoluteFile();
        final File parent = aeronDir.getParentFile();
        return new File(null == parent ? new File(".") : parent, "status");
    }
}
