package io.pushwire.client;

import io.pushwire.protocol.Protocol;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The device's durable state: a cursor per stream (the highest seq processed) and the heartbeat interval learned per
 * network, kept in memory and persisted to one small text file.
 * <p>
 * <b>File format</b> (UTF-8, {@code \n} line ends; see docs/client.md):
 * <pre>
 *   pushwire-device-state 1
 *   cursor &lt;streamId&gt; &lt;seq&gt;              one line per stream, decimal (unsigned 64-bit)
 *   heartbeat &lt;networkId&gt; &lt;sec&gt;          one line per network; the id is URL-encoded (no spaces)
 *   crc32 &lt;8 hex digits&gt;                 CRC-32 of every byte before this line
 * </pre>
 * Writes go to {@code <file>.tmp}, are forced to disk, then moved over the file with {@code ATOMIC_MOVE}, so a crash
 * leaves either the old or the new file, never a torn one. A missing, unreadable, wrong-version or corrupt file (bad
 * checksum, bad line) loads as empty state: the server then resends what the device has not acknowledged and NOTIFY
 * covers the rest, so nothing is lost; at worst some messages are delivered again.
 * <p>
 * Cursors only move forward ({@link #advance(long, long)}), except when a stream is forgotten ({@link #remove(long)}).
 * Persistence is throttled: {@link #flushIfDue(long)} writes at most once per flush interval when something changed;
 * {@link #flush()} writes now. Thread-safe (synchronized; this is a device, not the server hot path).
 */
public final class CursorStore
{
    static final String MAGIC_LINE = "pushwire-device-state 1";

    private static final System.Logger LOG = System.getLogger(CursorStore.class.getName());

    private final Path file;
    private final long flushIntervalNs;
    private final TreeMap<Long, Long> cursors = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<String, Integer> heartbeats = new TreeMap<>();
    private boolean dirty;
    private boolean loadedCorrupt;
    private long lastFlushNs;
    private boolean everFlushed;
    private long writes;

    /**
     * Loads the file if there is one.
     *
     * @param file            where the state lives, or null to keep it in memory only.
     * @param flushIntervalNs least time between two throttled writes, nanoseconds.
     */
    public CursorStore(final Path file, final long flushIntervalNs)
    {
        this.file = file;
        this.flushIntervalNs = flushIntervalNs;
        if (null != file)
        {
            load();
        }
    }

    /**
     * @return the cursor of a stream, 0 if it has none.
     */
    public synchronized long cursor(final long streamId)
    {
        final Long seq = cursors.get(streamId);
        return null == seq ? 0 : seq;
    }

    /**
     * @return true if the stream has a cursor (it is one the device is in).
     */
    public synchronized boolean contains(final long streamId)
    {
        return cursors.containsKey(streamId);
    }

    /**
     * Moves a cursor forward (never back), creating it if needed.
     *
     * @return true if it changed.
     */
    public synchronized boolean advance(final long streamId, final long seq)
    {
        final Long old = cursors.get(streamId);
        if (null != old && Long.compareUnsigned(seq, old) <= 0)
        {
            return false;
        }
        cursors.put(streamId, seq);
        dirty = true;
        return true;
    }

    /**
     * Forgets a stream (after UNSUB).
     */
    public synchronized void remove(final long streamId)
    {
        if (null != cursors.remove(streamId))
        {
            dirty = true;
        }
    }

    /**
     * Fills the cursors HELLO carries: the unicast stream (0) and broadcast (1) first, then the others in stream id
     * order, at most {@link Protocol#MAX_CURSORS}.
     *
     * @return how many were written.
     */
    public synchronized int helloCursors(final long[] streamIds, final long[] seqs)
    {
        final int max = Math.min(Protocol.MAX_CURSORS, Math.min(streamIds.length, seqs.length));
        int count = 0;
        streamIds[count] = Protocol.UNICAST_STREAM_ID;
        seqs[count++] = cursor(Protocol.UNICAST_STREAM_ID);
        streamIds[count] = Protocol.BROADCAST_STREAM_ID;
        seqs[count++] = cursor(Protocol.BROADCAST_STREAM_ID);
        for (final Map.Entry<Long, Long> e : cursors.entrySet())
        {
            final long streamId = e.getKey();
            if (count == max)
            {
                break;
            }
            if (streamId != Protocol.UNICAST_STREAM_ID && streamId != Protocol.BROADCAST_STREAM_ID)
            {
                streamIds[count] = streamId;
                seqs[count++] = e.getValue();
            }
        }
        return count;
    }

    /**
     * @return a copy of every cursor, for logs and tests.
     */
    public synchronized Map<Long, Long> cursors()
    {
        return new TreeMap<>(cursors);
    }

    /**
     * @return the heartbeat learned on a network, seconds, or 0 if none.
     */
    public synchronized int learnedHeartbeatSec(final String networkId)
    {
        final Integer sec = heartbeats.get(networkId);
        return null == sec ? 0 : sec;
    }

    /**
     * Remembers the heartbeat learned on a network.
     */
    public synchronized void learnedHeartbeatSec(final String networkId, final int sec)
    {
        final Integer old = heartbeats.put(networkId, sec);
        if (null == old || old != sec)
        {
            dirty = true;
        }
    }

    /**
     * @return true if the file existed but could not be used, so the state started empty.
     */
    public synchronized boolean loadedCorrupt()
    {
        return loadedCorrupt;
    }

    /**
     * @return how many times the file has been written.
     */
    public synchronized long writes()
    {
        return writes;
    }

    /**
     * Writes the file if something changed and the flush interval has passed since the last write.
     *
     * @param nowNs the current time, nanoseconds.
     * @return true if it wrote.
     */
    public synchronized boolean flushIfDue(final long nowNs)
    {
        if (!dirty || (everFlushed && nowNs - lastFlushNs < flushIntervalNs))
        {
            return false;
        }
        lastFlushNs = nowNs;
        everFlushed = true;
        return flush();
    }

    /**
     * Writes the file now if something changed. An I/O failure is logged and leaves the state dirty, to be retried.
     *
     * @return true if it wrote.
     */
    public synchronized boolean flush()
    {
        if (!dirty || null == file)
        {
            return false;
        }
        final byte[] bytes = render().getBytes(StandardCharsets.UTF_8);
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            dirty = false;
            writes++;
            return true;
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "could not write device state " + file + ": " + ex);
            return false;
        }
    }

    String render()
    {
        final StringBuilder sb = new StringBuilder(64 + 32 * (cursors.size() + heartbeats.size()));
        sb.append(MAGIC_LINE).append('\n');
        for (final Map.Entry<Long, Long> e : cursors.entrySet())
        {
            sb.append("cursor ").append(Long.toUnsignedString(e.getKey())).append(' ')
                .append(Long.toUnsignedString(e.getValue())).append('\n');
        }
        for (final Map.Entry<String, Integer> e : heartbeats.entrySet())
        {
            sb.append("heartbeat ").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append(' ')
                .append(e.getValue()).append('\n');
        }
        final CRC32 crc = new CRC32();
        crc.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.append("crc32 ").append(String.format("%08x", crc.getValue())).append('\n');
        return sb.toString();
    }

    private void load()
    {
        if (!Files.exists(file))
        {
            return;
        }
        try
        {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            if (!parse(text))
            {
                cursors.clear();
                heartbeats.clear();
                loadedCorrupt = true;
                LOG.log(System.Logger.Level.WARNING, "device state " + file + " is corrupt: starting empty");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            cursors.clear();
            heartbeats.clear();
            loadedCorrupt = true;
            LOG.log(System.Logger.Level.WARNING, "device state " + file + " is unreadable, starting empty: " + ex);
        }
    }

    private boolean parse(final String text)
    {
        final int crcAt = text.lastIndexOf("crc32 ");
        if (!text.startsWith(MAGIC_LINE + "\n") || crcAt < 0 || !text.endsWith("\n"))
        {
            return false;
        }
        final CRC32 crc = new CRC32();
        crc.update(text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8));
        final String crcText = text.substring(crcAt + "crc32 ".length(), text.length() - 1);
        if (crcText.length() != 8 || Long.parseLong(crcText, 16) != crc.getValue())
        {
            return false;
        }
        final String[] lines = text.substring(MAGIC_LINE.length() + 1, crcAt).split("\n");
        for (final String line : lines)
        {
            if (line.isEmpty())
            {
                continue;
            }
            final String[] parts = line.split(" ");
            if (parts.length != 3)
            {
                return false;
            }
            switch (parts[0])
            {
                case "cursor" -> cursors.put(Long.parseUnsignedLong(parts[1]), Long.parseUnsignedLong(parts[2]));
                case "heartbeat" ->
                    heartbeats.put(URLDecoder.decode(parts[1], StandardCharsets.UTF_8), Integer.parseInt(parts[2]));
                default ->
                {
                    return false;
                }
            }
        }
        return true;
    }
}
