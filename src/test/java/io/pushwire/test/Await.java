package io.pushwire.test;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waiting in tests: poll a condition until it holds or a deadline passes, then fail with a message
 * rather than hang.
 */
public final class Await
{
    private Await()
    {
    }

    /**
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs how long to wait.
     * @param condition polled until true; may do work (e.g. call an agent's doWork()).
     */
    public static void until(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        until(() -> what, timeoutMs, condition);
    }

    public static void until(final Supplier<String> what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeoutMs + " ms waiting for: " + what.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
