package io.pushwire.link;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.IntConsumer;

/**
 * A gateway's end of the control stream: it subscribes to {@link LinkConfiguration#CONTROL_STREAM_ID} on
 * the local link channel (trusted) and, when configured, on the remote administration channel (signed
 * commands only, {@link AdminAuthFilter}); acts on DRAIN messages addressed to its gateway id and answers
 * on {@link LinkConfiguration#CONTROL_RESPONSE_STREAM_ID} on the channel the command came in on. An answer the
 * publication refuses for now waits and is offered again by {@link #poll(int)} ({@link ControlResponseProxy}).
 * <p>
 * Not thread-safe: {@link #poll(int)} belongs to one agent of the gateway (its housekeeping duty cycle).
 */
public final class ControlEndpoint implements AutoCloseable
{
    private final Subscription localSubscription;
    private final Publication localResponses;
    private final Subscription remoteSubscription;
    private final Publication remoteResponses;
    private final FragmentAssembler localAssembler;
    private final FragmentAssembler remoteAssembler;
    private final ControlResponseProxy localResponder;
    private final ControlResponseProxy remoteResponder;

    /**
     * @param aeron                 the gateway's client.
     * @param gatewayId             its id; DRAIN messages for other ids are ignored.
     * @param localChannel          the link channel for subscriptions (IPC on a box).
     * @param localResponseChannel  the link channel for publications.
     * @param remoteChannel         the remote administration channel, or empty for none.
     * @param remoteResponseChannel where answers to remote commands go (needed with a remote channel).
     * @param verifier              the operator keys, or null when none are configured.
     * @param counters              the gateway's admin counters.
     * @param answersDelayed        counts answers that waited for a retry.
     * @param answersDropped        counts answers dropped (nobody reads them, or too many wait).
     * @param drain                 starts a drain at the given rate; called on the polling thread.
     * @param clock                 for signature timestamps.
     */
    public ControlEndpoint(
        final Aeron aeron,
        final int gatewayId,
        final String localChannel,
        final String localResponseChannel,
        final String remoteChannel,
        final String remoteResponseChannel,
        final AdminVerifier verifier,
        final AdminCounters counters,
        final AtomicCounter answersDelayed,
        final AtomicCounter answersDropped,
        final IntConsumer drain,
        final EpochClock clock)
    {
        localSubscription = aeron.addSubscription(localChannel, LinkConfiguration.CONTROL_STREAM_ID);
        localResponses = aeron.addPublication(localResponseChannel, LinkConfiguration.CONTROL_RESPONSE_STREAM_ID);
        localResponder = new ControlResponseProxy(localResponses, gatewayId, answersDelayed, answersDropped);
        localAssembler = new FragmentAssembler(filter(gatewayId, localResponder, verifier, false, counters, drain, clock));
        if (null != remoteChannel && !remoteChannel.isBlank())
        {
            if (null == remoteResponseChannel || remoteResponseChannel.isBlank())
            {
                throw new IllegalArgumentException(AdminConfiguration.REMOTE_RESPONSE_CHANNEL.propertyName() +
                    " is needed with " + AdminConfiguration.REMOTE_CHANNEL.propertyName());
            }
            remoteSubscription = aeron.addSubscription(remoteChannel, LinkConfiguration.CONTROL_STREAM_ID);
            remoteResponses = aeron.addPublication(remoteResponseChannel, LinkConfiguration.CONTROL_RESPONSE_STREAM_ID);
            remoteResponder = new ControlResponseProxy(remoteResponses, gatewayId, answersDelayed, answersDropped);
            remoteAssembler = new FragmentAssembler(filter(gatewayId, remoteResponder, verifier, true, counters, drain, clock));
        }
        else
        {
            remoteSubscription = null;
            remoteResponses = null;
            remoteResponder = null;
            remoteAssembler = null;
        }
    }

    private static AdminAuthFilter filter(
        final int gatewayId,
        final ControlResponseProxy responder,
        final AdminVerifier verifier,
        final boolean required,
        final AdminCounters counters,
        final IntConsumer drain,
        final EpochClock clock)
    {
        final ControlAdapter adapter = new ControlAdapter(new ControlListener()
        {
            public void onDrain(final long clientId, final long correlationId, final int targetGatewayId, final int ratePerSec)
            {
                if (targetGatewayId != gatewayId)
                {
                    return;
                }
                if (ratePerSec < 1)
                {
                    responder.error(clientId, correlationId, ControlMessages.ERROR_MALFORMED, "DRAIN: rate must be at least 1/s");
                    return;
                }
                drain.accept(ratePerSec);
                responder.ok(clientId, correlationId);
            }

            public void onBadControl(final long clientId, final long correlationId, final int code, final String text)
            {
                responder.error(clientId, correlationId, code, text);
            }
        });
        return new AdminAuthFilter(adapter, verifier, required, counters,
            (clientId, correlationId, result) ->
                responder.error(clientId, correlationId, ControlMessages.ERROR_NOT_AUTHORIZED, AdminAuth.describe(result)),
            clock);
    }

    /**
     * Polls the control streams and offers the answers that wait.
     *
     * @param fragmentLimit most fragments per subscription.
     * @return work done.
     */
    public int poll(final int fragmentLimit)
    {
        int work = localSubscription.poll(localAssembler, fragmentLimit);
        work += localResponder.retry();
        if (null != remoteSubscription)
        {
            work += remoteSubscription.poll(remoteAssembler, fragmentLimit);
            work += remoteResponder.retry();
        }
        return work;
    }

    public void close()
    {
        CloseHelper.closeAll(localSubscription, localResponses, remoteSubscription, remoteResponses);
    }
}
