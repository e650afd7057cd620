package io.pushwire.config;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Fills system properties for a command from, in rising precedence: defaults, an optional properties
 * file ({@code --config FILE}), {@code -Dname=value} JVM options, and {@code --option value} arguments.
 * Prints help and the resolved configuration. Used once at start, on the main thread.
 */
public final class Settings
{
    public static final String CONFIG_OPTION = "config";

    private Settings()
    {
    }

    /**
     * Applies {@code --config FILE} and {@code --option value} / {@code --option=value} arguments to the
     * system properties of the given settings and returns the arguments that are not options.
     *
     * @param args     the command's arguments.
     * @param settings the settings the command reads.
     * @return positional arguments, in order.
     * @throws ConfigurationException for an unknown option or one without a value.
     */
    public static List<String> apply(final String[] args, final List<Setting> settings)
    {
        final List<String> positional = new ArrayList<>();
        final List<String[]> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2)
            {
                positional.add(arg);
                continue;
            }
            final int eq = arg.indexOf('=');
            final String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            final String value;
            if (eq >= 0)
            {
                value = arg.substring(eq + 1);
            }
            else if (i + 1 < args.length)
            {
                value = args[++i];
            }
            else
            {
                throw new ConfigurationException("option --" + name + " needs a value");
            }
            options.add(new String[]{ name, value });
        }

        for (final String[] option : options)
        {
            if (CONFIG_OPTION.equals(option[0]))
            {
                loadFile(Path.of(option[1]));
            }
        }
        for (final String[] option : options)
        {
            if (CONFIG_OPTION.equals(option[0]))
            {
                continue;
            }
            final Setting setting = find(settings, option[0]);
            if (null == setting)
            {
                throw new ConfigurationException("unknown option --" + option[0] + " (see --help)");
            }
            System.setProperty(setting.propertyName(), option[1]);
        }
        return positional;
    }

    /**
     * Loads a properties file into system properties; a property already set (by {@code -D}) wins.
     *
     * @param file the file.
     */
    public static void loadFile(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot read configuration file " + file + ": " + ex.getMessage());
        }
        for (final String name : properties.stringPropertyNames())
        {
            if (null == System.getProperty(name))
            {
                System.setProperty(name, properties.getProperty(name).trim());
            }
        }
    }

    /**
     * @param settings the settings.
     * @param name     option name or full property name.
     * @return the setting, or null.
     */
    public static Setting find(final List<Setting> settings, final String name)
    {
        for (final Setting setting : settings)
        {
            if (setting.optionName().equals(name) || setting.propertyName().equals(name))
            {
                return setting;
            }
        }
        return null;
    }

    /**
     * Prints the options of a command, with their properties and defaults.
     *
     * @param out      where to print.
     * @param usage    the usage line.
     * @param summary  what the command does.
     * @param settings its settings.
     */
    public static void printHelp(final PrintStream out, final String usage, final String summary, final List<Setting> settings)
    {
        out.println("usage: " + usage);
        out.println();
        out.println(summary);
        out.println();
        out.println("options (each also a system property, or a line in the --config properties file):");
        out.printf("  --%-24s %s%n", CONFIG_OPTION + " FILE", "read settings from a properties file");
        for (final Setting setting : settings)
        {
            out.printf("  --%-24s %s%n", setting.optionName() + " V", setting.description());
            out.printf("    %-24s default %s%n", setting.propertyName(), setting.defaultValue().isEmpty() ? "(none)" : setting.defaultValue());
        }
    }

    /**
     * Prints the resolved value of every setting, one {@code name=value} per line, as a process starts.
     *
     * @param out      where to print.
     * @param role     the role's name.
     * @param settings its settings.
     */
    public static void printResolved(final PrintStream out, final String role, final List<Setting> settings)
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append(role).append(" configuration:");
        for (final Setting setting : settings)
        {
            sb.append(System.lineSeparator()).append("  ").append(setting.propertyName()).append('=').append(setting.get());
        }
        out.println(sb);
    }
}
