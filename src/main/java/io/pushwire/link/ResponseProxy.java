package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import static io.pushwire.link.CommandMessages.*;

/**
 * Sends dispatch's answers to senders on {@link LinkConfiguration#RESPONSE_STREAM_ID}, every one through an
 * {@link AnswerPublisher}: an answer the publication refuses for now (a term's end, back pressure) waits and is
 * offered again by {@link #retry()} in the agent's duty cycle, in order; one nobody can read (no subscriber, or too
 * many waiting) is dropped and counted, and is the client's timeout (the command's effect stands). Each answer is
 * encoded into one buffer: nothing is allocated per answer. Not thread-safe; used by the dispatch agent.
 */
public final class ResponseProxy
{
    /**
     * Most streams one WHO response lists.
     */
    public static final int MAX_WHO_STREAMS = 256;

    /**
     * Most bytes of answers held for retry: about 9,300 WHO answers of two streams or 21,800 ACCEPTED ones.
     */
    public static final int MAX_WAITING_BYTES = 1 << 20;

    private final AnswerPublisher answers;
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        WHO_STREAMS_OFFSET + MAX_WHO_STREAMS * WHO_STREAM_LENGTH + 64, 64));
    private int whoStreams;

    /**
     * @param publication the response publication.
     * @param delayed     counts answers that waited for a retry.
     * @param dropped     counts answers dropped.
     */
    public ResponseProxy(final Publication publication, final AtomicCounter delayed, final AtomicCounter dropped)
    {
        this.answers = new AnswerPublisher(publication, MAX_WAITING_BYTES, delayed, dropped);
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
     * @return bytes of answers waiting for {@link #retry()}.
     */
    public int waitingBytes()
    {
        return answers.waitingBytes();
    }

    /**
     * @return true when offered or held for {@link #retry()}; false when dropped (counted).
     */
    public boolean accepted(final long clientId, final long correlationId, final long messageId, final int targets)
    {
        CommandEncoder.header(buffer, 0, ACCEPTED, clientId, correlationId);
        buffer.putLong(MESSAGE_ID_OFFSET, messageId);
        buffer.putInt(ACCEPTED_TARGETS_OFFSET, targets);
        return answers.offer(buffer, 0, ACCEPTED_LENGTH);
    }

    public boolean receipt(final long clientId, final long correlationId, final long messageId, final int targets,
        final int delivered, final int pending, final int expired)
    {
        CommandEncoder.header(buffer, 0, RECEIPT_RESPONSE, clientId, correlationId);
        buffer.putLong(MESSAGE_ID_OFFSET, messageId);
        buffer.putInt(MESSAGE_ID_OFFSET + 8, targets);
        buffer.putInt(MESSAGE_ID_OFFSET + 12, delivered);
        buffer.putInt(MESSAGE_ID_OFFSET + 16, pending);
        buffer.putInt(MESSAGE_ID_OFFSET + 20, expired);
        return answers.offer(buffer, 0, RECEIPT_LENGTH);
    }

    public boolean ok(final long clientId, final long correlationId)
    {
        CommandEncoder.header(buffer, 0, OK, clientId, correlationId);
        return answers.offer(buffer, 0, HEADER_LENGTH);
    }

    /**
     * @param text ASCII, cut to {@link CommandMessages#MAX_ERROR_TEXT_LENGTH}.
     * @return as {@link #accepted}.
     */
    public boolean error(final long clientId, final long correlationId, final int code, final String text)
    {
        CommandEncoder.header(buffer, 0, ERROR, clientId, correlationId);
        buffer.putInt(ERROR_CODE_OFFSET, code);
        final int length = Math.min(text.length(), MAX_ERROR_TEXT_LENGTH);
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            buffer.putByte(ERROR_TEXT_OFFSET + i, (byte)(c < 128 ? c : '?'));
        }
        buffer.putShort(ERROR_CODE_OFFSET + 4, (short)length);
        return answers.offer(buffer, 0, ERROR_TEXT_OFFSET + length);
    }

    /**
     * Starts a WHO response; add streams with {@link #whoStream} and send with {@link #sendWho}.
     */
    public void beginWho(final long clientId, final long correlationId, final boolean online, final int heartbeatSec,
        final long connectionId, final long sinceMs)
    {
        CommandEncoder.header(buffer, 0, WHO_RESPONSE, clientId, correlationId);
        buffer.putInt(WHO_ONLINE_OFFSET, online ? 1 : 0);
        buffer.putInt(WHO_HEARTBEAT_OFFSET, heartbeatSec);
        buffer.putLong(WHO_CONNECTION_ID_OFFSET, connectionId);
        buffer.putLong(WHO_SINCE_OFFSET, sinceMs);
        whoStreams = 0;
    }

    public void whoStream(final long streamId, final long headSeq, final long ackedSeq)
    {
        if (whoStreams < MAX_WHO_STREAMS)
        {
            final int at = WHO_STREAMS_OFFSET + whoStreams * WHO_STREAM_LENGTH;
            buffer.putLong(at, streamId);
            buffer.putLong(at + 8, headSeq);
            buffer.putLong(at + 16, ackedSeq);
            whoStreams++;
        }
    }

    public boolean sendWho()
    {
        buffer.putInt(WHO_STREAM_COUNT_OFFSET, whoStreams);
        return answers.offer(buffer, 0, WHO_STREAMS_OFFSET + whoStreams * WHO_STREAM_LENGTH);
    }
}
