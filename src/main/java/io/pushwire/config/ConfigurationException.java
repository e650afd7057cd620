package io.pushwire.config;

/**
 * A configuration value or command-line option that cannot be used; its message names the setting
 * and says what was expected. Thrown at start, never on a hot path.
 */
public final class ConfigurationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigurationException(final String message)
    {
        super(message);
    }
}
