package io.pushwire.console;

import io.aeron.Aeron;
import io.pushwire.link.BoxMediaDriver;
import org.agrona.CloseHelper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One console session: runs commands given as words, one-shot or line by line ({@link #repl}). Reading
 * commands ({@code status}, {@code top}, {@code errors}, {@code latency}) map the driver's CnC file and the
 * status directory and ask no process; acting commands ({@code drain}, and the dispatch commands) connect an
 * Aeron client on first use and talk over the control or command stream, signed when remote.
 * <p>
 * Exit codes: 0 done, 1 refused or failed, 2 bad usage. Single-threaded; close to release the client.
 */
public final class Console implements AutoCloseable
{
    static final String HELP = String.join(System.lineSeparator(),
        "commands:",
        "  status [--interval 1s]                  every process: version, uptime, state, connections, rates, queues, errors; every counter",
        "  top [--interval 1s] [--iterations N]    the process table, refreshed every interval",
        "  push device|alias|topic <target> <payload> [--ttl 60s] [--collapse KEY] [--priority normal|high] [--app ID]",
        "  push all <payload> [...]                broadcast to every device",
        "  receipt <messageId>                     targets, delivered, pending, expired",
        "  who <deviceId>                          online where and since when, heartbeat, cursors",
        "  kick <deviceId>                         close the device's connection (BYE kicked)",
        "  drain <gatewayId> [--rate N]            the gateway leaves the port and moves its devices off at N/s",
        "  errors                                  the distinct error log of the driver and of each process",
        "  latency [--window 60s]                  latency percentiles from the processes' interval histograms",
        "  help, quit");

    private final ConsoleContext ctx;
    private final PrintStream out;
    private final DispatchCommands dispatchCommands;
    private Aeron aeron;
    private ControlClient controlClient;

    public Console(final ConsoleContext ctx)
    {
        this.ctx = ctx.conclude();
        this.out = ctx.out();
        this.dispatchCommands = new DispatchCommands(ctx, this::aeron);
    }

    public ConsoleContext context()
    {
        return ctx;
    }

    /**
     * Runs one command.
     *
     * @param words the command and its arguments and options.
     * @return the exit code.
     */
    public int execute(final List<String> words)
    {
        try
        {
            final ConsoleArgs args = new ConsoleArgs(words);
            return switch (args.command())
            {
                case "status" -> status(args);
                case "top" -> top(args);
                case "errors" -> errors();
                case "latency" -> latency(args);
                case "drain" -> drain(args);
                case "push", "receipt", "who", "kick" -> dispatchCommands.execute(args);
                case "help", "" ->
                {
                    out.println(HELP);
                    yield 0;
                }
                default ->
                {
                    out.println("unknown command '" + args.command() + "' (try help)");
                    yield 2;
                }
            };
        }
        catch (final IllegalArgumentException ex)
        {
            out.println("usage: " + ex.getMessage());
            return 2;
        }
        catch (final IllegalStateException ex)
        {
            out.println("failed: " + ex.getMessage());
            return 1;
        }
    }

    /**
     * Reads commands line by line until {@code quit} or the end of input.
     *
     * @param in     the lines.
     * @param prompt printed before each line, or null.
     * @return the exit code of the last command.
     * @throws IOException reading the input.
     */
    public int repl(final BufferedReader in, final String prompt) throws IOException
    {
        int last = 0;
        for (int lines = 0; lines < Integer.MAX_VALUE; lines++)
        {
            if (null != prompt)
            {
                out.print(prompt);
                out.flush();
            }
            final String line = in.readLine();
            if (null == line)
            {
                break;
            }
            final String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            if ("quit".equals(trimmed) || "exit".equals(trimmed))
            {
                break;
            }
            try
            {
                last = execute(ConsoleArgs.split(trimmed));
            }
            catch (final IllegalArgumentException ex)
            {
                out.println("usage: " + ex.getMessage());
                last = 2;
            }
        }
        return last;
    }

    private int status(final ConsoleArgs args)
    {
        final long intervalMs = args.optionDurationMs(ConsoleConfiguration.INTERVAL);
        try (CncReader cnc = new CncReader(ctx.aeronDir()))
        {
            StatusSample previous = null;
            if (intervalMs > 0)
            {
                previous = StatusSample.take(cnc, ctx.clock().time());
                sleep(intervalMs);
            }
            final StatusSample current = StatusSample.take(cnc, ctx.clock().time());
            new StatusReport(ctx.statusDir()).print(out, previous, current, true);
        }
        return 0;
    }

    private int top(final ConsoleArgs args)
    {
        final long intervalMs = Math.max(100, args.optionDurationMs(ConsoleConfiguration.INTERVAL));
        final long iterations = args.optionLong(ConsoleConfiguration.ITERATIONS);
        final boolean terminal = null != System.console() && out == System.out;
        final StatusReport report = new StatusReport(ctx.statusDir());
        try (CncReader cnc = new CncReader(ctx.aeronDir()))
        {
            StatusSample previous = StatusSample.take(cnc, ctx.clock().time());
            for (long i = 0; iterations <= 0 || i < iterations; i++)
            {
                sleep(intervalMs);
                final StatusSample current = StatusSample.take(cnc, ctx.clock().time());
                if (terminal)
                {
                    out.print("\033[H\033[2J");
                }
                else if (i > 0)
                {
                    out.println();
                }
                report.print(out, previous, current, false);
                out.flush();
                previous = current;
            }
        }
        return 0;
    }

    private int errors()
    {
        CncReader cnc = null;
        try
        {
            cnc = new CncReader(ctx.aeronDir());
        }
        catch (final IllegalStateException ex)
        {
            out.println("driver: " + ex.getMessage());
        }
        try
        {
            new ErrorsReport(ctx.statusDir()).print(out, cnc);
        }
        finally
        {
            CloseHelper.close(cnc);
        }
        return 0;
    }

    private int latency(final ConsoleArgs args)
    {
        new LatencyReport(ctx.statusDir()).print(out, ctx.clock().time(), args.optionDurationMs(ConsoleConfiguration.WINDOW));
        return 0;
    }

    private int drain(final ConsoleArgs args)
    {
        if (args.arguments().size() != 1)
        {
            throw new IllegalArgumentException("drain <gatewayId> [--rate N]");
        }
        final int gatewayId = parseInt("gateway id", args.arguments().get(0).replace("gateway-", ""));
        final long rate = args.optionLong(ConsoleConfiguration.RATE);
        if (rate < 1 || rate > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("--rate must be at least 1 (connections a second)");
        }
        if (null == controlClient)
        {
            controlClient = new ControlClient(aeron(), ctx);
        }
        final ControlClient.Answer answer = controlClient.drain(gatewayId, (int)rate, ctx.timeoutMs());
        if (null == answer)
        {
            out.println("gateway-" + gatewayId + ": no answer within " + ctx.timeoutMs() + " ms (is there a gateway " + gatewayId + "?)");
            return 1;
        }
        if (!answer.ok())
        {
            out.println("gateway-" + gatewayId + ": " + answer.text());
            return 1;
        }
        out.println("gateway-" + gatewayId + ": draining at " + rate + " connections/s (listener closed; devices are " +
            "redirected, then the process can be stopped)");
        return 0;
    }

    static int parseInt(final String what, final String text)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }

    private Aeron aeron()
    {
        if (null == aeron)
        {
            aeron = BoxMediaDriver.connect(ctx.aeronDir(), "pushwire-console");
        }
        return aeron;
    }

    private static void sleep(final long ms)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    public void close()
    {
        CloseHelper.closeAll(dispatchCommands, controlClient, aeron);
    }
}
