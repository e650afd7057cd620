package io.pushwire.box;

import io.pushwire.config.Setting;

import java.util.List;

/**
 * A subcommand of the {@code pushwire} command line.
 */
public interface Command
{
    /**
     * @return the word that selects it: {@code pushwire <name>}.
     */
    String name();

    /**
     * @return the usage line after {@code pushwire}.
     */
    String usage();

    /**
     * @return one paragraph: what it does.
     */
    String summary();

    /**
     * @return the settings it reads; {@code --help} lists them and they are accepted as options.
     */
    List<Setting> settings();

    /**
     * Runs the command with its settings already applied to the system properties.
     *
     * @param positional the arguments that are not options.
     * @return the process exit code.
     * @throws Exception anything that stops the command; the launcher prints it and exits 1.
     */
    int run(List<String> positional) throws Exception;
}
