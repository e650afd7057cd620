package io.pushwire.client;

import io.pushwire.protocol.ErrorCode;

import java.io.Serial;

/**
 * Completes a request future exceptionally: the server refused a SUB, UNSUB or UP (a non-zero status, an
 * {@link ErrorCode}), or the connection was lost or absent before the answer came ({@link #NOT_CONNECTED}).
 */
public final class RequestFailedException extends RuntimeException
{
    /**
     * Status used when no connection was open to send the request on, or it closed before the answer.
     */
    public static final int NOT_CONNECTED = -1;

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status an {@link ErrorCode}, or {@link #NOT_CONNECTED}.
     */
    public RequestFailedException(final int status)
    {
        super(NOT_CONNECTED == status ? "not connected" : "refused by the server: " + ErrorCode.describe(status));
        this.status = status;
    }

    /**
     * @return the server's status (an {@link ErrorCode}) or {@link #NOT_CONNECTED}.
     */
    public int status()
    {
        return status;
    }
}
