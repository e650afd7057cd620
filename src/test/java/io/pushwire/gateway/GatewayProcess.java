package io.pushwire.gateway;

import io.aeron.Aeron;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway (or any pushwire class) in a child JVM started with bin/jvm.options and this JVM's class path,
 * for tests and benches that need more file descriptors than one process may hold. Output goes to a file
 * under target/. {@link #close()} sends SIGTERM and waits, then kills.
 */
public final class GatewayProcess implements AutoCloseable
{
    private final Process process;
    private final Path log;

    public GatewayProcess(final String name, final List<String> jvmOptions, final String mainClass, final List<String> args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + new File("bin/jvm.options").getAbsolutePath());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        final File dir = new File("target/processes");
        dir.mkdirs();
        log = new File(dir, name + ".log").toPath();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public long pid()
    {
        return process.pid();
    }

    public Process process()
    {
        return process;
    }

    public Path log()
    {
        return log;
    }

    /**
     * @return a TCP port that was free a moment ago on 127.0.0.1.
     */
    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * @return the value of the counter of that type whose key starts with the gateway id, or -1.
     */
    public static long counter(final Aeron aeron, final int typeId, final int gatewayId)
    {
        final CountersReader reader = aeron.countersReader();
        final long[] value = { -1 };
        reader.forEach((counterId, type, key, label) ->
        {
            if (type == typeId && key.getInt(0) == gatewayId && reader.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED)
            {
                value[0] = reader.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    /**
     * @return every counter of that gateway, {@code label=value} per line.
     */
    public static String dump(final Aeron aeron, final int gatewayId)
    {
        final CountersReader reader = aeron.countersReader();
        final StringBuilder sb = new StringBuilder();
        reader.forEach((counterId, type, key, label) ->
        {
            if (label.startsWith("gateway-" + gatewayId + ":"))
            {
                sb.append(label).append('=').append(reader.getCounterValue(counterId)).append('\n');
            }
        });
        return sb.toString();
    }

    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
