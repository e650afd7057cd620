package io.pushwire.console;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.link.AdminAuth;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.AdminSigner;
import io.pushwire.link.ControlMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.StatusConfiguration;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console against a real gateway on its own threads over a real media driver, with remote
 * administration on loopback UDP: status and errors read what the gateway registered, and drain reaches
 * it locally, signed remotely, and is refused unsigned or replayed.
 */
class RealGatewayConsoleTest
{
    private static final int KEY_ID = 3;
    private static final byte[] SECRET = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

    private EmbeddedDriver driver;
    private Aeron aeron;
    private Gateway gateway;
    private String remoteChannel;
    private String remoteResponseChannel;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start()
    {
        remoteChannel = "aeron:udp?endpoint=127.0.0.1:" + SimulatedBox.freeUdpPort();
        remoteResponseChannel = "aeron:udp?endpoint=127.0.0.1:" + SimulatedBox.freeUdpPort();
        System.setProperty(AdminConfiguration.REMOTE_CHANNEL.propertyName(), remoteChannel);
        System.setProperty(AdminConfiguration.REMOTE_RESPONSE_CHANNEL.propertyName(), remoteResponseChannel);
        System.setProperty(AdminConfiguration.KEYS.propertyName(), KEY_ID + ":" + HexFormat.of().formatHex(SECRET));
        System.setProperty(StatusConfiguration.ERROR_LOG_LENGTH.propertyName(), "64k");
        driver = new EmbeddedDriver();
        aeron = driver.connect();
        gateway = Gateway.launch(new GatewayContext()
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .gatewayId(2)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .stopTimeoutMs(1_000)
            .threadingMode(GatewayConfiguration.ThreadingMode.DEDICATED)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(gateway, aeron, driver);
        System.clearProperty(AdminConfiguration.REMOTE_CHANNEL.propertyName());
        System.clearProperty(AdminConfiguration.REMOTE_RESPONSE_CHANNEL.propertyName());
        System.clearProperty(AdminConfiguration.KEYS.propertyName());
        System.clearProperty(StatusConfiguration.ERROR_LOG_LENGTH.propertyName());
    }

    private ConsoleContext context()
    {
        return new ConsoleContext()
            .aeronDir(driver.aeronDirectoryName())
            .remote(false)
            .remoteChannel(remoteChannel)
            .remoteResponseChannel(remoteResponseChannel)
            .timeoutMs(5_000)
            .out(out);
    }

    private String expect(final int code, final ConsoleContext ctx, final String... words)
    {
        bytes.reset();
        final int actual;
        try (Console console = new Console(ctx))
        {
            actual = console.execute(List.of(words));
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(code, actual, String.join(" ", words) + " printed: " + text);
        return text;
    }

    private long counter(final String label)
    {
        final CountersReader counters = aeron.countersReader();
        final long[] value = { -1 };
        counters.forEach((id, typeId, key, l) ->
        {
            if (l.equals(label))
            {
                value[0] = counters.getCounterValue(id);
            }
        });
        return value[0];
    }

    private boolean accepting()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 500);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    @Test
    void shouldShowTheGatewayItsCountersAndItsErrorLog()
    {
        Await.until("a connection accepted", 5_000, () -> accepting() && counter("gateway-2: accepts") >= 1);
        final String status = expect(0, context(), "status", "--interval", "200ms");
        assertTrue(status.matches("(?s).*\\ngateway-2 +0\\.1\\.0 +\\d+ +00:00:\\d\\d +up .*"), status);
        assertTrue(status.matches("(?s).*\\n  accepts +[1-9]\\d* .*"), status);
        assertTrue(status.contains("  admin refused replayed"), status);
        assertTrue(status.contains("control responses"), status);

        final String errors = expect(0, context(), "errors");
        assertTrue(errors.contains("gateway-2 ("), errors);
    }

    @Test
    void shouldDrainTheGatewayOverLocalIpc()
    {
        assertTrue(accepting());
        assertTrue(expect(0, context(), "drain", "gateway-2", "--rate", "100").contains("gateway-2: draining at 100 connections/s"));
        Await.until("listener closed", 5_000, () -> !accepting());
    }

    @Test
    void shouldRefuseAnUnsignedRemoteDrainAndCountIt()
    {
        assertTrue(expect(1, context().remote(true), "drain", "2")
            .contains("gateway-2: refused: remote command without a signature"));
        assertEquals(1, counter("gateway-2: admin refused unsigned"));
        assertTrue(accepting());
    }

    @Test
    void shouldDrainOnASignedRemoteCommand()
    {
        final AdminSigner signer = new AdminSigner(KEY_ID, SECRET, SystemEpochClock.INSTANCE);
        assertTrue(expect(0, context().remote(true).signer(signer), "drain", "2").contains("draining"));
        assertEquals(1, counter("gateway-2: admin signed commands accepted"));
        Await.until("listener closed", 5_000, () -> !accepting());
    }

    @Test
    void shouldRefuseAReplayedRemoteDrainAndCountIt()
    {
        final AdminSigner signer = new AdminSigner(KEY_ID, SECRET, SystemEpochClock.INSTANCE);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ControlMessages.DRAIN_LENGTH + AdminAuth.TRAILER_LENGTH]);
        ControlMessages.header(buffer, 0, ControlMessages.DRAIN, 1L, 1L);
        buffer.putInt(ControlMessages.GATEWAY_ID_OFFSET, 9);
        buffer.putInt(ControlMessages.DRAIN_RATE_OFFSET, 10);
        final int length = signer.sign(buffer, 0, ControlMessages.DRAIN_LENGTH);
        try (Publication publication = aeron.addPublication(remoteChannel, LinkConfiguration.CONTROL_STREAM_ID))
        {
            Await.until("remote control channel connected", 5_000, publication::isConnected);
            Await.until("sent", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("accepted", 5_000, () -> counter("gateway-2: admin signed commands accepted") == 1);
            Await.until("replay sent", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("replay refused and counted", 5_000, () -> counter("gateway-2: admin refused replayed") == 1);
        }
        assertTrue(accepting(), "a DRAIN for gateway 9 leaves gateway 2 alone");
    }
}
