package io.pushwire.client;

import java.net.InetSocketAddress;

/**
 * What WELCOME told a {@link DeviceClient} about the session it has just opened. Immutable.
 *
 * @param server       the gateway the device is connected to.
 * @param version      the negotiated protocol version.
 * @param heartbeatSec the heartbeat interval the server holds the device to (its clamp of the proposal), seconds.
 * @param sessionId    the server's 64-bit connection id.
 * @param serverTimeMs the server's wall clock at WELCOME, epoch milliseconds.
 */
public record SessionInfo(InetSocketAddress server, int version, int heartbeatSec, long sessionId, long serverTimeMs)
{
}
