package io.pushwire.client;

/**
 * Where a {@link DeviceClient} is in its connection life cycle, as reported to
 * {@link DeviceListener#onStateChange(ConnectionState, ConnectionState)}.
 * <pre>
 *   DISCONNECTED -> SELECTING -> CONNECTING -> AUTHENTICATING -> CONNECTED
 *        ^              |             |               |              |
 *        |              +-------------+------+--------+--------------+  (failure, BYE, REDIRECT)
 *        |                                   v
 *        +--------------------------- BACKING_OFF           any state -> CLOSED (close(), BYE REPLACED)
 * </pre>
 */
public enum ConnectionState
{
    /**
     * Created, not started.
     */
    DISCONNECTED,

    /**
     * Resolving the server name and racing the load probes.
     */
    SELECTING,

    /**
     * Opening the TCP connection to a chosen server.
     */
    CONNECTING,

    /**
     * HELLO sent, waiting for WELCOME.
     */
    AUTHENTICATING,

    /**
     * WELCOME received: messages flow, heartbeats run.
     */
    CONNECTED,

    /**
     * Waiting (exponential backoff with jitter, or a REDIRECT's delay) before the next attempt.
     */
    BACKING_OFF,

    /**
     * Closed by the application or by the server (BYE REPLACED); terminal.
     */
    CLOSED
}
