package io.pushwire.console;

import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The words of one console command: the command, its positional arguments, and {@code --name value}
 * options that override the session's settings for this command only.
 */
final class ConsoleArgs
{
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /**
     * @param words the command's words; the first is the command.
     * @throws IllegalArgumentException for an unknown option or one without a value.
     */
    ConsoleArgs(final List<String> words)
    {
        for (int i = 0; i < words.size(); i++)
        {
            final String word = words.get(i);
            if (!word.startsWith("--") || word.length() == 2)
            {
                positional.add(word);
                continue;
            }
            final int eq = word.indexOf('=');
            final String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
            if (null == io.pushwire.config.Settings.find(ConsoleConfiguration.settings(), name))
            {
                throw new IllegalArgumentException("unknown option --" + name + " (see help)");
            }
            if (eq >= 0)
            {
                options.put(name, word.substring(eq + 1));
            }
            else if (i + 1 < words.size())
            {
                options.put(name, words.get(++i));
            }
            else
            {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
    }

    String command()
    {
        return positional.isEmpty() ? "" : positional.get(0);
    }

    /**
     * @return the arguments after the command.
     */
    List<String> arguments()
    {
        return positional.size() <= 1 ? List.of() : positional.subList(1, positional.size());
    }

    String option(final Setting setting)
    {
        final String value = options.get(setting.optionName());
        return null == value ? setting.get() : value;
    }

    long optionLong(final Setting setting)
    {
        try
        {
            return asSetting(setting).getLong();
        }
        catch (final ConfigurationException ex)
        {
            throw new IllegalArgumentException("--" + setting.optionName() + " " + option(setting) + " is not a whole number");
        }
    }

    long optionDurationMs(final Setting setting)
    {
        try
        {
            return TimeUnit.NANOSECONDS.toMillis(asSetting(setting).getDurationNs(TimeUnit.SECONDS));
        }
        catch (final ConfigurationException ex)
        {
            throw new IllegalArgumentException("--" + setting.optionName() + " " + option(setting) + " is not a duration (e.g. 5s, 250ms)");
        }
    }

    /**
     * @return a setting whose value is this command's option (a fresh property name that is never set, so its
     * default is the value), to reuse the setting's typed parsing and its error messages.
     */
    private Setting asSetting(final Setting setting)
    {
        return Setting.of(setting.propertyName() + ".console-line", option(setting), setting.description());
    }

    /**
     * Splits a line into words at spaces; double quotes group words ({@code "hello world"}).
     */
    static List<String> split(final String line)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (Character.isWhitespace(c) && !quoted)
            {
                if (inWord)
                {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted)
        {
            throw new IllegalArgumentException("unbalanced quote");
        }
        if (inWord)
        {
            words.add(word.toString());
        }
        return words;
    }
}
