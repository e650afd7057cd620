package io.pushwire.sim;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * What a simulator worker counts and measures, and its one-line JSON form that the parent merges.
 * Latencies are nanoseconds in HdrHistograms (1 ns to 1 minute, 3 significant digits).
 */
final class SimStats
{
    static final long MAX_NS = TimeUnit.MINUTES.toNanos(1);

    /**
     * The measurement under way: only messages whose payload carries it are counted.
     */
    long nonce;
    long connectAttempts;
    long connectFailures;
    long welcomed;
    long welcomedNow;
    long reconnects;
    long closedByPeer;
    long protocolErrors;
    long redirects;
    long pings;
    long pongs;
    long notifies;
    long pulls;
    long gaps;
    long holes;
    long duplicates;
    long unicastDelivered;
    long broadcastDelivered;
    long broadcastMaxNs;
    long otherFrames;
    long bytesIn;
    long bytesOut;
    final Map<Integer, Long> byes = new TreeMap<>();
    final Map<Integer, Long> errors = new TreeMap<>();
    final Histogram connectLatency = new Histogram(MAX_NS, 3);
    final Histogram unicastLatency = new Histogram(MAX_NS, 3);
    final Histogram broadcastLatency = new Histogram(MAX_NS, 3);

    /**
     * Starts a measured phase: clears the delivery counts and latencies (connections stay counted).
     */
    void resetMeasurements(final long nonce)
    {
        this.nonce = nonce;
        unicastDelivered = 0;
        broadcastDelivered = 0;
        broadcastMaxNs = 0;
        duplicates = 0;
        holes = 0;
        unicastLatency.reset();
        broadcastLatency.reset();
    }

    void onBye(final int reason)
    {
        byes.merge(reason, 1L, Long::sum);
    }

    void onError(final int code)
    {
        errors.merge(code, 1L, Long::sum);
    }

    /**
     * @return the counters and histograms as one JSON line (histograms base64 compressed).
     */
    String toJsonLine()
    {
        final StringBuilder sb = new StringBuilder(1024);
        sb.append('{');
        field(sb, "connectAttempts", connectAttempts);
        field(sb, "connectFailures", connectFailures);
        field(sb, "welcomed", welcomed);
        field(sb, "welcomedNow", welcomedNow);
        field(sb, "reconnects", reconnects);
        field(sb, "closedByPeer", closedByPeer);
        field(sb, "protocolErrors", protocolErrors);
        field(sb, "redirects", redirects);
        field(sb, "pings", pings);
        field(sb, "pongs", pongs);
        field(sb, "notifies", notifies);
        field(sb, "pulls", pulls);
        field(sb, "gaps", gaps);
        field(sb, "holes", holes);
        field(sb, "duplicates", duplicates);
        field(sb, "unicastDelivered", unicastDelivered);
        field(sb, "broadcastDelivered", broadcastDelivered);
        field(sb, "broadcastMaxNs", broadcastMaxNs);
        field(sb, "otherFrames", otherFrames);
        field(sb, "bytesIn", bytesIn);
        field(sb, "bytesOut", bytesOut);
        sb.append("\"byes\":\"").append(codes(byes)).append("\",");
        sb.append("\"errors\":\"").append(codes(errors)).append("\",");
        sb.append("\"connectLatency\":\"").append(encode(connectLatency)).append("\",");
        sb.append("\"unicastLatency\":\"").append(encode(unicastLatency)).append("\",");
        sb.append("\"broadcastLatency\":\"").append(encode(broadcastLatency)).append('"');
        sb.append('}');
        return sb.toString();
    }

    /**
     * Adds a worker's JSON line into these totals (the parent's merge).
     *
     * @param json a line from {@link #toJsonLine()}.
     */
    void add(final String json)
    {
        connectAttempts += number(json, "connectAttempts");
        connectFailures += number(json, "connectFailures");
        welcomed += number(json, "welcomed");
        welcomedNow += number(json, "welcomedNow");
        reconnects += number(json, "reconnects");
        closedByPeer += number(json, "closedByPeer");
        protocolErrors += number(json, "protocolErrors");
        redirects += number(json, "redirects");
        pings += number(json, "pings");
        pongs += number(json, "pongs");
        notifies += number(json, "notifies");
        pulls += number(json, "pulls");
        gaps += number(json, "gaps");
        holes += number(json, "holes");
        duplicates += number(json, "duplicates");
        unicastDelivered += number(json, "unicastDelivered");
        broadcastDelivered += number(json, "broadcastDelivered");
        broadcastMaxNs = Math.max(broadcastMaxNs, number(json, "broadcastMaxNs"));
        otherFrames += number(json, "otherFrames");
        bytesIn += number(json, "bytesIn");
        bytesOut += number(json, "bytesOut");
        mergeCodes(byes, string(json, "byes"));
        mergeCodes(errors, string(json, "errors"));
        connectLatency.add(decode(string(json, "connectLatency")));
        unicastLatency.add(decode(string(json, "unicastLatency")));
        broadcastLatency.add(decode(string(json, "broadcastLatency")));
    }

    private static void field(final StringBuilder sb, final String name, final long value)
    {
        sb.append('"').append(name).append("\":").append(value).append(',');
    }

    /**
     * @return {@code code=count} pairs separated by spaces, empty when there are none.
     */
    static String codes(final Map<Integer, Long> map)
    {
        final StringBuilder sb = new StringBuilder();
        map.forEach((code, n) -> sb.append(sb.isEmpty() ? "" : " ").append(code).append('=').append(n));
        return sb.toString();
    }

    private static void mergeCodes(final Map<Integer, Long> into, final String text)
    {
        if (text.isBlank())
        {
            return;
        }
        for (final String pair : text.trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            into.merge(Integer.parseInt(pair.substring(0, eq)), Long.parseLong(pair.substring(eq + 1)), Long::sum);
        }
    }

    static long number(final String json, final String name)
    {
        final String key = "\"" + name + "\":";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            return 0;
        }
        int end = start + key.length();
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-'))
        {
            end++;
        }
        return Long.parseLong(json.substring(start + key.length(), end));
    }

    static String string(final String json, final String name)
    {
        final String key = "\"" + name + "\":\"";
        final int start = json.indexOf(key);
        if (start < 0)
        {
            return "";
        }
        final int end = json.indexOf('"', start + key.length());
        return json.substring(start + key.length(), end);
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String base64)
    {
        if (base64.isEmpty())
        {
            return new Histogram(MAX_NS, 3);
        }
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), MAX_NS);
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalArgumentException("bad histogram from a worker: " + ex.getMessage(), ex);
        }
    }
}
