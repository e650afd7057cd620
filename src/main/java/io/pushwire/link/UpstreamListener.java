package io.pushwire.link;

import org.agrona.DirectBuffer;

/**
 * What dispatch hears from gateways; called by {@link UpstreamAdapter} on the polling thread. Buffers
 * are valid only during the call.
 */
public interface UpstreamListener
{
    /**
     * A device said HELLO and its token checked out.
     *
     * @param connectionId the connection ({@link ConnectionId}).
     * @param openedAtMs   epoch milliseconds when the gateway accepted the HELLO.
     * @param heartbeatSec the interval the gateway holds the device to (clamped).
     * @param buffer       holds the HELLO body, as the device sent it (docs/protocol.md).
     * @param offset       where the body starts.
     * @param length       its length.
     */
    void onSessionOpened(long connectionId, long openedAtMs, int heartbeatSec, DirectBuffer buffer, int offset, int length);

    /**
     * @param connectionId the connection that closed.
     * @param closeReason  why ({@code io.pushwire.protocol.CloseReason}).
     */
    void onSessionClosed(long connectionId, int closeReason);

    /**
     * A validated device frame for dispatch: ACK, PULL, SUB, UNSUB or UP.
     *
     * @param connectionId the connection it came on.
     * @param frameType    its type ({@code io.pushwire.protocol.FrameType}).
     * @param buffer       holds the frame body.
     * @param offset       where the body starts.
     * @param length       its length.
     */
    void onDeviceFrame(long connectionId, int frameType, DirectBuffer buffer, int offset, int length);

    /**
     * A gateway's periodic status: dispatch learns of gateways, their restarts and their load.
     *
     * @param gatewayId    the gateway.
     * @param instanceId   changes when the gateway process restarts: its connections are all gone.
     * @param timestampMs  when it was sent.
     * @param reactorCount reactors in that gateway.
     * @param connections  authenticated connections it holds.
     * @param flags        {@link LinkMessages#STATUS_FLAG_DRAINING}, {@link LinkMessages#STATUS_FLAG_FULL}.
     * @param versionLabel its release label.
     */
    void onGatewayStatus(
        int gatewayId, long instanceId, long timestampMs, int reactorCount, int connections, int flags, String versionLabel);
}
