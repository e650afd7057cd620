package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Sends one copy of a topic message to every reactor of every gateway: they all subscribe to the
 * fan-out stream and each writes the frame to its own connections bound to the topic. Used by
 * dispatch; not thread-safe. Returns {@link Publication#offer} results.
 */
public final class TopicFanoutProxy
{
    /**
     * Where a device frame starts in {@link #frameBuffer()}.
     */
    public static final int FRAME_OFFSET = HEADER_LENGTH;

    private final Publication publication;
    private final UnsafeBuffer buffer;

    public TopicFanoutProxy(final Publication publication, final int maxFrameLength)
    {
        this.publication = publication;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(org.agrona.BitUtil.align(FRAME_OFFSET + maxFrameLength, 64), 64));
    }

    public Publication publication()
    {
        return publication;
    }

    public MutableDirectBuffer frameBuffer()
    {
        return buffer;
    }

    /**
     * Sends the frame already encoded in {@link #frameBuffer()} at {@link #FRAME_OFFSET}.
     *
     * @param topicStreamId the topic's stream id ({@code 1} is broadcast: every connection).
     * @param frameLength   the frame's length.
     * @return the offer result.
     */
    public long deliver(final long topicStreamId, final int frameLength)
    {
        buffer.putInt(TYPE_OFFSET, TOPIC_DELIVER);
        buffer.putInt(INT_OFFSET, 0);
        buffer.putLong(ID_OFFSET, topicStreamId);
        return publication.offer(buffer, 0, FRAME_OFFSET + frameLength);
    }

    public long deliver(final long topicStreamId, final DirectBuffer frame, final int offset, final int length)
    {
        buffer.putBytes(FRAME_OFFSET, frame, offset, length);
        return deliver(topicStreamId, length);
    }
}
