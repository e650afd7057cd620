package io.pushwire.box;

import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Settings;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code pushwire} command line: {@code pushwire <command> [--option value ...]}.
 * Exit codes: 0 success, 1 failure, 2 bad usage.
 */
public final class Pushwire
{
    private Pushwire()
    {
    }

    /**
     * @return every command, in the order {@code --help} lists them.
     */
    static List<Command> commands()
    {
        return List.of(new DriverCommand(), new DispatchCommand(), new GatewayCommand(), new TokenCommand());
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final List<Command> commands = commands();
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0]))
        {
            printUsage(out, commands);
            return args.length == 0 ? 2 : 0;
        }

        final Command command = commands.stream().filter((c) -> c.name().equals(args[0])).findFirst().orElse(null);
        if (null == command)
        {
            err.println("pushwire: unknown command '" + args[0] + "'");
            printUsage(err, commands);
            return 2;
        }

        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h"))
        {
            Settings.printHelp(out, "pushwire " + command.usage(), command.summary(), command.settings());
            return 0;
        }

        try
        {
            final List<String> positional = Settings.apply(rest, command.settings());
            return command.run(positional);
        }
        catch (final ConfigurationException | IllegalArgumentException ex)
        {
            err.println("pushwire " + command.name() + ": " + ex.getMessage());
            return 2;
        }
        catch (final Exception ex)
        {
            err.println("pushwire " + command.name() + ": " + ex);
            ex.printStackTrace(err);
            return 1;
        }
    }

    private static void printUsage(final PrintStream out, final List<Command> commands)
    {
        out.println("usage: pushwire <command> [--option value ...]   (pushwire <command> --help for its options)");
        out.println();
        out.println("commands:");
        for (final Command command : commands)
        {
            final String summary = command.summary();
            final int end = summary.indexOf('.');
            out.printf("  %-10s %s%n", command.name(), end > 0 ? summary.substring(0, end + 1) : summary);
        }
    }
}
