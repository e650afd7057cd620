package io.pushwire.link;

import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Sends answers to commands on one publication so that none is lost to a transient refusal and they stay in order.
 * <p>
 * {@link #offer} offers an answer at once when none is waiting; an {@link Publication#ADMIN_ACTION} (the answer met
 * the end of a term) is offered again at once; a {@link Publication#BACK_PRESSURED} answer, and every answer behind
 * a waiting one, is copied into a FIFO ring that {@link #retry()} offers, in order, every duty cycle. The stream keeps
 * the order in which answers were made, so each client sees its answers in the order it asked.
 * <p>
 * An answer nobody can read is dropped and counted: when the publication reports {@link Publication#NOT_CONNECTED}
 * (no subscriber: every client is gone), {@link Publication#CLOSED} or {@link Publication#MAX_POSITION_EXCEEDED},
 * and when the ring is at its maximum (a subscriber that stopped reading holds the stream back; its clients have
 * long timed out). A dropped answer is the client's timeout; the command's effect stands.
 * <p>
 * The ring starts at 64 KiB (or the maximum, if smaller) and grows by doubling while answers wait; nothing is
 * allocated per answer. Not thread-safe: one agent offers and retries.
 */
public final class AnswerPublisher
{
    /**
     * Most waiting answers {@link #retry()} offers in one call.
     */
    public static final int RETRY_LIMIT = 256;

    private final Publication publication;
    private final ExpandableRingBuffer waiting;
    private final AtomicCounter delayed;
    private final AtomicCounter dropped;
    private final ExpandableRingBuffer.MessageConsumer retryHandler = this::onWaiting;
    private int sent;

    /**
     * @param publication     where answers go.
     * @param maxWaitingBytes most bytes of answers held for retry: a power of two; each answer takes its length
     *                        plus 8, aligned to 8.
     * @param delayed         counts answers that could not be offered at once and waited; written by the offering
     *                        thread only.
     * @param dropped         counts answers dropped; written by the offering thread only.
     */
    public AnswerPublisher(
        final Publication publication, final int maxWaitingBytes, final AtomicCounter delayed, final AtomicCounter dropped)
    {
        this.publication = publication;
        this.delayed = delayed;
        this.dropped = dropped;
        this.waiting = new ExpandableRingBuffer(Math.min(64 * 1024, maxWaitingBytes), maxWaitingBytes, true);
    }

    /**
     * Offers an answer, or holds it for {@link #retry()} behind those already waiting.
     *
     * @return true when offered or held; false when dropped (counted).
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (waiting.isEmpty())
        {
            final long result = offerNow(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (isUnreadable(result))
            {
                dropped.incrementOrdered();
                return false;
            }
        }
        if (!waiting.append(buffer, offset, length))
        {
            dropped.incrementOrdered();
            return false;
        }
        delayed.incrementOrdered();
        return true;
    }

    /**
     * Offers waiting answers in order, up to {@link #RETRY_LIMIT}, stopping at the first the publication still
     * refuses; drops (and counts) those nobody can read. Call every duty cycle.
     *
     * @return answers offered or dropped.
     */
    public int retry()
    {
        if (waiting.isEmpty())
        {
            return 0;
        }
        sent = 0;
        waiting.consume(retryHandler, RETRY_LIMIT);
        return sent;
    }

    /**
     * @return bytes of answers waiting for {@link #retry()} (with their ring headers).
     */
    public int waitingBytes()
    {
        return waiting.size();
    }

    public Publication publication()
    {
        return publication;
    }

    private boolean onWaiting(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long result = offerNow(buffer, offset, length);
        if (result > 0)
        {
            sent++;
            return true;
        }
        if (isUnreadable(result))
        {
            dropped.incrementOrdered();
            sent++;
            return true;
        }
        return false;
    }

    private long offerNow(final DirectBuffer buffer, final int offset, final int length)
    {
        long result = publication.offer(buffer, offset, length);
        if (Publication.ADMIN_ACTION == result)
        {
            // The answer met a term's end (the publication padded it and rotated) or the driver was busy: the next
            // offer goes to the new term.
            result = publication.offer(buffer, offset, length);
        }
        return result;
    }

    private static boolean isUnreadable(final long result)
    {
        return Publication.NOT_CONNECTED == result || Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result;
    }
}
