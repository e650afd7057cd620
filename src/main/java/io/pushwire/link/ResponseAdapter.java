package io.pushwire.link;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import static io.pushwire.link.CommandMessages.*;

/**
 * Decodes dispatch's responses for one client: responses to other clients ids are skipped. Not
 * thread-safe; one thread polls.
 */
public final class ResponseAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final long clientId;
    private final ResponseListener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);

    public ResponseAdapter(final Subscription subscription, final long clientId, final ResponseListener listener)
    {
        this.subscription = subscription;
        this.clientId = clientId;
        this.listener = listener;
    }

    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH || buffer.getLong(offset + CLIENT_ID_OFFSET) != clientId)
        {
            return;
        }
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET);
        switch (buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF)
        {
            case ACCEPTED -> listener.onAccepted(
                correlationId, buffer.getLong(offset + MESSAGE_ID_OFFSET), buffer.getInt(offset + ACCEPTED_TARGETS_OFFSET));
            case RECEIPT_RESPONSE -> listener.onReceipt(
                correlationId,
                buffer.getLong(offset + MESSAGE_ID_OFFSET),
                buffer.getInt(offset + MESSAGE_ID_OFFSET + 8),
                buffer.getInt(offset + MESSAGE_ID_OFFSET + 12),
                buffer.getInt(offset + MESSAGE_ID_OFFSET + 16),
                buffer.getInt(offset + MESSAGE_ID_OFFSET + 20));
            case OK -> listener.onOk(correlationId);
            case ERROR -> listener.onError(
                correlationId,
                buffer.getInt(offset + ERROR_CODE_OFFSET),
                buffer.getStringWithoutLengthAscii(offset + ERROR_TEXT_OFFSET, buffer.getShort(offset + ERROR_CODE_OFFSET + 4) & 0xFFFF));
            case WHO_RESPONSE -> listener.onWho(
                correlationId,
                buffer.getInt(offset + WHO_ONLINE_OFFSET) != 0,
                buffer.getInt(offset + WHO_HEARTBEAT_OFFSET),
                buffer.getLong(offset + WHO_CONNECTION_ID_OFFSET),
                buffer.getLong(offset + WHO_SINCE_OFFSET),
                buffer.getInt(offset + WHO_STREAM_COUNT_OFFSET),
                buffer,
                offset + WHO_STREAMS_OFFSET);
            default ->
            {
                // A response type from a newer dispatch: ignored, the caller times out.
            }
        }
    }
}
