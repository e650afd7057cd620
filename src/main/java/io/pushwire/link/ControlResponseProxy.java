package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;

import static io.pushwire.link.ControlMessages.*;

/**
 * Sends a gateway's answers to control messages on {@link LinkConfiguration#CONTROL_RESPONSE_STREAM_ID} through an
 * {@link AnswerPublisher}: an answer the publication refuses for now (a term's end, back pressure) waits for
 * {@link #retry()}, in order; one nobody can read is dropped and counted, and is the console's timeout (the command's
 * effect stands). Not thread-safe: the gateway's control agent uses it.
 */
public final class ControlResponseProxy
{
    /**
     * Most bytes of answers held for retry (a few hundred answers; control commands are an operator's).
     */
    public static final int MAX_WAITING_BYTES = 64 * 1024;

    private final AnswerPublisher answers;
    private final int gatewayId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ERROR_TEXT_OFFSET + MAX_ERROR_TEXT_LENGTH]);

    /**
     * @param publication the control response publication.
     * @param gatewayId   the gateway's id, in every answer.
     * @param delayed     counts answers that waited for a retry.
     * @param dropped     counts answers dropped.
     */
    public ControlResponseProxy(
        final Publication publication, final int gatewayId, final AtomicCounter delayed, final AtomicCounter dropped)
    {
        this.answers = new AnswerPublisher(publication, MAX_WAITING_BYTES, delayed, dropped);
        this.gatewayId = gatewayId;
    }

    /**
     * Offers answers that are waiting; call every duty cycle.
     *
     * @return answers sent or dropped.
     */
    public int retry()
    {
        return answers.retry();
    }

    /**
     * @return true when offered or held for {@link #retry()}; false when dropped (counted).
     */
    public boolean ok(final long clientId, final long correlationId)
    {
        header(buffer, 0, OK, clientId, correlationId);
        buffer.putInt(GATEWAY_ID_OFFSET, gatewayId);
        return answers.offer(buffer, 0, OK_LENGTH);
    }

    /**
     * @param text ASCII, cut to {@link ControlMessages#MAX_ERROR_TEXT_LENGTH}.
     * @return as {@link #ok}.
     */
    public boolean error(final long clientId, final long correlationId, final int code, final String text)
    {
        header(buffer, 0, ERROR, clientId, correlationId);
        buffer.putInt(GATEWAY_ID_OFFSET, gatewayId);
        buffer.putInt(ERROR_CODE_OFFSET, code);
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(bytes.length, MAX_ERROR_TEXT_LENGTH);
        buffer.putShort(ERROR_TEXT_LENGTH_OFFSET, (short)length);
        buffer.putBytes(ERROR_TEXT_OFFSET, bytes, 0, length);
        return answers.offer(buffer, 0, ERROR_TEXT_OFFSET + length);
    }
}
