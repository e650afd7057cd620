package io.pushwire.link;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.FragmentAssembler;
import org.agrona.DirectBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Decodes upstream messages from gateways and calls an {@link UpstreamListener}. Not thread-safe; used
 * by the dispatch agent. Unknown message types are counted, not thrown.
 */
public final class UpstreamAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final UpstreamListener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private long unknownMessages;

    public UpstreamAdapter(final Subscription subscription, final UpstreamListener listener)
    {
        this.subscription = subscription;
        this.listener = listener;
    }

    /**
     * @param fragmentLimit most fragments to take this call.
     * @return fragments taken.
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * @return messages of a type this adapter does not know, since start.
     */
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
        final int value = buffer.getInt(offset + INT_OFFSET);
        final long id = buffer.getLong(offset + ID_OFFSET);
        switch (type)
        {
            case SESSION_OPENED -> listener.onSessionOpened(
                id, buffer.getLong(offset + OPENED_AT_OFFSET), value, buffer, offset + HELLO_BODY_OFFSET, length - HELLO_BODY_OFFSET);
            case SESSION_CLOSED -> listener.onSessionClosed(id, value);
            case DEVICE_FRAME -> listener.onDeviceFrame(id, value, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
            case GATEWAY_STATUS -> listener.onGatewayStatus(
                value,
                id,
                buffer.getLong(offset + STATUS_TIMESTAMP_OFFSET),
                buffer.getInt(offset + STATUS_REACTOR_COUNT_OFFSET),
                buffer.getInt(offset + STATUS_CONNECTIONS_OFFSET),
                buffer.getInt(offset + STATUS_FLAGS_OFFSET),
                buffer.getStringWithoutLengthAscii(offset + STATUS_LABEL_OFFSET, length - STATUS_LABEL_OFFSET));
            default -> unknownMessages++;
        }
    }
}
