package io.pushwire.protocol;

/**
 * Version negotiation and the limits of the device protocol, v1.
 */
public final class Protocol
{
    /**
     * The lowest protocol version this implementation speaks.
     */
    public static final int MIN_VERSION = 1;

    /**
     * The highest protocol version this implementation speaks.
     */
    public static final int MAX_VERSION = 1;

    /**
     * Default limit on the body length of a frame received from a device: 16 KiB.
     */
    public static final int DEFAULT_MAX_BODY_LENGTH = 16 * 1024;

    /**
     * Largest body length the 3-byte length varint can carry: 2,097,151.
     */
    public static final int MAX_BODY_LENGTH = (1 << 21) - 1;

    public static final int MAX_DEVICE_ID_LENGTH = 128;
    public static final int MAX_TOKEN_LENGTH = 256;
    public static final int MAX_CURSORS = 64;
    public static final int MAX_TOPIC_LENGTH = 64;
    public static final int MAX_REDIRECT_TARGETS = 8;
    public static final int MAX_HOST_LENGTH = 255;
    public static final int MAX_ERROR_REASON_LENGTH = 200;

    /**
     * Stream id of the device's own (unicast) stream.
     */
    public static final long UNICAST_STREAM_ID = 0;

    /**
     * Stream id of the built-in broadcast topic every device belongs to.
     */
    public static final long BROADCAST_STREAM_ID = 1;

    public static final int GAP_EXPIRED = 1;
    public static final int GAP_COLLAPSED = 2;
    public static final int GAP_TRIMMED = 3;

    public static final int REDIRECT_DRAINING = 1;
    public static final int REDIRECT_OVERLOADED = 2;
    public static final int REDIRECT_REBALANCE = 3;

    private Protocol()
    {
    }

    /**
     * The version both sides speak: the lower of the client's highest and ours.
     *
     * @param clientVersion the version field of HELLO (the client's highest supported).
     * @return the negotiated version, or {@code -ErrorCode.UNSUPPORTED_VERSION} when there is no overlap
     * (the server then sends ERROR and closes).
     */
    public static int negotiateVersion(final long clientVersion)
    {
        final long negotiated = Math.min(clientVersion, MAX_VERSION);
        return negotiated < MIN_VERSION ? -ErrorCode.UNSUPPORTED_VERSION : (int)negotiated;
    }
}
