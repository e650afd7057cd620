package io.pushwire.console;

import io.aeron.AeronCounters;
import io.aeron.AeronVersion;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.CounterTypes;
import io.pushwire.status.ProcessStatus;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reading of a box's CnC file: the processes registered ({@link ProcessStatus}), every pushwire counter
 * grouped by the process its label names, and the backlog of each link stream (bytes published and not
 * yet consumed by the slowest subscriber). Taken by the console; immutable once taken.
 * <p>
 * A counter labelled {@code gateway-2: connections} belongs to {@code gateway-2}; one labelled
 * {@code dispatch: acks} to {@code dispatch-<key id>} (the id in its key, 0 without one); {@code store:}
 * counters belong to dispatch, which runs the store.
 */
final class StatusSample
{
    /**
     * One process.
     *
     * @param name        e.g. {@code gateway-2}.
     * @param pid         its pid.
     * @param version     its release label.
     * @param startedAtMs when it started.
     * @param heartbeatMs its last heartbeat.
     */
    record Process(String name, long pid, String version, long startedAtMs, long heartbeatMs)
    {
    }

    /**
     * The backlog of one link stream.
     *
     * @param streamId     the stream id.
     * @param publishers   publications seen (by publisher position counters).
     * @param subscribers  subscriptions seen.
     * @param backlogBytes sum over publications of (publisher position - slowest subscriber position).
     */
    record Link(int streamId, int publishers, int subscribers, long backlogBytes)
    {
    }

    final long timeMs;
    final List<Process> processes = new ArrayList<>();
    final Map<String, Map<String, Long>> counters = new TreeMap<>(StatusSample::compareNames);
    final Map<Integer, Link> links = new TreeMap<>();

    private StatusSample(final long timeMs)
    {
        this.timeMs = timeMs;
    }

    /**
     * @param cnc   the mapped CnC file.
     * @param nowMs the time of the reading.
     * @return the reading.
     */
    static StatusSample take(final CncReader cnc, final long nowMs)
    {
        final StatusSample sample = new StatusSample(nowMs);
        sample.processes.add(new Process(
            "driver", cnc.driverPid(), "aeron " + AeronVersion.VERSION, cnc.driverStartedAtMs(), cnc.driverHeartbeatMs()));
        final CountersReader reader = cnc.counters();
        final List<Process> registered = new ArrayList<>();
        ProcessStatus.forEach(reader, (entry) -> registered.add(
            new Process(entry.name(), entry.pid(), entry.version(), entry.startedAtMs(), entry.heartbeatMs())));
        registered.sort((a, b) -> compareNames(a.name(), b.name()));
        sample.processes.addAll(registered);

        final Long2LongHashMap publisherPositions = new Long2LongHashMap(Long.MIN_VALUE);
        final Map<Long, long[]> slowestSubscriber = new LinkedHashMap<>();
        final Map<Integer, int[]> endpoints = new TreeMap<>();
        reader.forEach((counterId, typeId, key, label) ->
        {
            if (typeId >= CounterTypes.GATEWAY_BASE && typeId < CounterTypes.PROCESS_TYPE_ID)
            {
                final int colon = label.indexOf(": ");
                if (colon > 0)
                {
                    final String process = owner(label.substring(0, colon), key.getInt(0));
                    final String name = label.startsWith("store: ") ? "store " + label.substring(colon + 2) : label.substring(colon + 2);
                    sample.counters.computeIfAbsent(process, (p) -> new LinkedHashMap<>()).merge(name, reader.getCounterValue(counterId), Long::sum);
                }
            }
            else if (typeId == AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID || typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID)
            {
                final int sessionId = key.getInt(8);
                final int streamId = key.getInt(12);
                final long stream = ((long)streamId << 32) | (sessionId & 0xFFFF_FFFFL);
                final long position = reader.getCounterValue(counterId);
                final int[] counts = endpoints.computeIfAbsent(streamId, (s) -> new int[2]);
                if (typeId == AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID)
                {
                    counts[0]++;
                    publisherPositions.put(stream, Math.max(position, publisherPositions.get(stream)));
                }
                else
                {
                    counts[1]++;
                    final long[] slowest = slowestSubscriber.computeIfAbsent(stream, (s) -> new long[]{ Long.MAX_VALUE });
                    slowest[0] = Math.min(slowest[0], position);
                }
            }
        });
        for (final Map.Entry<Integer, int[]> entry : endpoints.entrySet())
        {
            final int streamId = entry.getKey();
            long backlog = 0;
            for (final Map.Entry<Long, long[]> subscriber : slowestSubscriber.entrySet())
            {
                final long stream = subscriber.getKey();
                if ((int)(stream >>> 32) == streamId && publisherPositions.containsKey(stream))
                {
                    backlog += Math.max(0, publisherPositions.get(stream) - subscriber.getValue()[0]);
                }
            }
            sample.links.put(streamId, new Link(streamId, entry.getValue()[0], entry.getValue()[1], backlog));
        }
        return sample;
    }

    /**
     * @return the value of a process's counter, or -1 if it has none by that name.
     */
    long counter(final String process, final String name)
    {
        final Map<String, Long> values = counters.get(process);
        final Long value = null == values ? null : values.get(name);
        return null == value ? -1 : value;
    }

    static String owner(final String prefix, final int keyId)
    {
        final String role = "store".equals(prefix) ? "dispatch" : prefix;
        final int dash = role.lastIndexOf('-');
        if (dash > 0 && dash < role.length() - 1 && role.substring(dash + 1).chars().allMatch(Character::isDigit))
        {
            return role;
        }
        return role + "-" + keyId;
    }

    /**
     * @return a readable name for a link stream id.
     */
    static String streamName(final int streamId)
    {
        return switch (streamId)
        {
            case LinkConfiguration.UPSTREAM_STREAM_ID -> "upstream (gateways to dispatch)";
            case LinkConfiguration.TOPIC_STREAM_ID -> "topic fan-out";
            case LinkConfiguration.COMMAND_STREAM_ID -> "commands (to dispatch)";
            case LinkConfiguration.RESPONSE_STREAM_ID -> "command responses";
            case LinkConfiguration.CONTROL_STREAM_ID -> "control (to gateways)";
            case LinkConfiguration.CONTROL_RESPONSE_STREAM_ID -> "control responses";
            default -> streamId >= LinkConfiguration.DOWNSTREAM_STREAM_ID_BASE
                ? downstreamName(streamId - LinkConfiguration.DOWNSTREAM_STREAM_ID_BASE) : "stream " + streamId;
        };
    }

    private static String downstreamName(final int index)
    {
        final int reactors = io.pushwire.link.ConnectionId.MAX_REACTORS;
        return "downstream gateway-" + (index / reactors) + " reactor " + (index % reactors);
    }

    /**
     * Orders "driver" first, then by role, then by numeric id.
     */
    static int compareNames(final String a, final String b)
    {
        final int dashA = a.lastIndexOf('-');
        final int dashB = b.lastIndexOf('-');
        final String roleA = dashA < 0 ? a : a.substring(0, dashA);
        final String roleB = dashB < 0 ? b : b.substring(0, dashB);
        final int byRole = roleA.compareTo(roleB);
        if (byRole != 0 || dashA < 0 || dashB < 0)
        {
            return byRole != 0 ? byRole : a.compareTo(b);
        }
        try
        {
            return Integer.compare(Integer.parseInt(a.substring(dashA + 1)), Integer.parseInt(b.substring(dashB + 1)));
        }
        catch (final NumberFormatException ex)
        {
            return a.compareTo(b);
        }
    }
}
