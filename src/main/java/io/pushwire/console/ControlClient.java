package io.pushwire.console;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.pushwire.link.ControlProxy;
import io.pushwire.link.ControlResponseAdapter;
import io.pushwire.link.ControlResponseListener;
import io.pushwire.link.LinkConfiguration;
import org.agrona.CloseHelper;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The console's end of the control stream to gateways: publishes control messages (signed on the remote
 * channel) and waits for the addressed gateway's answer. Single-threaded: the console's thread sends and
 * polls.
 */
final class ControlClient implements AutoCloseable
{
    /**
     * The answer to a control message.
     *
     * @param ok   true for OK.
     * @param code the ERROR code, 0 for OK.
     * @param text the ERROR text, empty for OK.
     */
    record Answer(boolean ok, int code, String text)
    {
    }

    private final Publication publication;
    private final Subscription subscription;
    private final ControlProxy proxy;
    private final long clientId = new SecureRandom().nextLong();
    private long correlationIds;
    private long awaitedCorrelationId;
    private Answer answer;
    private final FragmentAssembler assembler;

    ControlClient(final Aeron aeron, final ConsoleContext ctx)
    {
        publication = aeron.addPublication(ctx.commandChannel(), LinkConfiguration.CONTROL_STREAM_ID);
        subscription = aeron.addSubscription(ctx.responseChannel(), LinkConfiguration.CONTROL_RESPONSE_STREAM_ID);
        proxy = new ControlProxy(publication, ctx.commandSigner());
        assembler = new FragmentAssembler(new ControlResponseAdapter(clientId, new ControlResponseListener()
        {
            public void onOk(final long correlationId, final int gatewayId)
            {
                if (correlationId == awaitedCorrelationId)
                {
                    answer = new Answer(true, 0, "");
                }
            }

            public void onError(final long correlationId, final int gatewayId, final int code, final String text)
            {
                if (correlationId == awaitedCorrelationId)
                {
                    answer = new Answer(false, code, text);
                }
            }
        }));
    }

    /**
     * Asks a gateway to drain and waits for its answer.
     *
     * @param gatewayId  the gateway.
     * @param ratePerSec connections a second.
     * @param timeoutMs  how long to wait for the stream to connect and for the answer.
     * @return the answer, or null on timeout.
     * @throws IllegalStateException when no gateway subscribes to the control stream within the timeout.
     */
    Answer drain(final int gatewayId, final int ratePerSec, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("no gateway answers on the control stream (" + publication.channel() + ") within " +
                    timeoutMs + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        awaitedCorrelationId = ++correlationIds;
        answer = null;
        while (proxy.drain(clientId, awaitedCorrelationId, gatewayId, ratePerSec) < 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("DRAIN not sent within " + timeoutMs + " ms (back pressure)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        while (null == answer && System.nanoTime() - deadlineNs < 0)
        {
            if (subscription.poll(assembler, 16) == 0)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        return answer;
    }

    public void close()
    {
        CloseHelper.closeAll(publication, subscription);
    }
}
