package io.pushwire.link;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import static io.pushwire.link.ControlMessages.*;

/**
 * Decodes control messages ({@link ControlMessages}) and calls a {@link ControlListener}. A message too
 * short for a header cannot be answered and is only counted. Allocates nothing for well-formed messages.
 * Not thread-safe.
 */
public final class ControlAdapter implements FragmentHandler
{
    private final ControlListener listener;
    private long unreadable;

    public ControlAdapter(final ControlListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return messages too short for a header, since start.
     */
    public long unreadable()
    {
        return unreadable;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH)
        {
            unreadable++;
            return;
        }
        final int type = buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF;
        final int version = buffer.getShort(offset + VERSION_OFFSET) & 0xFFFF;
        final long clientId = buffer.getLong(offset + CLIENT_ID_OFFSET);
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET);
        if (version != VERSION)
        {
            listener.onBadControl(clientId, correlationId, ERROR_MALFORMED, "unsupported control version " + version);
        }
        else if (type == DRAIN)
        {
            if (length != DRAIN_LENGTH)
            {
                listener.onBadControl(clientId, correlationId, ERROR_MALFORMED, "DRAIN: length " + length);
            }
            else
            {
                listener.onDrain(clientId, correlationId, buffer.getInt(offset + GATEWAY_ID_OFFSET),
                    buffer.getInt(offset + DRAIN_RATE_OFFSET));
            }
        }
        else if (type < OK)
        {
            listener.onBadControl(clientId, correlationId, ERROR_UNKNOWN_COMMAND, "unknown control type " + type);
        }
    }
}
