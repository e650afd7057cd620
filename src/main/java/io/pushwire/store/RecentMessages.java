package io.pushwire.store;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The most recently appended MESSAGE records, kept in memory so that reading one back (every delivery reads
 * its message back after the group commit, and a PULL soon after its NOTIFY) is a copy instead of a Chronicle
 * {@code moveToIndex} plus a scan from the nearest index entry, plus the remapping of an older chunk of the
 * queue file that the scan may need.
 * <p>
 * Two bounded structures, nothing allocated after construction:
 * <ul>
 *     <li>a slot table of {@code slots} entries (a power of two) indexed by {@code storeIndex & (slots - 1)},
 *     holding the record's fields and where its payload sits in the ring;</li>
 *     <li>a payload ring of {@code ringBytes}; a payload never wraps (one that would not fit before the end
 *     starts again at 0), and positions are absolute, so a slot whose payload has since been overwritten is
 *     recognised by its position being more than the ring's length behind the write position.</li>
 * </ul>
 * A slot answers only for the exact store index it holds, and only while its payload is intact; anything else
 * is a miss and the caller reads the queue. Chronicle is append only and a MESSAGE record is never changed
 * after its append, so a hit is byte for byte what the queue would return.
 * <p>
 * Not thread-safe: the store's single owner (the dispatch agent) calls it.
 */
final class RecentMessages
{
    private final int mask;
    private final long[] indexes;
    private final long[] positions;
    private final int[] lengths;
    private final byte[] kinds;
    private final byte[] priorities;
    private final int[] appIds;
    private final long[] streamRefs;
    private final long[] seqs;
    private final long[] messageIds;
    private final long[] expiries;
    private final UnsafeBuffer ring;
    private final int ringLength;
    private long writePosition;

    /**
     * @param slots     records remembered at most, a power of two.
     * @param ringBytes bytes of payload remembered at most.
     */
    RecentMessages(final int slots, final int ringBytes)
    {
        if (slots < 1 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        if (ringBytes < 1)
        {
            throw new IllegalArgumentException("ringBytes must be positive: " + ringBytes);
        }
        mask = slots - 1;
        indexes = new long[slots];
        Arrays.fill(indexes, -1);
        positions = new long[slots];
        lengths = new int[slots];
        kinds = new byte[slots];
        priorities = new byte[slots];
        appIds = new int[slots];
        streamRefs = new long[slots];
        seqs = new long[slots];
        messageIds = new long[slots];
        expiries = new long[slots];
        ring = new UnsafeBuffer(new byte[ringBytes]);
        ringLength = ringBytes;
    }

    /**
     * Remembers a MESSAGE record just appended at {@code index}. A payload longer than the ring is not
     * remembered (the slot is cleared, so an older record there cannot answer for it).
     */
    void put(
        final long index,
        final int streamKind,
        final long streamRef,
        final long seq,
        final long messageId,
        final long expiryMs,
        final int appId,
        final int priority,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int slot = (int)index & mask;
        if (payloadLength > ringLength)
        {
            indexes[slot] = -1;
            return;
        }
        int offset = (int)(writePosition % ringLength);
        if (offset + payloadLength > ringLength)
        {
            writePosition += ringLength - offset;
            offset = 0;
        }
        ring.putBytes(offset, payload, payloadOffset, payloadLength);
        indexes[slot] = index;
        positions[slot] = writePosition;
        lengths[slot] = payloadLength;
        kinds[slot] = (byte)streamKind;
        priorities[slot] = (byte)priority;
        appIds[slot] = appId;
        streamRefs[slot] = streamRef;
        seqs[slot] = seq;
        messageIds[slot] = messageId;
        expiries[slot] = expiryMs;
        writePosition += payloadLength;
    }

    /**
     * Fills {@code message} from memory if the record at {@code index} is still remembered.
     *
     * @return true on a hit; false (and {@code message} untouched) on a miss.
     */
    boolean get(final long index, final StoredMessage message)
    {
        final int slot = (int)index & mask;
        final int length = lengths[slot];
        if (indexes[slot] != index || writePosition - positions[slot] > ringLength || length > message.payloadBytes.length)
        {
            return false;
        }
        ring.getBytes((int)(positions[slot] % ringLength), message.payloadBytes, 0, length);
        message.payloadLength = length;
        message.streamKind = kinds[slot] & 0xFF;
        message.priority = priorities[slot] & 0xFF;
        message.appId = appIds[slot];
        message.streamRef = streamRefs[slot];
        message.seq = seqs[slot];
        message.messageId = messageIds[slot];
        message.expiryMs = expiries[slot];
        return true;
    }
}
