package io.pushwire.config;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One named configuration value: a system property with a default and a line of help.
 * <p>
 * Settings are read from system properties, which {@link Settings} fills from an optional properties
 * file and from {@code --name value} command-line options. A role's {@code Configuration} class holds
 * its settings as constants; its {@code Context} reads them once in {@code conclude()}.
 * <p>
 * Durations accept {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h} suffixes (no
 * suffix means the unit the reader names); sizes accept {@code k}, {@code m}, {@code g} (powers of two).
 * Thread-safe: it holds no mutable state.
 */
public final class Setting
{
    private final String propertyName;
    private final String optionName;
    private final String defaultValue;
    private final String description;

    private Setting(final String propertyName, final String defaultValue, final String description)
    {
        this.propertyName = propertyName;
        this.optionName = optionNameOf(propertyName);
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /**
     * @param propertyName system property, {@code pushwire.<role>.<name>}; the option name is {@code <name>}
     *                     with dots as dashes ({@code pushwire.box.data.dir} is {@code --data-dir}).
     * @param defaultValue value when the property is not set.
     * @param description  one line for {@code --help}.
     * @return the setting.
     */
    public static Setting of(final String propertyName, final String defaultValue, final String description)
    {
        return new Setting(propertyName, defaultValue, description);
    }

    static String optionNameOf(final String propertyName)
    {
        final String prefix = "pushwire.";
        if (propertyName.startsWith(prefix))
        {
            final String rest = propertyName.substring(prefix.length());
            final int dot = rest.indexOf('.');
            return (dot < 0 ? rest : rest.substring(dot + 1)).replace('.', '-');
        }
        return propertyName.substring(propertyName.lastIndexOf('.') + 1);
    }

    public String propertyName()
    {
        return propertyName;
    }

    /**
     * @return the command-line option name: {@code --<optionName> value}.
     */
    public String optionName()
    {
        return optionName;
    }

    public String defaultValue()
    {
        return defaultValue;
    }

    public String description()
    {
        return description;
    }

    public String get()
    {
        return System.getProperty(propertyName, defaultValue);
    }

    public int getInt()
    {
        final long value = getLong();
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)
        {
            throw new ConfigurationException(propertyName + "=" + get() + " is out of int range");
        }
        return (int)value;
    }

    public long getLong()
    {
        final String value = get().trim();
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(propertyName + "=" + value + " is not a whole number");
        }
    }

    public boolean getBoolean()
    {
        final String value = get().trim().toLowerCase(Locale.ROOT);
        return switch (value)
        {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigurationException(propertyName + "=" + value + " is not true or false");
        };
    }

    /**
     * @param unitWithoutSuffix unit of a bare number.
     * @return the duration in nanoseconds.
     */
    public long getDurationNs(final TimeUnit unitWithoutSuffix)
    {
        return parseDurationNs(propertyName, get(), unitWithoutSuffix);
    }

    /**
     * @return a size in bytes ({@code 64k}, {@code 1m}, {@code 4096}).
     */
    public long getSizeBytes()
    {
        return parseSizeBytes(propertyName, get());
    }

    /**
     * The forms {@link #getIdleStrategy()} accepts, for settings' help text and error messages.
     */
    public static final String IDLE_STRATEGY_FORMS = "busy-spin | yielding | sleeping:<t> | backoff:<spins>,<yields>,<min park>,<max park>";

    /**
     * An Agrona idle strategy: {@code busy-spin}, {@code yielding}, {@code sleeping:<duration>} or
     * {@code backoff:<spins>,<yields>,<min park>,<max park>} (e.g. {@code backoff:10,20,1us,1ms}).
     *
     * @return a new idle strategy (each agent needs its own).
     */
    public IdleStrategy getIdleStrategy()
    {
        return idleStrategy(propertyName, get());
    }

    /**
     * @param name the setting's name, for the error message.
     * @param text the strategy, as {@link #getIdleStrategy()} reads it.
     * @return a new idle strategy.
     * @throws ConfigurationException if the text is not one.
     */
    public static IdleStrategy idleStrategy(final String name, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final int colon = value.indexOf(':');
        final String kind = colon < 0 ? value : value.substring(0, colon);
        final String[] args = colon < 0 ? new String[0] : value.substring(colon + 1).split(",");
        switch (kind)
        {
            case "busy-spin" ->
            {
                if (0 == args.length)
                {
                    return new BusySpinIdleStrategy();
                }
            }
            case "yielding" ->
            {
                if (0 == args.length)
                {
                    return new YieldingIdleStrategy();
                }
            }
            case "sleeping" ->
            {
                if (1 == args.length)
                {
                    return new SleepingIdleStrategy(parseDurationNs(name, args[0], TimeUnit.MICROSECONDS));
                }
            }
            case "backoff" ->
            {
                if (4 == args.length)
                {
                    final long minParkNs = parseDurationNs(name, args[2], TimeUnit.MICROSECONDS);
                    final long maxParkNs = parseDurationNs(name, args[3], TimeUnit.MICROSECONDS);
                    if (minParkNs < 1 || maxParkNs < minParkNs)
                    {
                        throw new ConfigurationException(name + "=" + text + ": parks must be 1ns <= min <= max");
                    }
                    try
                    {
                        return new BackoffIdleStrategy(
                            Long.parseLong(args[0].trim()), Long.parseLong(args[1].trim()), minParkNs, maxParkNs);
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw new ConfigurationException(name + "=" + text + ": spins and yields are counts");
                    }
                }
            }
            default ->
            {
            }
        }
        throw new ConfigurationException(name + "=" + text +
            " is not an idle strategy (" + IDLE_STRATEGY_FORMS + ")");
    }

    static long parseDurationNs(final String name, final String text, final TimeUnit unitWithoutSuffix)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        int end = value.length();
        while (end > 0 && !Character.isDigit(value.charAt(end - 1)))
        {
            end--;
        }
        if (end == 0)
        {
            throw new ConfigurationException(name + "=" + text + " is not a duration (e.g. 30s, 250ms)");
        }
        final long number;
        try
        {
            number = Long.parseLong(value.substring(0, end));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(name + "=" + text + " is not a duration (e.g. 30s, 250ms)");
        }
        final TimeUnit unit = switch (value.substring(end))
        {
            case "" -> unitWithoutSuffix;
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            case "d" -> TimeUnit.DAYS;
            default -> throw new ConfigurationException(name + "=" + text + " has an unknown time unit");
        };
        if (number < 0)
        {
            throw new ConfigurationException(name + "=" + text + " is negative");
        }
        return unit.toNanos(number);
    }

    static long parseSizeBytes(final String name, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty())
        {
            throw new ConfigurationException(name + " is empty; expected a size such as 64k");
        }
        final char last = value.charAt(value.length() - 1);
        final int shift = switch (last)
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        final String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try
        {
            final long number = Long.parseLong(digits);
            if (number < 0 || number > (Long.MAX_VALUE >> shift))
            {
                throw new ConfigurationException(name + "=" + text + " is out of range");
            }
            return number << shift;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(name + "=" + text + " is not a size (e.g. 4096, 64k, 1m)");
        }
    }

    public String toString()
    {
        return propertyName + "=" + get();
    }
}
