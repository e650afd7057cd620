package io.pushwire.dispatch;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Device id (UTF-8 bytes) to device index, without a String per lookup: ids are kept back to back in
 * one growing byte slab, and an open-addressing table of indexes (linear probing) is searched by hash
 * and then by comparing bytes against the slab. Indexes are dense, from 0, in order of first sight, and
 * never reused (a device's streams and routes are arrays indexed by it).
 * <p>
 * A lookup allocates nothing; adding a device may grow the slab or the table (amortised, once per new
 * device, never per delivered message). Not thread-safe: the dispatch agent owns it.
 */
public final class DeviceDirectory
{
    private static final int MISSING = -1;

    private final ExpandableArrayBuffer slab = new ExpandableArrayBuffer(64 * 1024);
    private int slabLength;
    private int[] offsets = new int[1024];
    private int[] lengths = new int[1024];
    private int[] hashes = new int[1024];
    private int[] table = new int[2048];
    private int size;

    /**
     * @return devices known.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return the device's index, or -1 when it is not known.
     */
    public int lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (true)
        {
            final int entry = table[slot];
            if (0 == entry)
            {
                return MISSING;
            }
            final int index = entry - 1;
            if (hashes[index] == hash && equals(index, buffer, offset, length))
            {
                return index;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Adds a device that {@link #lookup} did not find.
     *
     * @return its new index.
     */
    public int add(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = size;
        return put(index, buffer, offset, length);
    }

    /**
     * Adds a device with a given index (replay of a DEVICE record). A repeat of a known device returns
     * its index; an index beyond the next one leaves placeholders below it (their DEVICE records were in
     * a store file deleted by retention and come again in the snapshot), which a later put fills.
     *
     * @return the index.
     * @throws IllegalStateException when the index is taken by another id.
     */
    public int put(final int index, final DirectBuffer buffer, final int offset, final int length)
    {
        final int known = lookup(buffer, offset, length);
        if (known >= 0)
        {
            return known;
        }
        reserve(index);
        if (lengths[index] >= 0)
        {
            throw new IllegalStateException("device index " + index + " already holds another device id");
        }
        slab.putBytes(slabLength, buffer, offset, length);
        offsets[index] = slabLength;
        lengths[index] = length;
        hashes[index] = hash(buffer, offset, length);
        slabLength += length;
        if (size * 2 > table.length)
        {
            rehash(table.length * 2);
        }
        else
        {
            insert(index);
        }
        return index;
    }

    /**
     * Makes sure indexes up to {@code index} exist, as placeholders without an id where new.
     */
    public void reserve(final int index)
    {
        while (size <= index)
        {
            if (size == offsets.length)
            {
                offsets = java.util.Arrays.copyOf(offsets, size * 2);
                lengths = java.util.Arrays.copyOf(lengths, size * 2);
                hashes = java.util.Arrays.copyOf(hashes, size * 2);
            }
            lengths[size] = -1;
            size++;
        }
    }

    /**
     * @return the device id, as a new String (for the console and logs, not the hot path).
     */
    public String deviceId(final int index)
    {
        return lengths[index] < 0 ? "" : slab.getStringWithoutLengthUtf8(offsets[index], lengths[index]);
    }

    /**
     * @return the slab holding the id of device {@code index} at {@link #idOffset(int)}.
     */
    public DirectBuffer slab()
    {
        return slab;
    }

    public int idOffset(final int index)
    {
        return offsets[index];
    }

    /**
     * @return the id's length, or -1 for a placeholder.
     */
    public int idLength(final int index)
    {
        return lengths[index];
    }

    /**
     * Convenience for commands that carry the id as a String.
     */
    public int lookup(final String deviceId)
    {
        final byte[] bytes = deviceId.getBytes(StandardCharsets.UTF_8);
        return lookup(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
    }

    private void rehash(final int capacity)
    {
        table = new int[capacity];
        for (int i = 0; i < size; i++)
        {
            if (lengths[i] >= 0)
            {
                insert(i);
            }
        }
    }

    private void insert(final int index)
    {
        final int mask = table.length - 1;
        int slot = hashes[index] & mask;
        while (table[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = index + 1;
    }

    private boolean equals(final int index, final DirectBuffer buffer, final int offset, final int length)
    {
        if (lengths[index] != length)
        {
            return false;
        }
        final int base = offsets[index];
        for (int i = 0; i < length; i++)
        {
            if (slab.getByte(base + i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = 0x9E3779B9 ^ length;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ buffer.getByte(offset + i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
