package io.pushwire.box;

import io.aeron.CncFileDescriptor;
import io.pushwire.status.ProcessStatus;
import org.agrona.IoUtil;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Which of the box's children serve, read from their presence counters ({@link ProcessStatus}) in the media driver's
 * CnC file, the way the console reads them: without connecting to the driver and without asking any child. A child
 * serves once a presence with its current pid has heartbeated (a gateway does so once its listeners are bound, dispatch
 * once its store is replayed); the pid tells a restarted child from the presence its previous process left.
 * <p>
 * Each {@link #look()} maps the CnC file afresh, so a restarted driver's new file is read; it is only used while the
 * box waits for its children to start. Not thread-safe: the supervisor's loop uses it.
 */
final class ChildReadiness
{
    /**
     * A pid that has a presence and no heartbeat yet.
     */
    static final long STARTING = ProcessStatus.STARTING;

    /**
     * A pid that has no presence.
     */
    static final long ABSENT = -1;

    private final File cncFile;
    private final Long2LongHashMap heartbeatByPid = new Long2LongHashMap(ABSENT);

    /**
     * @param aeronDir the box's Aeron directory.
     */
    ChildReadiness(final String aeronDir)
    {
        this.cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
    }

    /**
     * Reads every presence in the CnC file; a file that is missing or not (yet) readable counts as none.
     */
    void look()
    {
        heartbeatByPid.clear();
        if (!cncFile.exists())
        {
            return;
        }
        MappedByteBuffer mapped = null;
        try
        {
            mapped = IoUtil.mapExistingFile(cncFile, FileChannel.MapMode.READ_ONLY, "cnc");
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            if (metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0)) != CncFileDescriptor.CNC_VERSION)
            {
                return;
            }
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, metaData),
                CncFileDescriptor.createCountersValuesBuffer(mapped, metaData));
            ProcessStatus.forEach(counters, (entry) ->
                heartbeatByPid.put(entry.pid(), Math.max(entry.heartbeatMs(), heartbeatByPid.get(entry.pid()))));
        }
        catch (final RuntimeException ex)
        {
            // A driver restarting under us: its file is being replaced. Nothing serves until the next look.
            heartbeatByPid.clear();
        }
        finally
        {
            if (null != mapped)
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    /**
     * @param pid a child's current pid.
     * @return true if, at the last {@link #look()}, that process had said it serves.
     */
    boolean isServing(final long pid)
    {
        return heartbeatByPid.get(pid) > STARTING;
    }

    /**
     * @param pid a child's current pid.
     * @return what the last {@link #look()} saw of it, for an operator.
     */
    String describe(final long pid)
    {
        final long heartbeatMs = heartbeatByPid.get(pid);
        if (ABSENT == heartbeatMs)
        {
            return "not registered with the media driver yet";
        }
        return STARTING == heartbeatMs ? "registered, not serving yet" : "serving";
    }
}
