package io.pushwire.link;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Decodes downstream and topic fan-out messages for one reactor and calls its {@link DownstreamListener}.
 * Not thread-safe. A reactor polls two of these: its own downstream stream and the shared topic stream.
 * <p>
 * A controlled poll: when the listener refuses a DELIVER or TOPIC_DELIVER the poll is aborted at that
 * message, which stays in the stream (messages before it in the same poll are consumed) and is delivered
 * first by the next poll. A stream not consumed fills its publication's window, and the publisher's offers
 * fail: back pressure.
 */
public final class DownstreamAdapter implements ControlledFragmentHandler
{
    private final Subscription subscription;
    private final DownstreamListener listener;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
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
     * @return fragments taken (a refused message is not counted).
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.controlledPoll(assembler, fragmentLimit);
    }

    public long unknownMessages()
    {
        return unknownMessages;
    }

    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH)
        {
            unknownMessages++;
            return Action.CONTINUE;
        }
        final int type = buffer.getInt(offset + TYPE_OFFSET);
        final long id = buffer.getLong(offset + ID_OFFSET);
        boolean taken = true;
        switch (type)
        {
            case DELIVER -> taken = listener.onDeliver(id, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
            case CLOSE -> listener.onClose(id, buffer.getInt(offset + INT_OFFSET));
            case TOPIC_BIND -> listener.onTopicBind(id, buffer.getLong(offset + TOPIC_STREAM_ID_OFFSET));
            case TOPIC_UNBIND -> listener.onTopicUnbind(id, buffer.getLong(offset + TOPIC_STREAM_ID_OFFSET));
            case TOPIC_DELIVER -> taken = listener.onTopicDeliver(id, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
            default -> unknownMessages++;
        }
        return taken ? Action.CONTINUE : Action.ABORT;
    }
}
