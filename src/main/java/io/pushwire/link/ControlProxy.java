package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;

import static io.pushwire.link.ControlMessages.*;

/**
 * Sends control messages from the console to the gateways, signed when a signer is given (the remote
 * channel). Not thread-safe. Returns {@link Publication#offer} results.
 */
public final class ControlProxy
{
    private final Publication publication;
    private final AdminSigner signer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[DRAIN_LENGTH + AdminAuth.TRAILER_LENGTH]);

    /**
     * @param publication on {@link LinkConfiguration#CONTROL_STREAM_ID}.
     * @param signer      signs each message, or null to send unsigned (local IPC).
     */
    public ControlProxy(final Publication publication, final AdminSigner signer)
    {
        this.publication = publication;
        this.signer = signer;
    }

    /**
     * @return the offer result (negative: not sent).
     */
    public long drain(final long clientId, final long correlationId, final int gatewayId, final int ratePerSec)
    {
        header(buffer, 0, DRAIN, clientId, correlationId);
        buffer.putInt(GATEWAY_ID_OFFSET, gatewayId);
        buffer.putInt(DRAIN_RATE_OFFSET, ratePerSec);
        final int length = null == signer ? DRAIN_LENGTH : signer.sign(buffer, 0, DRAIN_LENGTH);
        return publication.offer(buffer, 0, length);
    }
}
