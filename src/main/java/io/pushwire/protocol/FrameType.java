package io.pushwire.protocol;

/**
 * Frame types of the device protocol, v1, and the layout of the type byte.
 * <pre>
 *   bit  7 6 5 4 3 2 1 0
 *       +-----+---------+
 *       |flags|  type   |
 *       +-----+---------+
 * </pre>
 * Type 0 is invalid; types above {@link #MAX_TYPE} are unknown in v1 ({@link ErrorCode#UNKNOWN_TYPE}). Flags are
 * defined per type; a flag bit a type does not define must be 0 ({@link ErrorCode#BAD_FLAGS}). Only {@link #MSG}
 * defines a flag in v1: {@link #FLAG_HIGH_PRIORITY}. See {@code docs/protocol.md}.
 */
public final class FrameType
{
    public static final int HELLO = 1;
    public static final int WELCOME = 2;
    public static final int PING = 3;
    public static final int PONG = 4;
    public static final int MSG = 5;
    public static final int NOTIFY = 6;
    public static final int PULL = 7;
    public static final int ACK = 8;
    public static final int GAP = 9;
    public static final int SUB = 10;
    public static final int UNSUB = 11;
    public static final int SUB_ACK = 12;
    public static final int UP = 13;
    public static final int UP_ACK = 14;
    public static final int REDIRECT = 15;
    public static final int ERROR = 16;
    public static final int BYE = 17;

    /**
     * Highest frame type defined in v1.
     */
    public static final int MAX_TYPE = BYE;

    public static final int TYPE_MASK = 0x1F;
    public static final int FLAGS_MASK = 0xE0;

    /**
     * MSG flag: deliver ahead of normal-priority work (the device may wake for it).
     */
    public static final int FLAG_HIGH_PRIORITY = 0x20;

    private static final String[] NAMES =
        {
            "INVALID", "HELLO", "WELCOME", "PING", "PONG", "MSG", "NOTIFY", "PULL", "ACK", "GAP", "SUB", "UNSUB",
            "SUB_ACK", "UP", "UP_ACK", "REDIRECT", "ERROR", "BYE"
        };

    private FrameType()
    {
    }

    /**
     * @param type the frame type (the low 5 bits of the type byte).
     * @return its name, {@code "INVALID"} for 0, {@code "UNKNOWN(n)"} for a type v1 does not define (allocates only then).
     */
    public static String name(final int type)
    {
        return isKnown(type) || type == 0 ? NAMES[type] : "UNKNOWN(" + type + ")";
    }

    /**
     * @param type the frame type.
     * @return true for the types v1 defines, 1 to {@link #MAX_TYPE}.
     */
    public static boolean isKnown(final int type)
    {
        return type >= HELLO && type <= MAX_TYPE;
    }

    /**
     * @param type the frame type.
     * @return true if a device may send it to the server (HELLO, PING, PULL, ACK, SUB, UNSUB, UP, BYE). A server
     * receiving any other known type answers {@link ErrorCode#WRONG_DIRECTION}.
     */
    public static boolean isClientToServer(final int type)
    {
        return switch (type)
        {
            case HELLO, PING, PULL, ACK, SUB, UNSUB, UP, BYE -> true;
            default -> false;
        };
    }

    /**
     * @param type the frame type.
     * @return true if the server may send it to a device (WELCOME, PONG, MSG, NOTIFY, GAP, SUB_ACK, UP_ACK, REDIRECT,
     * ERROR, BYE).
     */
    public static boolean isServerToClient(final int type)
    {
        return switch (type)
        {
            case WELCOME, PONG, MSG, NOTIFY, GAP, SUB_ACK, UP_ACK, REDIRECT, ERROR, BYE -> true;
            default -> false;
        };
    }

    /**
     * @param type a known frame type.
     * @return the flag bits that type defines; any other flag bit set is {@link ErrorCode#BAD_FLAGS}.
     */
    public static int allowedFlags(final int type)
    {
        return type == MSG ? FLAG_HIGH_PRIORITY : 0;
    }
}
