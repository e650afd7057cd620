package io.pushwire.gateway;

import io.aeron.Aeron;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.UpstreamAdapter;
import io.pushwire.link.UpstreamListener;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 10,000 authenticated connections on one gateway. The gateway runs in a child JVM: with the client
 * sockets in this JVM, one process would need over 20,000 descriptors. The gateway is up once it sends
 * its first GATEWAY_STATUS (its counters exist before its listeners do).
 */
@Tag("slow")
class GatewayScaleTest
{
    private static final int DEVICES = Integer.getInteger("scale.devices", 10_000);

    @Test
    void shouldHoldTenThousandAuthenticatedConnections() throws Exception
    {
        try (EmbeddedDriver driver = new EmbeddedDriver(); Aeron aeron = driver.connect())
        {
            final AtomicInteger opened = new AtomicInteger();
            final AtomicInteger closed = new AtomicInteger();
            final AtomicInteger statuses = new AtomicInteger();
            final UpstreamAdapter upstream = new UpstreamAdapter(
                aeron.addSubscription("aeron:ipc", LinkConfiguration.UPSTREAM_STREAM_ID), new Counting(opened, closed, statuses));
            final int port = GatewayProcess.freePort();
            try (GatewayProcess gateway = new GatewayProcess("scale-gateway", List.of("-Xmx256m"), "io.pushwire.box.Pushwire", List.of(
                "gateway", "--id", "3", "--port", String.valueOf(port), "--reactors", "2", "--max-connections", "12000",
                "--dir", driver.aeronDirectoryName(), "--term-length", "1m")))
            {
                Await.until(() -> "gateway up: " + log(gateway), 30_000, () ->
                {
                    if (!gateway.process().isAlive())
                    {
                        throw new IllegalStateException("gateway exited: " + log(gateway));
                    }
                    return upstream.poll(10) >= 0 && statuses.get() > 0;
                });
                final DeviceSwarm swarm = new DeviceSwarm();
                final Thread clients = new Thread(() ->
                {
                    try
                    {
                        swarm.connect("127.0.0.1", port, DEVICES, 1, "scale", 120_000);
                    }
                    catch (final Exception ex)
                    {
                        ex.printStackTrace();
                    }
                });
                clients.start();
                Await.until(() -> "welcomed " + swarm.welcomed() + " failed " + swarm.failed() + " " + swarm.failures() + " opened " + opened + "\n" + GatewayProcess.dump(aeron, 3), 150_000, () ->
                    upstream.poll(1000) >= 0 && !clients.isAlive() && opened.get() == DEVICES);
                assertEquals(DEVICES, swarm.welcomed());
                assertEquals(0, swarm.failed());
                Await.until("sessions counter", 10_000, () -> GatewayProcess.counter(aeron, GatewayCounters.SESSIONS, 3) == DEVICES);
                assertEquals(DEVICES, GatewayProcess.counter(aeron, GatewayCounters.CONNECTIONS, 3));

                swarm.close();
                Await.until(() -> "closed " + closed, 60_000, () -> upstream.poll(1000) >= 0 && closed.get() == DEVICES);
                Await.until("connections counter back to 0", 10_000, () -> GatewayProcess.counter(aeron, GatewayCounters.CONNECTIONS, 3) == 0);
            }
        }
    }

    private static String log(final GatewayProcess process)
    {
        try
        {
            return Files.readString(process.log());
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    private record Counting(AtomicInteger opened, AtomicInteger closed, AtomicInteger statuses) implements UpstreamListener
    {
        public void onSessionOpened(
            final long connectionId, final long openedAtMs, final int heartbeatSec, final DirectBuffer buffer, final int offset,
            final int length)
        {
            opened.incrementAndGet();
        }

        public void onSessionClosed(final long connectionId, final int closeReason)
        {
            closed.incrementAndGet();
        }

        public void onDeviceFrame(final long connectionId, final int frameType, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void onGatewayStatus(
            final int gatewayId, final long instanceId, final long timestampMs, final int reactorCount, final int connections,
            final int flags, final String versionLabel)
        {
            statuses.incrementAndGet();
        }
    }
}
