package io.pushwire.protocol;

/**
 * Error codes of the device protocol, v1. ERROR frames carry them as a varint; decoders return them negated.
 * Codes are stable: a code is never reused for another meaning.
 */
public final class ErrorCode
{
    public static final int MALFORMED = 1;
    public static final int FRAME_TOO_LARGE = 2;
    public static final int UNKNOWN_TYPE = 3;
    public static final int UNSUPPORTED_VERSION = 4;
    public static final int VARINT_OVERLONG = 5;
    public static final int BAD_UTF8 = 6;
    public static final int TRUNCATED = 7;
    public static final int TRAILING_BYTES = 8;
    public static final int EMPTY_FIELD = 9;
    public static final int FIELD_TOO_LONG = 10;
    public static final int BAD_FLAGS = 11;
    public static final int HELLO_REQUIRED = 12;
    public static final int DUPLICATE_HELLO = 13;
    public static final int AUTH_TIMEOUT = 14;
    public static final int TOKEN_MALFORMED = 15;
    public static final int TOKEN_UNKNOWN_KEY = 16;
    public static final int TOKEN_BAD_SIGNATURE = 17;
    public static final int TOKEN_EXPIRED = 18;
    public static final int TOKEN_FUTURE_DATED = 19;
    public static final int TOKEN_WRONG_DEVICE = 20;
    public static final int RATE_LIMITED = 21;
    public static final int BAD_RANGE = 22;
    public static final int UNKNOWN_STREAM = 23;
    public static final int BAD_TOPIC = 24;
    public static final int TOO_MANY_SUBSCRIPTIONS = 25;
    public static final int OVERLOADED = 26;
    public static final int INTERNAL = 27;
    public static final int WRONG_DIRECTION = 28;

    /**
     * Highest code defined in v1.
     */
    public static final int MAX_CODE = WRONG_DIRECTION;

    private static final String[] NAMES =
        {
            "OK", "MALFORMED", "FRAME_TOO_LARGE", "UNKNOWN_TYPE", "UNSUPPORTED_VERSION", "VARINT_OVERLONG", "BAD_UTF8",
            "TRUNCATED", "TRAILING_BYTES", "EMPTY_FIELD", "FIELD_TOO_LONG", "BAD_FLAGS", "HELLO_REQUIRED",
            "DUPLICATE_HELLO", "AUTH_TIMEOUT", "TOKEN_MALFORMED", "TOKEN_UNKNOWN_KEY", "TOKEN_BAD_SIGNATURE",
            "TOKEN_EXPIRED", "TOKEN_FUTURE_DATED", "TOKEN_WRONG_DEVICE", "RATE_LIMITED", "BAD_RANGE", "UNKNOWN_STREAM",
            "BAD_TOPIC", "TOO_MANY_SUBSCRIPTIONS", "OVERLOADED", "INTERNAL", "WRONG_DIRECTION"
        };

    private ErrorCode()
    {
    }

    /**
     * @param code an error code, positive or negated (as decoders return it); 0 is {@code "OK"}.
     * @return its name, or {@code "UNKNOWN(n)"} (allocates only then).
     */
    public static String describe(final int code)
    {
        final int c = code < 0 && code != Integer.MIN_VALUE ? -code : code;
        return c >= 0 && c <= MAX_CODE ? NAMES[c] : "UNKNOWN(" + code + ")";
    }
}
