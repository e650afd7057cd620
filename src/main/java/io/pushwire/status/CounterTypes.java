package io.pushwire.status;

/**
 * Type ids of pushwire's counters. Counters are Aeron client counters ({@code Aeron.addCounter}), so
 * they live in the media driver's CnC file and any tool (the console, AeronStat) reads them without
 * asking the process. A counter's label starts with its process, e.g. {@code gateway-2: connections};
 * its key holds the process's id (gateway id, shard) as an int at offset 0.
 * <p>
 * Ranges: 1000s gateway, 1100s dispatch, 1200s store, 1300s console and admin, 1400s simulator and
 * client, 1500 process presence. Aeron's own types are below 1000.
 */
public final class CounterTypes
{
    public static final int GATEWAY_BASE = 1000;
    public static final int DISPATCH_BASE = 1100;
    public static final int STORE_BASE = 1200;
    public static final int ADMIN_BASE = 1300;
    public static final int CLIENT_BASE = 1400;

    /**
     * A process's presence and heartbeat ({@link ProcessStatus}).
     */
    public static final int PROCESS_TYPE_ID = 1500;

    private CounterTypes()
    {
    }
}
