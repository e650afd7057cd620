package io.pushwire.console;

import io.aeron.Aeron;

import java.util.function.Supplier;

/**
 * The console commands served by dispatch over the command stream: {@code push}, {@code receipt},
 * {@code who}, {@code kick}. Placeholder until the sender API ({@code io.pushwire.sender.PushClient}) is on
 * this branch: every command answers that dispatch's command link is not in this build.
 */
final class DispatchCommands implements AutoCloseable
{
    private final ConsoleContext ctx;

    DispatchCommands(final ConsoleContext ctx, final Supplier<Aeron> aeron)
    {
        this.ctx = ctx;
    }

    int execute(final ConsoleArgs args)
    {
        ctx.out().println(args.command() + ": needs dispatch's command link, which is not in this build yet");
        return 1;
    }

    public void close()
    {
    }
}
