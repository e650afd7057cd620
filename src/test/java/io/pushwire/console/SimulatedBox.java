package io.pushwire.console;

import io.aeron.Aeron;
import io.pushwire.link.AdminCounters;
import io.pushwire.link.AdminVerifier;
import io.pushwire.link.ControlEndpoint;
import io.pushwire.status.CounterTypes;
import io.pushwire.status.ErrorLog;
import io.pushwire.status.LatencyLog;
import io.pushwire.status.ProcessStatus;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A box for console tests before the real gateway and dispatch run here: a real media driver, processes
 * registered the way the real ones do ({@link ProcessStatus}, counters labelled {@code gateway-0: ...} and
 * {@code dispatch: ...}, error logs and latency logs in a status directory), and a gateway's real
 * {@link ControlEndpoint} on local IPC and a remote UDP channel on loopback, polled by a thread, recording
 * the drains it is asked for.
 */
final class SimulatedBox implements AutoCloseable
{
    static final int KEY_ID = 7;
    static final byte[] SECRET = new byte[32];

    static
    {
        for (int i = 0; i < SECRET.length; i++)
        {
            SECRET[i] = (byte)(i * 13 + 1);
        }
    }

    final EmbeddedDriver driver = new EmbeddedDriver();
    final Aeron aeron = driver.connect();
    final File statusDir;
    final ProcessStatus dispatchStatus;
    final ProcessStatus gatewayStatus;
    final AtomicCounter connections;
    final AtomicCounter framesIn;
    final AtomicCounter framesOut;
    final AtomicCounter queued;
    final AtomicCounter pushesAccepted;
    final ErrorLog gatewayErrors;
    final LatencyLog pushLatency;
    final AdminCounters adminCounters;
    final ControlEndpoint control;
    final String remoteChannel;
    final String remoteResponseChannel;
    final List<Integer> drains = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    SimulatedBox(final File statusDir)
    {
        this.statusDir = statusDir;
        final long now = System.currentTimeMillis();
        dispatchStatus = new ProcessStatus(aeron, ProcessStatus.ROLE_DISPATCH, 0, "0.1.0", now - 65_000);
        gatewayStatus = new ProcessStatus(aeron, ProcessStatus.ROLE_GATEWAY, 0, "0.2.0-canary", now - 5_000);
        connections = counter(CounterTypes.GATEWAY_BASE, 0, "gateway-0: connections");
        framesIn = counter(CounterTypes.GATEWAY_BASE + 5, 0, "gateway-0: frames in");
        framesOut = counter(CounterTypes.GATEWAY_BASE + 6, 0, "gateway-0: frames out");
        queued = counter(CounterTypes.GATEWAY_BASE + 10, 0, "gateway-0: outbound bytes queued");
        pushesAccepted = aeron.addCounter(CounterTypes.DISPATCH_BASE + 3, "dispatch: pushes accepted");
        connections.set(3);
        queued.set(512);

        gatewayErrors = new ErrorLog(statusDir, "gateway-0", 64 * 1024, SystemEpochClock.INSTANCE, null);
        pushLatency = new LatencyLog(statusDir, "dispatch-0-push", 1_000, now - 3_000);

        remoteChannel = "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort();
        remoteResponseChannel = "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort();
        adminCounters = new AdminCounters(aeron, "gateway-0", 0);
        control = new ControlEndpoint(aeron, 0, EmbeddedDriver.ipcChannel(), EmbeddedDriver.ipcChannel(), remoteChannel,
            remoteResponseChannel, new AdminVerifier(Map.of(KEY_ID, SECRET), 30_000, 1024), adminCounters,
            counter(CounterTypes.GATEWAY_BASE + 23, 0, "gateway-0: control answers delayed"),
            counter(CounterTypes.GATEWAY_BASE + 24, 0, "gateway-0: control answers dropped"), drains::add,
            SystemEpochClock.INSTANCE);
        poller = new Thread(this::poll, "simulated-gateway-control");
        poller.setDaemon(true);
        poller.start();
    }

    private AtomicCounter counter(final int typeId, final int id, final String label)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
        key.putInt(0, id);
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return aeron.addCounter(typeId, key, 0, 4, labelBuffer, 0, label.length());
    }

    private void poll()
    {
        long nextHeartbeatMs = 0;
        while (running)
        {
            final long now = System.currentTimeMillis();
            if (now >= nextHeartbeatMs)
            {
                dispatchStatus.heartbeat(now);
                gatewayStatus.heartbeat(now);
                nextHeartbeatMs = now + 500;
            }
            if (control.poll(10) == 0)
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    /**
     * @return a console context for this box: local IPC unless told otherwise, a short timeout.
     */
    ConsoleContext consoleContext(final java.io.PrintStream out)
    {
        return new ConsoleContext()
            .aeronDir(driver.aeronDirectoryName())
            .statusDir(statusDir)
            .remote(false)
            .remoteChannel(remoteChannel)
            .remoteResponseChannel(remoteResponseChannel)
            .timeoutMs(5_000)
            .out(out);
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public void close()
    {
        running = false;
        try
        {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.closeAll(control, adminCounters, gatewayErrors, pushLatency, connections, framesIn, framesOut, queued,
            pushesAccepted, dispatchStatus, gatewayStatus, aeron, driver);
    }
}
