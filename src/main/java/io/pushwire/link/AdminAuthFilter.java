package io.pushwire.link;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;

/**
 * Sits in front of the adapter of an administrative stream (dispatch's commands, a gateway's control
 * messages) and lets through only what may pass: on the remote channel ({@code required}), signed commands
 * that verify; on local IPC, everything unsigned and signed commands that verify. A verified command
 * reaches the delegate without its trailer. A refusal is counted and reported to a {@link Refusal} handler,
 * which answers the sender with an ERROR. Not thread-safe: one per polling agent; put it behind a
 * {@code FragmentAssembler}.
 */
public final class AdminAuthFilter implements FragmentHandler
{
    /**
     * Told of each refused command, to answer it.
     */
    @FunctionalInterface
    public interface Refusal
    {
        /**
         * @param clientId      the sender's client id from the header.
         * @param correlationId the command's correlation id.
         * @param result        why ({@link AdminAuth}).
         */
        void onRefused(long clientId, long correlationId, int result);
    }

    private final FragmentHandler delegate;
    private final AdminVerifier verifier;
    private final boolean required;
    private final AdminCounters counters;
    private final Refusal refusal;
    private final EpochClock clock;

    /**
     * @param delegate the stream's adapter.
     * @param verifier the keys; null when none are configured (then every signed command is refused).
     * @param required true on the remote channel: unsigned commands are refused.
     * @param counters counts each accepted signed command and each refusal.
     * @param refusal  answers a refused command.
     * @param clock    the verifier's clock.
     */
    public AdminAuthFilter(
        final FragmentHandler delegate,
        final AdminVerifier verifier,
        final boolean required,
        final AdminCounters counters,
        final Refusal refusal,
        final EpochClock clock)
    {
        this.delegate = delegate;
        this.verifier = verifier;
        this.required = required;
        this.counters = counters;
        this.refusal = refusal;
        this.clock = clock;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < AdminAuth.MESSAGE_HEADER_LENGTH)
        {
            if (required)
            {
                counters.onResult(AdminAuth.MALFORMED);
            }
            else
            {
                delegate.onFragment(buffer, offset, length, header);
            }
            return;
        }
        final boolean signed = 0 != (buffer.getInt(offset + AdminAuth.FLAGS_OFFSET) & AdminAuth.FLAG_SIGNED);
        if (!signed)
        {
            if (required)
            {
                refuse(buffer, offset, AdminAuth.UNSIGNED);
            }
            else
            {
                delegate.onFragment(buffer, offset, length, header);
            }
            return;
        }
        final int result = null == verifier ? AdminAuth.UNKNOWN_KEY : verifier.verify(buffer, offset, length, clock.time());
        if (AdminAuth.OK != result)
        {
            refuse(buffer, offset, result);
            return;
        }
        counters.onResult(AdminAuth.OK);
        delegate.onFragment(buffer, offset, length - AdminAuth.TRAILER_LENGTH, header);
    }

    private void refuse(final DirectBuffer buffer, final int offset, final int result)
    {
        counters.onResult(result);
        refusal.onRefused(
            buffer.getLong(offset + AdminAuth.CLIENT_ID_OFFSET), buffer.getLong(offset + AdminAuth.CORRELATION_ID_OFFSET), result);
    }
}
