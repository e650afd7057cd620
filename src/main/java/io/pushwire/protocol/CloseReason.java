package io.pushwire.protocol;

/**
 * Why a connection closed: carried by BYE frames and used as the index of the close counters.
 * Codes are stable: a code is never reused for another meaning.
 */
public final class CloseReason
{
    public static final int SHUTDOWN = 1;
    public static final int REPLACED = 2;
    public static final int KICKED = 3;
    public static final int HEARTBEAT_TIMEOUT = 4;
    public static final int SLOW_CONSUMER = 5;
    public static final int DRAINING = 6;
    public static final int CLIENT_CLOSE = 7;
    public static final int PROTOCOL_ERROR = 8;
    public static final int AUTH_FAILED = 9;
    public static final int AUTH_TIMEOUT = 10;
    public static final int RATE_LIMITED = 11;
    public static final int OVERLOADED = 12;

    /**
     * Highest reason defined in v1.
     */
    public static final int MAX_REASON = OVERLOADED;

    private static final String[] NAMES =
        {
            "NONE", "SHUTDOWN", "REPLACED", "KICKED", "HEARTBEAT_TIMEOUT", "SLOW_CONSUMER", "DRAINING", "CLIENT_CLOSE",
            "PROTOCOL_ERROR", "AUTH_FAILED", "AUTH_TIMEOUT", "RATE_LIMITED", "OVERLOADED"
        };

    private CloseReason()
    {
    }

    /**
     * @param reason a close reason.
     * @return its name, or {@code "UNKNOWN(n)"} (allocates only then).
     */
    public static String describe(final int reason)
    {
        return reason >= 0 && reason <= MAX_REASON ? NAMES[reason] : "UNKNOWN(" + reason + ")";
    }
}
