package io.pushwire.status;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A process's presence on the box, as a counter in the media driver's CnC file: its key says who it
 * is (role, id, pid, start time) and its value is the epoch millisecond of its last heartbeat, so the
 * console lists every process, its uptime and its availability, and the box supervisor knows when its children
 * serve, without asking any of them.
 * <pre>
 *  key:   role i32 | id i32 | pid i64 | startedAtMs i64 | version (ASCII, up to 32 bytes, NUL padded)
 *  value: {@link #STARTING} (0) from registration until the first {@link #heartbeat(long)}, which a process gives
 *         once it serves (a gateway's listeners are bound, dispatch has replayed its store); then the epoch ms of
 *         the last heartbeat: a process silent for 3 s is shown as down
 * </pre>
 * Not thread-safe for {@link #heartbeat(long)} callers beyond one; reading is safe from anywhere.
 */
public final class ProcessStatus implements AutoCloseable
{
    public static final int TYPE_ID = CounterTypes.PROCESS_TYPE_ID;
    public static final int ROLE_DRIVER = 1;
    public static final int ROLE_DISPATCH = 2;
    public static final int ROLE_GATEWAY = 3;
    public static final int ROLE_CONSOLE = 4;
    public static final int ROLE_SIMULATOR = 5;

    /**
     * The value of a registered process that does not serve yet (no heartbeat so far).
     */
    public static final long STARTING = 0;

    static final int ROLE_OFFSET = 0;
    static final int ID_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int STARTED_AT_OFFSET = 16;
    static final int VERSION_OFFSET = 24;
    static final int MAX_VERSION_LENGTH = 32;
    static final int KEY_LENGTH = VERSION_OFFSET + MAX_VERSION_LENGTH;

    private final Counter counter;

    /**
     * @param aeron       the process's Aeron client.
     * @param role        one of the {@code ROLE_*} constants.
     * @param id          the process's id within its role (gateway id, shard), 0 if it has none.
     * @param version     its release label.
     * @param startedAtMs when it started, epoch ms.
     */
    public ProcessStatus(final Aeron aeron, final int role, final int id, final String version, final long startedAtMs)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
        key.putInt(ROLE_OFFSET, role);
        key.putInt(ID_OFFSET, id);
        key.putLong(PID_OFFSET, ProcessHandle.current().pid());
        key.putLong(STARTED_AT_OFFSET, startedAtMs);
        final int versionLength = Math.min(version.length(), MAX_VERSION_LENGTH);
        key.putStringWithoutLengthAscii(VERSION_OFFSET, version.substring(0, versionLength));
        final String label = roleName(role) + "-" + id + " " + version + " pid " + ProcessHandle.current().pid();
        counter = aeron.addCounter(TYPE_ID, key, 0, KEY_LENGTH, new UnsafeBuffer(label.getBytes(StandardCharsets.US_ASCII)), 0, label.length());
        counter.setRelease(STARTING);
    }

    /**
     * @param nowMs epoch ms; call about once a second from the process's main agent, the first time once the
     *              process serves.
     */
    public void heartbeat(final long nowMs)
    {
        counter.setRelease(nowMs);
    }

    public void close()
    {
        counter.close();
    }

    public static String roleName(final int role)
    {
        return switch (role)
        {
            case ROLE_DRIVER -> "driver";
            case ROLE_DISPATCH -> "dispatch";
            case ROLE_GATEWAY -> "gateway";
            case ROLE_CONSOLE -> "console";
            case ROLE_SIMULATOR -> "sim";
            default -> "role" + role;
        };
    }

    /**
     * What a reader sees of one process.
     *
     * @param role          its role.
     * @param id            its id in that role.
     * @param pid           its operating-system pid.
     * @param startedAtMs   when it started.
     * @param heartbeatMs   its last heartbeat, or {@link #STARTING} before the first.
     * @param version       its release label.
     */
    public record Entry(int role, int id, long pid, long startedAtMs, long heartbeatMs, String version)
    {
        public String name()
        {
            return roleName(role) + "-" + id;
        }

        /**
         * @return true once the process has heartbeated: it serves (it may have stopped since; see the age).
         */
        public boolean isServing()
        {
            return STARTING != heartbeatMs;
        }
    }

    /**
     * Calls the consumer for each process registered in a CnC file's counters.
     *
     * @param counters the counters reader ({@code aeron.countersReader()}).
     * @param consumer called per process.
     */
    public static void forEach(final CountersReader counters, final Consumer<Entry> consumer)
    {
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == TYPE_ID)
            {
                consumer.accept(entry(keyBuffer, counters.getCounterValue(counterId)));
            }
        });
    }

    static Entry entry(final DirectBuffer key, final long heartbeatMs)
    {
        int versionLength = 0;
        while (versionLength < MAX_VERSION_LENGTH && key.getByte(VERSION_OFFSET + versionLength) != 0)
        {
            versionLength++;
        }
        return new Entry(
            key.getInt(ROLE_OFFSET),
            key.getInt(ID_OFFSET),
            key.getLong(PID_OFFSET),
            key.getLong(STARTED_AT_OFFSET),
            heartbeatMs,
            key.getStringWithoutLengthAscii(VERSION_OFFSET, versionLength));
    }
}
