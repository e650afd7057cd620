package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a MSG body (server to device: one message of a stream).
 * <pre>
 *   streamId   varint   0 = the device's own stream, else a topic stream
 *   seq        varint   position in the stream, from 1, gap-free
 *   messageId  varint   64-bit id returned to the sender
 *   appId      varint   0..2^31-1
 *   payload    rest     the remaining bytes of the body, may be empty
 * </pre>
 * The flags live in the type byte, not the body: pass them to {@link #wrap(DirectBuffer, int, int, int)} (the
 * 3-argument {@code wrap} sets none). Not thread-safe: one instance per thread.
 */
public final class MsgDecoder extends BodyDecoder
{
    private int flags;
    private long streamId;
    private long seq;
    private long messageId;
    private int appId;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Wraps a body with no flags.
     *
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        return wrap(buffer, bodyOffset, bodyLength, 0);
    }

    /**
     * @param flags the flag bits of the type byte ({@link FrameHeader#flags(DirectBuffer, int)}), kept for
     *              {@link #flags()}; the header check has already refused undefined ones.
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final int flags)
    {
        begin(buffer, bodyOffset, bodyLength);
        this.flags = flags & FrameType.FLAGS_MASK;
        streamId = varint();
        seq = varint();
        messageId = varint();
        appId = intVarint();
        payloadOffset = rest();
        payloadLength = fieldLength;
        return finish();
    }

    public int flags()
    {
        return flags;
    }

    public boolean isHighPriority()
    {
        return (flags & FrameType.FLAG_HIGH_PRIORITY) != 0;
    }

    public long streamId()
    {
        return streamId;
    }

    public long seq()
    {
        return seq;
    }

    public long messageId()
    {
        return messageId;
    }

    public int appId()
    {
        return appId;
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
