package io.pushwire.sender;

import java.util.List;

/**
 * What dispatch knows of a device: whether it is online, on which connection (gateway/reactor/slot/
 * generation), since when, its heartbeat, and per stream (0 = its own, 1 = broadcast, others topics) the
 * head seq and what the device acked.
 */
public record Who(boolean online, long connectionId, int gatewayId, long sinceMs, int heartbeatSec, List<StreamState> streams)
{
    /**
     * One stream of the device.
     */
    public record StreamState(long streamId, long headSeq, long ackedSeq)
    {
    }
}
