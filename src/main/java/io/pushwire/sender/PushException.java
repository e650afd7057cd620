package io.pushwire.sender;

import io.pushwire.link.CommandErrors;

/**
 * A command dispatch refused (ERROR, with its code: {@link CommandErrors}) or that got no answer in time
 * ({@link #TIMEOUT}) or could not be sent ({@link #NOT_SENT}). A refused command changed nothing; after a
 * timeout the outcome is unknown: resubmit a push with the same idempotency key to find out safely.
 */
public final class PushException extends RuntimeException
{
    public static final int TIMEOUT = -1;
    public static final int NOT_SENT = -2;

    private static final long serialVersionUID = 1L;

    private final int code;

    public PushException(final int code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * @return a {@link CommandErrors} code, {@link #TIMEOUT} or {@link #NOT_SENT}.
     */
    public int code()
    {
        return code;
    }
}
