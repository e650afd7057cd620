package io.pushwire.box;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child of the box supervisor: a pushwire process of some role, its log file, and its restart
 * state. Not thread-safe: the supervisor's loop owns it.
 * <p>
 * A child runs the same Java, JVM options and class path as the supervisor, with the command and
 * options given, and appends stdout and stderr to {@code <logDir>/<name>.log}. A child that dies
 * while the box is running is restarted with exponential backoff ({@link #MIN_BACKOFF_NS} doubling to
 * {@link #MAX_BACKOFF_NS}); the backoff resets once the child has stayed up for {@link #STABLE_NS}.
 */
final class ChildProcess
{
    static final long MIN_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long MAX_BACKOFF_NS = TimeUnit.SECONDS.toNanos(30);
    static final long STABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private Process process;
    private long startedAtNs;
    private long backoffNs = MIN_BACKOFF_NS;
    private long restartAtNs = Long.MAX_VALUE;
    private int restarts;
    private boolean serving;

    /**
     * @param name     the child's name, e.g. {@code gateway-1}; also its log file's name.
     * @param args     the pushwire command and its options, e.g. {@code gateway --id 1}.
     * @param jvmArgs  JVM options for this child only, e.g. {@code -Xmx256m}.
     * @param logDir   where its log goes.
     */
    ChildProcess(final String name, final List<String> args, final List<String> jvmArgs, final Path logDir)
    {
        this.name = name;
        this.logFile = logDir.resolve(name + ".log");
        this.command = JavaCommand.of(jvmArgs, args);
    }

    String name()
    {
        return name;
    }

    Path logFile()
    {
        return logFile;
    }

    int restarts()
    {
        return restarts;
    }

    long pid()
    {
        return null == process ? -1 : process.pid();
    }

    boolean isAlive()
    {
        return null != process && process.isAlive();
    }

    /**
     * @return true once the supervisor has seen the current process serve ({@link #markServing()}); false again
     * after each (re)start.
     */
    boolean isServing()
    {
        return serving;
    }

    void markServing()
    {
        serving = true;
    }

    void start(final long nowNs) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = builder.start();
        serving = false;
        startedAtNs = nowNs;
        restartAtNs = Long.MAX_VALUE;
    }

    /**
     * Checks the child once: notices a death and schedules or performs its restart.
     *
     * @param nowNs     the supervisor's clock.
     * @param restartOk false while the box is stopping.
     * @return a line to log when something happened, else null.
     * @throws IOException if a restart cannot start the process.
     */
    String poll(final long nowNs, final boolean restartOk) throws IOException
    {
        if (null == process)
        {
            return null;
        }
        if (process.isAlive())
        {
            if (nowNs - startedAtNs > STABLE_NS)
            {
                backoffNs = MIN_BACKOFF_NS;
            }
            return null;
        }
        if (!restartOk)
        {
            return null;
        }
        if (restartAtNs == Long.MAX_VALUE)
        {
            restartAtNs = nowNs + backoffNs;
            final String line = name + " (pid " + process.pid() + ") exited with " + process.exitValue() +
                "; restarting in " + TimeUnit.NANOSECONDS.toMillis(backoffNs) + " ms (see " + logFile + ")";
            backoffNs = Math.min(MAX_BACKOFF_NS, backoffNs * 2);
            return line;
        }
        if (nowNs - restartAtNs >= 0)
        {
            restarts++;
            start(nowNs);
            return name + " restarted as pid " + process.pid() + " (restart " + restarts + ")";
        }
        return null;
    }

    /**
     * Asks the child to stop (SIGTERM) without waiting.
     */
    void signalStop()
    {
        if (null != process && process.isAlive())
        {
            process.destroy();
        }
    }

    /**
     * Asks the child to stop (SIGTERM) and waits for it.
     *
     * @param timeoutMs how long to wait before SIGKILL.
     * @return the exit code, or -1 if it had to be killed.
     * @throws InterruptedException if interrupted while waiting.
     */
    int stop(final long timeoutMs) throws InterruptedException
    {
        if (null == process || !process.isAlive())
        {
            return null == process ? 0 : process.exitValue();
        }
        process.destroy();
        if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return -1;
    }
}
