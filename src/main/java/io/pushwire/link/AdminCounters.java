package io.pushwire.link;

import io.aeron.Aeron;
import io.pushwire.status.CounterTypes;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;

/**
 * A process's counters of administrative commands, in the CnC file: signed commands accepted and every
 * kind of refusal. Labels are {@code <process>: admin ...}, e.g. {@code gateway-2: admin refused replayed};
 * type ids are {@link CounterTypes#ADMIN_BASE} + the verification result ({@link AdminAuth}), so
 * {@code ADMIN_BASE} itself counts accepted signed commands. Written by the one agent that verifies.
 */
public final class AdminCounters implements AutoCloseable
{
    private final AtomicCounter[] byResult = new AtomicCounter[AdminAuth.MALFORMED + 1];

    /**
     * @param aeron   the process's client.
     * @param process its name, e.g. {@code dispatch-0}, the label prefix.
     * @param id      its id (gateway id, shard), in the key.
     */
    public AdminCounters(final Aeron aeron, final String process, final int id)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
        key.putInt(0, id);
        for (int result = AdminAuth.OK; result <= AdminAuth.MALFORMED; result++)
        {
            final String label = process + ": admin " + name(result);
            byResult[result] = aeron.addCounter(CounterTypes.ADMIN_BASE + result, key, 0, 4,
                new UnsafeBuffer(label.getBytes(StandardCharsets.US_ASCII)), 0, label.length());
        }
    }

    static String name(final int result)
    {
        return switch (result)
        {
            case AdminAuth.OK -> "signed commands accepted";
            case AdminAuth.UNSIGNED -> "refused unsigned";
            case AdminAuth.UNKNOWN_KEY -> "refused unknown key";
            case AdminAuth.BAD_MAC -> "refused bad signature";
            case AdminAuth.STALE -> "refused stale";
            case AdminAuth.REPLAYED -> "refused replayed";
            case AdminAuth.REPLAY_CACHE_FULL -> "refused replay cache full";
            default -> "refused malformed";
        };
    }

    /**
     * @param result a verification result; counts it.
     */
    public void onResult(final int result)
    {
        byResult[result].increment();
    }

    /**
     * @return the count of a result.
     */
    public long count(final int result)
    {
        return byResult[result].get();
    }

    public void close()
    {
        CloseHelper.closeAll(byResult);
    }
}
