package io.pushwire.link;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import static io.pushwire.link.ControlMessages.*;

/**
 * Decodes gateways' answers to control messages, keeping only those for one client id. Not thread-safe.
 */
public final class ControlResponseAdapter implements FragmentHandler
{
    private final long clientId;
    private final ControlResponseListener listener;

    public ControlResponseAdapter(final long clientId, final ControlResponseListener listener)
    {
        this.clientId = clientId;
        this.listener = listener;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < OK_LENGTH || buffer.getLong(offset + CLIENT_ID_OFFSET) != clientId)
        {
            return;
        }
        final int type = buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF;
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET);
        final int gatewayId = buffer.getInt(offset + GATEWAY_ID_OFFSET);
        if (type == OK)
        {
            listener.onOk(correlationId, gatewayId);
        }
        else if (type == ERROR && length >= ERROR_TEXT_OFFSET)
        {
            final int textLength = Math.min(buffer.getShort(offset + ERROR_TEXT_LENGTH_OFFSET) & 0xFFFF, length - ERROR_TEXT_OFFSET);
            listener.onError(correlationId, gatewayId, buffer.getInt(offset + ERROR_CODE_OFFSET),
                buffer.getStringWithoutLengthAscii(offset + ERROR_TEXT_OFFSET, textLength));
        }
    }
}
