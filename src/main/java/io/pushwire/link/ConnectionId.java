package io.pushwire.link;

/**
 * A device connection's id, unique on a box for the life of the box: it packs the gateway, the
 * reactor within it, the slot in that reactor's connection table and the slot's generation, so a
 * message addressed to a closed connection whose slot was reused is recognised and dropped.
 * <pre>
 *   63        52 51   48 47                     24 23                      0
 *  +------------+-------+-------------------------+-------------------------+
 *  | gateway 12 |reac. 4|        slot 24          |     generation 24       |
 *  +------------+-------+-------------------------+-------------------------+
 * </pre>
 * Limits that follow: 4,096 gateways, 16 reactors a gateway, 16 M slots a reactor; a generation
 * wraps after 16 M reuses of one slot. Zero is never a valid id (generations start at 1).
 */
public final class ConnectionId
{
    public static final int MAX_GATEWAYS = 1 << 12;
    public static final int MAX_REACTORS = 1 << 4;
    public static final int MAX_SLOTS = 1 << 24;
    public static final int GENERATION_MASK = (1 << 24) - 1;

    private ConnectionId()
    {
    }

    /**
     * @param gatewayId  0 to 4,095.
     * @param reactor    0 to 15.
     * @param slot       0 to 16,777,215.
     * @param generation 1 to 16,777,215 (taken modulo 2^24).
     * @return the packed id.
     */
    public static long pack(final int gatewayId, final int reactor, final int slot, final int generation)
    {
        return ((long)(gatewayId & 0xFFF) << 52) |
            ((long)(reactor & 0xF) << 48) |
            ((long)(slot & 0xFFFFFF) << 24) |
            (generation & GENERATION_MASK);
    }

    public static int gatewayId(final long connectionId)
    {
        return (int)(connectionId >>> 52) & 0xFFF;
    }

    public static int reactor(final long connectionId)
    {
        return (int)(connectionId >>> 48) & 0xF;
    }

    public static int slot(final long connectionId)
    {
        return (int)(connectionId >>> 24) & 0xFFFFFF;
    }

    public static int generation(final long connectionId)
    {
        return (int)connectionId & GENERATION_MASK;
    }

    /**
     * @param connectionId the id.
     * @return {@code gateway/reactor/slot/generation}, for logs and the console.
     */
    public static String toString(final long connectionId)
    {
        return gatewayId(connectionId) + "/" + reactor(connectionId) + "/" + slot(connectionId) + "/" + generation(connectionId);
    }
}
