package io.pushwire.link;

/**
 * Codes of an ERROR response to a command. A command answered with an error changed nothing.
 */
public final class CommandErrors
{
    public static final int MALFORMED = 1;
    public static final int UNKNOWN_COMMAND = 2;
    public static final int UNKNOWN_TARGET_KIND = 3;
    public static final int BAD_TARGET = 4;
    public static final int EMPTY_PAYLOAD = 5;
    public static final int PAYLOAD_TOO_LARGE = 6;
    public static final int TTL_TOO_LONG = 7;
    public static final int BAD_PRIORITY = 8;
    public static final int UNKNOWN_ALIAS = 9;
    public static final int UNKNOWN_TOPIC = 10;
    public static final int UNKNOWN_DEVICE = 11;
    public static final int UNKNOWN_MESSAGE = 12;
    public static final int TOO_MANY_TARGETS = 13;
    public static final int STORE_FAILED = 14;
    public static final int IDEMPOTENCY_CONFLICT = 15;
    public static final int NOT_AUTHORIZED = 16;

    private CommandErrors()
    {
    }

    /**
     * @param code an error code.
     * @return its name, for messages and logs.
     */
    public static String name(final int code)
    {
        return switch (code)
        {
            case MALFORMED -> "MALFORMED";
            case UNKNOWN_COMMAND -> "UNKNOWN_COMMAND";
            case UNKNOWN_TARGET_KIND -> "UNKNOWN_TARGET_KIND";
            case BAD_TARGET -> "BAD_TARGET";
            case EMPTY_PAYLOAD -> "EMPTY_PAYLOAD";
            case PAYLOAD_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case TTL_TOO_LONG -> "TTL_TOO_LONG";
            case BAD_PRIORITY -> "BAD_PRIORITY";
            case UNKNOWN_ALIAS -> "UNKNOWN_ALIAS";
            case UNKNOWN_TOPIC -> "UNKNOWN_TOPIC";
            case UNKNOWN_DEVICE -> "UNKNOWN_DEVICE";
            case UNKNOWN_MESSAGE -> "UNKNOWN_MESSAGE";
            case TOO_MANY_TARGETS -> "TOO_MANY_TARGETS";
            case STORE_FAILED -> "STORE_FAILED";
            case IDEMPOTENCY_CONFLICT -> "IDEMPOTENCY_CONFLICT";
            case NOT_AUTHORIZED -> "NOT_AUTHORIZED";
            default -> "ERROR_" + code;
        };
    }
}
