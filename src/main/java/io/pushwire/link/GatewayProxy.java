package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Sends downstream messages from dispatch to one gateway reactor. One per reactor; not thread-safe.
 * <p>
 * To send a device frame without copying it, encode it into {@link #frameBuffer()} at
 * {@link #FRAME_OFFSET} and call {@link #deliver(long, int)}. Every method returns the result of
 * {@link Publication#offer}: a new position, or a negative code such as {@code BACK_PRESSURED}.
 */
public final class GatewayProxy
{
    /**
     * Where a device frame starts in {@link #frameBuffer()}.
     */
    public static final int FRAME_OFFSET = HEADER_LENGTH;

    private final Publication publication;
    private final UnsafeBuffer buffer;

    /**
     * @param publication     the reactor's downstream publication.
     * @param maxFrameLength  the largest device frame to be sent through it.
     */
    public GatewayProxy(final Publication publication, final int maxFrameLength)
    {
        this.publication = publication;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(org.agrona.BitUtil.align(FRAME_OFFSET + maxFrameLength, 64), 64));
    }

    public Publication publication()
    {
        return publication;
    }

    /**
     * @return the buffer to encode a device frame into, at {@link #FRAME_OFFSET}.
     */
    public MutableDirectBuffer frameBuffer()
    {
        return buffer;
    }

    /**
     * @return the longest frame {@link #frameBuffer()} holds.
     */
    public int maxFrameLength()
    {
        return buffer.capacity() - FRAME_OFFSET;
    }

    /**
     * Sends the frame already encoded in {@link #frameBuffer()} at {@link #FRAME_OFFSET}.
     *
     * @param connectionId the connection to write it to.
     * @param frameLength  the frame's length.
     * @return the offer result.
     */
    public long deliver(final long connectionId, final int frameLength)
    {
        buffer.putInt(TYPE_OFFSET, DELIVER);
        buffer.putInt(INT_OFFSET, 0);
        buffer.putLong(ID_OFFSET, connectionId);
        return publication.offer(buffer, 0, FRAME_OFFSET + frameLength);
    }

    public long deliver(final long connectionId, final DirectBuffer frame, final int offset, final int length)
    {
        buffer.putBytes(FRAME_OFFSET, frame, offset, length);
        return deliver(connectionId, length);
    }

    /**
     * The gateway sends BYE with the reason and closes the connection.
     *
     * @param connectionId the connection.
     * @param closeReason  a {@code io.pushwire.protocol.CloseReason}.
     * @return the offer result.
     */
    public long close(final long connectionId, final int closeReason)
    {
        buffer.putInt(TYPE_OFFSET, CLOSE);
        buffer.putInt(INT_OFFSET, closeReason);
        buffer.putLong(ID_OFFSET, connectionId);
        return publication.offer(buffer, 0, HEADER_LENGTH);
    }

    public long bindTopic(final long connectionId, final long topicStreamId)
    {
        return topic(TOPIC_BIND, connectionId, topicStreamId);
    }

    public long unbindTopic(final long connectionId, final long topicStreamId)
    {
        return topic(TOPIC_UNBIND, connectionId, topicStreamId);
    }

    private long topic(final int type, final long connectionId, final long topicStreamId)
    {
        buffer.putInt(TYPE_OFFSET, type);
        buffer.putInt(INT_OFFSET, 0);
        buffer.putLong(ID_OFFSET, connectionId);
        buffer.putLong(TOPIC_STREAM_ID_OFFSET, topicStreamId);
        return publication.offer(buffer, 0, TOPIC_BIND_LENGTH);
    }
}
