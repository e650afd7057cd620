package io.pushwire.console;

import io.pushwire.box.Command;
import io.pushwire.config.Setting;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code pushwire console [command [args]]}: the operator console. With a command it runs it once and exits
 * with its code; without one it reads commands from standard input until {@code quit} or end of input.
 */
public final class ConsoleCommand implements Command
{
    public String name()
    {
        return "console";
    }

    public String usage()
    {
        return "console [status|top|push|receipt|who|kick|drain|errors|latency|help] [args] [--option value ...]";
    }

    public String summary()
    {
        return "The operator console: status, counters and rates of every process, push, receipts, who is online, kick, " +
            "drain, error logs and latency, over the box's Aeron directory (local) or a signed remote channel. " +
            "Without a command it reads commands from standard input." + System.lineSeparator() + System.lineSeparator() +
            Console.HELP;
    }

    public List<Setting> settings()
    {
        return ConsoleConfiguration.settings();
    }

    public int run(final List<String> positional) throws Exception
    {
        try (Console console = new Console(new ConsoleContext()))
        {
            if (!positional.isEmpty())
            {
                return console.execute(positional);
            }
            final boolean terminal = null != System.console();
            if (terminal)
            {
                System.out.println("pushwire console on " + console.context().aeronDir() + (console.context().remote()
                    ? " (remote: " + console.context().remoteChannel() + ")" : "") + "; help lists the commands, quit leaves");
            }
            return console.repl(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), terminal ? "pushwire> " : null);
        }
    }
}
