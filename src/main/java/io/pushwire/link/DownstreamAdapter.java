package io.pushwire.link;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Decodes downstream and topic fan-out messages for one reactor and calls its {@link DownstreamListener}.
 * Not thread-safe. A reactor polls two of these: its own downstream stream and the shared topic stream.
 */
public final class DownstreamAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final DownstreamListener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private long unknownMessages;

    public DownstreamAdapter(final Subscription subscription, final DownstreamListener listener)
    {
        this.subscription = subscription;
        this.listener = listener;
    }

    public Subscription subscription()
    {
        return subscription;
    }

    /**
     * @param fragmentLimit most fragments to take this call.
     * @return fragments taken.
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    public long unknownMessages()
    {
        return unknownMessages;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH)
        {
            unknownMessages++;
            return;
        }
        final int type = buffer.getInt(offset + TYPE_OFFSET);
        final long id = buffer.getLong(offset + ID_OFFSET);
        switch (type)
        {
            case DELIVER -> listener.onDeliver(id, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
            case CLOSE -> listener.onClose(id, buffer.getInt(offset + INT_OFFSET));
            case TOPIC_BIND -> listener.onTopicBind(id, buffer.getLong(offset + TOPIC_STREAM_ID_OFFSET));
            case TOPIC_UNBIND -> listener.onTopicUnbind(id, buffer.getLong(offset + TOPIC_STREAM_ID_OFFSET));
            case TOPIC_DELIVER -> listener.onTopicDeliver(id, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
            default -> unknownMessages++;
        }
    }
}
