package io.pushwire.link;

import io.aeron.ExclusivePublication;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.pushwire.link.LinkMessages.*;

/**
 * Sends upstream messages from one gateway reactor to dispatch. One per reactor; not thread-safe.
 * <p>
 * Every method returns the result of {@link ExclusivePublication#offer}: a new position when sent,
 * or a negative code ({@code BACK_PRESSURED}, {@code NOT_CONNECTED}, ...). A reactor that sees back
 * pressure stops reading the sockets that want to send upstream until an offer succeeds again.
 */
public final class DispatchProxy
{
    private final ExclusivePublication publication;
    private final UnsafeBuffer buffer;

    /**
     * @param publication   the reactor's own publication on the upstream stream.
     * @param maxBodyLength the largest device frame body the gateway accepts.
     */
    public DispatchProxy(final ExclusivePublication publication, final int maxBodyLength)
    {
        this.publication = publication;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            org.agrona.BitUtil.align(HELLO_BODY_OFFSET + maxBodyLength + STATUS_LABEL_OFFSET + MAX_LABEL_LENGTH, 64), 64));
    }

    public ExclusivePublication publication()
    {
        return publication;
    }

    public long sessionOpened(
        final long connectionId,
        final long openedAtMs,
        final int heartbeatSec,
        final DirectBuffer helloBody,
        final int offset,
        final int length)
    {
        buffer.putInt(TYPE_OFFSET, SESSION_OPENED);
        buffer.putInt(INT_OFFSET, heartbeatSec);
        buffer.putLong(ID_OFFSET, connectionId);
        buffer.putLong(OPENED_AT_OFFSET, openedAtMs);
        buffer.putBytes(HELLO_BODY_OFFSET, helloBody, offset, length);
        return publication.offer(buffer, 0, HELLO_BODY_OFFSET + length);
    }

    public long sessionClosed(final long connectionId, final int closeReason)
    {
        buffer.putInt(TYPE_OFFSET, SESSION_CLOSED);
        buffer.putInt(INT_OFFSET, closeReason);
        buffer.putLong(ID_OFFSET, connectionId);
        return publication.offer(buffer, 0, HEADER_LENGTH);
    }

    public long deviceFrame(
        final long connectionId, final int frameType, final DirectBuffer body, final int offset, final int length)
    {
        buffer.putInt(TYPE_OFFSET, DEVICE_FRAME);
        buffer.putInt(INT_OFFSET, frameType);
        buffer.putLong(ID_OFFSET, connectionId);
        buffer.putBytes(HEADER_LENGTH, body, offset, length);
        return publication.offer(buffer, 0, HEADER_LENGTH + length);
    }

    public long gatewayStatus(
        final int gatewayId,
        final long instanceId,
        final long timestampMs,
        final int reactorCount,
        final int connections,
        final int flags,
        final String versionLabel)
    {
        buffer.putInt(TYPE_OFFSET, GATEWAY_STATUS);
        buffer.putInt(INT_OFFSET, gatewayId);
        buffer.putLong(ID_OFFSET, instanceId);
        buffer.putLong(STATUS_TIMESTAMP_OFFSET, timestampMs);
        buffer.putInt(STATUS_REACTOR_COUNT_OFFSET, reactorCount);
        buffer.putInt(STATUS_CONNECTIONS_OFFSET, connections);
        buffer.putInt(STATUS_FLAGS_OFFSET, flags);
        final int labelLength = Math.min(versionLabel.length(), MAX_LABEL_LENGTH);
        for (int i = 0; i < labelLength; i++)
        {
            final char c = versionLabel.charAt(i);
            buffer.putByte(STATUS_LABEL_OFFSET + i, (byte)(c < 128 ? c : '?'));
        }
        return publication.offer(buffer, 0, STATUS_LABEL_OFFSET + labelLength);
    }
}
