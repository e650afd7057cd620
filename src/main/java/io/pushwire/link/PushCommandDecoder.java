package io.pushwire.link;

import org.agrona.DirectBuffer;

import static io.pushwire.link.CommandMessages.*;

/**
 * A flyweight over a PUSH command ({@link CommandMessages}), reused for every push: {@link #wrap} checks
 * the layout (lengths inside the message) and records where each part is. It does not judge the values
 * (kinds, sizes, TTL): dispatch does, and answers with an ERROR. Not thread-safe.
 */
public final class PushCommandDecoder
{
    private final int[] targetOffsets = new int[MAX_TARGETS];
    private final int[] targetLengths = new int[MAX_TARGETS];
    private DirectBuffer buffer;
    private int offset;
    private int targetCount;
    private int collapseOffset;
    private int collapseLength;
    private int idemOffset;
    private int idemLength;
    private int payloadOffset;
    private int payloadLength;

    /**
     * @param buffer holds the command.
     * @param offset where its header starts.
     * @param length its length.
     * @return 0, or {@link CommandErrors#MALFORMED} / {@link CommandErrors#TOO_MANY_TARGETS}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        final int end = offset + length;
        if (length < PUSH_TARGETS_OFFSET)
        {
            return CommandErrors.MALFORMED;
        }
        targetCount = buffer.getShort(offset + PUSH_TARGET_COUNT_OFFSET) & 0xFFFF;
        if (targetCount > MAX_TARGETS)
        {
            return CommandErrors.TOO_MANY_TARGETS;
        }
        int p = offset + PUSH_TARGETS_OFFSET;
        for (int i = 0; i < targetCount; i++)
        {
            if (p + 2 > end)
            {
                return CommandErrors.MALFORMED;
            }
            targetLengths[i] = buffer.getShort(p) & 0xFFFF;
            targetOffsets[i] = p + 2;
            p += 2 + targetLengths[i];
        }
        if (p + 2 > end)
        {
            return CommandErrors.MALFORMED;
        }
        collapseLength = buffer.getShort(p) & 0xFFFF;
        collapseOffset = p + 2;
        p += 2 + collapseLength;
        if (p + 2 > end)
        {
            return CommandErrors.MALFORMED;
        }
        idemLength = buffer.getShort(p) & 0xFFFF;
        idemOffset = p + 2;
        p += 2 + idemLength;
        if (p + 4 > end)
        {
            return CommandErrors.MALFORMED;
        }
        payloadLength = buffer.getInt(p);
        payloadOffset = p + 4;
        if (payloadLength < 0 || payloadOffset + payloadLength != end)
        {
            return CommandErrors.MALFORMED;
        }
        return 0;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the command (its header) starts in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    public int targetKind()
    {
        return buffer.getByte(offset + PUSH_TARGET_KIND_OFFSET) & 0xFF;
    }

    public int priority()
    {
        return buffer.getByte(offset + PUSH_PRIORITY_OFFSET) & 0xFF;
    }

    public int appId()
    {
        return buffer.getInt(offset + PUSH_APP_ID_OFFSET);
    }

    /**
     * @return the time to live in ms, 0 for the default.
     */
    public long ttlMs()
    {
        return buffer.getLong(offset + PUSH_TTL_OFFSET);
    }

    public int targetCount()
    {
        return targetCount;
    }

    public int targetOffset(final int i)
    {
        return targetOffsets[i];
    }

    public int targetLength(final int i)
    {
        return targetLengths[i];
    }

    public int collapseKeyOffset()
    {
        return collapseOffset;
    }

    public int collapseKeyLength()
    {
        return collapseLength;
    }

    public int idempotencyKeyOffset()
    {
        return idemOffset;
    }

    public int idempotencyKeyLength()
    {
        return idemLength;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }
}
