package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static io.pushwire.link.ControlMessages.*;

/**
 * Sends a gateway's answers to control messages on {@link LinkConfiguration#CONTROL_RESPONSE_STREAM_ID}.
 * Not thread-safe. An answer that cannot be sent is the console's timeout; the command's effect stands.
 */
public final class ControlResponseProxy
{
    private final Publication publication;
    private final int gatewayId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ERROR_TEXT_OFFSET + MAX_ERROR_TEXT_LENGTH]);

    public ControlResponseProxy(final Publication publication, final int gatewayId)
    {
        this.publication = publication;
        this.gatewayId = gatewayId;
    }

    public long ok(final long clientId, final long correlationId)
    {
        header(buffer, 0, OK, clientId, correlationId);
        buffer.putInt(GATEWAY_ID_OFFSET, gatewayId);
        return publication.offer(buffer, 0, OK_LENGTH);
    }

    /**
     * @param text ASCII, cut to {@link ControlMessages#MAX_ERROR_TEXT_LENGTH}.
     */
    public long error(final long clientId, final long correlationId, final int code, final String text)
    {
        header(buffer, 0, ERROR, clientId, correlationId);
        buffer.putInt(GATEWAY_ID_OFFSET, gatewayId);
        buffer.putInt(ERROR_CODE_OFFSET, code);
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(bytes.length, MAX_ERROR_TEXT_LENGTH);
        buffer.putShort(ERROR_TEXT_LENGTH_OFFSET, (short)length);
        buffer.putBytes(ERROR_TEXT_OFFSET, bytes, 0, length);
        return publication.offer(buffer, 0, ERROR_TEXT_OFFSET + length);
    }
}
