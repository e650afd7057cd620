package io.pushwire.sim;

import io.pushwire.box.Command;
import io.pushwire.box.JavaCommand;
import io.pushwire.box.TokenCommand;
import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pushwire sim}: the device simulator. Holds N device connections across as many worker
 * processes as the per-process file limit needs, runs a scenario, prints a summary and writes a JSON
 * result. Every run is bounded by {@link SimConfiguration#TIMEOUT} and stops by itself.
 */
public final class SimCommand implements Command
{
    public String name()
    {
        return "sim";
    }

    public String usage()
    {
        return "sim [--scenario idle|unicast|broadcast|reconnect-storm] [--connections N] [--target HOST:PORT] [--duration 30s]";
    }

    public String summary()
    {
        return "Simulates devices: N authenticated connections over several worker processes and source addresses, " +
            "with heartbeats, ACKs and push latency; scenarios idle, unicast, broadcast and reconnect-storm. " +
            "Prints a summary and writes a JSON result.";
    }

    public List<Setting> settings()
    {
        final List<Setting> settings = new ArrayList<>(SimConfiguration.settings());
        settings.add(TokenCommand.KEYS);
        return settings;
    }

    public int run(final List<String> positional) throws Exception
    {
        final String keys = TokenCommand.KEYS.get();
        if (keys.isBlank())
        {
            throw new ConfigurationException("no token keys: set --keys (pushwire.auth.keys) to the gateways' keys");
        }
        if (positional.size() == 3 && "worker".equals(positional.get(0)))
        {
            final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            return SimWorker.run(Integer.parseInt(positional.get(1)), Integer.parseInt(positional.get(2)), keys, out);
        }
        if (!positional.isEmpty())
        {
            throw new ConfigurationException("unexpected arguments " + positional);
        }
        return new SimRun(System.out).run();
    }

    /**
     * A worker process and the lines it has printed.
     */
    static final class Worker
    {
        final int id;
        final int count;
        final Process process;
        final PrintStream in;
        final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        volatile long welcomedNow;

        Worker(final int id, final int count, final List<String> jvmArgs) throws IOException
        {
            this.id = id;
            this.count = count;
            this.process = new ProcessBuilder(JavaCommand.of(jvmArgs, List.of("sim", "worker", Integer.toString(id), Integer.toString(count))))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while (null != (line = out.readLine()))
                    {
                        if (line.startsWith("progress ") || line.startsWith("ready "))
                        {
                            welcomedNow = Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
                        }
                        lines.add(line);
                    }
                }
                catch (final IOException ignore)
                {
                    // the worker ended
                }
                lines.add("eof");
            }, "sim-worker-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        void send(final String command)
        {
            in.println(command);
        }

        /**
         * @return the next line starting with the prefix, or null at the deadline or end of output.
         */
        String await(final String prefix, final long deadlineNs) throws InterruptedException
        {
            while (true)
            {
                final long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0)
                {
                    return null;
                }
                final String line = lines.poll(leftNs, TimeUnit.NANOSECONDS);
                if (null == line || "eof".equals(line))
                {
                    return null;
                }
                if (line.startsWith(prefix))
                {
                    return line;
                }
            }
        }

        void stop() throws InterruptedException
        {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
