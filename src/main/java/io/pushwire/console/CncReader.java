package io.pushwire.console;

import io.aeron.CncFileDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * The media driver's CnC file, mapped the way AeronStat and ErrorStat map it: the console reads every
 * process's counters and the driver's own error log without connecting as a client and without asking
 * any process. Needs the permission to open the box's Aeron directory (which is what guards local
 * administration). Not thread-safe; close to unmap.
 */
final class CncReader implements AutoCloseable
{
    private final File cncFile;
    private final MappedByteBuffer mapped;
    private final DirectBuffer metaData;
    private final CountersReader counters;
    private final ManyToOneRingBuffer toDriver;
    private final AtomicBuffer errorLog;

    /**
     * @param aeronDir the box's Aeron directory.
     * @throws IllegalStateException when there is no driver there or the file cannot be opened.
     */
    CncReader(final String aeronDir)
    {
        cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.exists())
        {
            throw new IllegalStateException("no media driver in " + aeronDir + " (no " + CncFileDescriptor.CNC_FILE +
                "): is the box running, and is --dir its Aeron directory?");
        }
        try
        {
            mapped = IoUtil.mapExistingFile(cncFile, "cnc");
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("cannot open " + cncFile + " (" + ex.getMessage() + "): only users who can open " +
                "the box's Aeron directory may read or command it", ex);
        }
        metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
        CncFileDescriptor.checkVersion(metaData.getInt(CncFileDescriptor.cncVersionOffset(0)));
        counters = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(mapped, metaData),
            CncFileDescriptor.createCountersValuesBuffer(mapped, metaData));
        toDriver = new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(mapped, metaData));
        errorLog = new UnsafeBuffer(CncFileDescriptor.createErrorLogBuffer(mapped, metaData));
    }

    CountersReader counters()
    {
        return counters;
    }

    long driverPid()
    {
        return CncFileDescriptor.pid(metaData);
    }

    long driverStartedAtMs()
    {
        return CncFileDescriptor.startTimestampMs(metaData);
    }

    /**
     * @return the driver conductor's last heartbeat, epoch ms.
     */
    long driverHeartbeatMs()
    {
        return toDriver.consumerHeartbeatTime();
    }

    /**
     * @param consumer called per distinct error in the driver's own error log.
     * @return distinct errors read.
     */
    int readDriverErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorLog, consumer);
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
