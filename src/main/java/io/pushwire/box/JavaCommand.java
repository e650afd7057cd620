package io.pushwire.box;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another pushwire process like this one: the same Java, the same JVM
 * options (bin/jvm.options, already expanded) and the same class path, less this process's heap
 * size and box settings, plus what the caller adds.
 */
public final class JavaCommand
{
    private JavaCommand()
    {
    }

    /**
     * @param jvmArgs JVM options for the new process only (heap size, -D settings).
     * @param args    the pushwire command and its arguments.
     * @return the command line.
     */
    public static List<String> of(final List<String> jvmArgs, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.startsWith("-Dpushwire.box."))
            {
                command.add(arg);
            }
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pushwire.class.getName());
        command.addAll(args);
        return command;
    }
}
