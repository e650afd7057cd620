package io.pushwire.console;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.pushwire.client.ConnectionState;
import io.pushwire.client.DeviceClient;
import io.pushwire.client.DeviceListener;
import io.pushwire.dispatch.Dispatch;
import io.pushwire.dispatch.DispatchContext;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.link.AdminAuth;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.AdminSigner;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.status.StatusConfiguration;
import io.pushwire.store.StoreContext;
import io.pushwire.store.SyncPolicy;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every console command against a real box in this JVM: a media driver, the real dispatch (store on disk)
 * and a real gateway on its own threads, a real device connected with the client SDK, and the remote
 * administration channel on loopback UDP with an operator key.
 */
class RealBoxConsoleTest
{
    private static final int KEY_ID = 7;
    private static final byte[] SECRET = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final String DEVICE = "phone-1";

    @TempDir
    Path dir;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private Dispatch dispatch;
    private Gateway gateway;
    private DeviceClient device;
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
        System.setProperty(StatusConfiguration.HISTOGRAM_INTERVAL.propertyName(), "100ms");
        System.setProperty(StatusConfiguration.ERROR_LOG_LENGTH.propertyName(), "64k");

        driver = new EmbeddedDriver();
        aeron = driver.connect();
        dispatch = new Dispatch(new DispatchContext()
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .storeContext(new StoreContext().dir(dir.resolve("store").toFile()).syncPolicy(SyncPolicy.NONE)
                .rollCycle(RollCycles.FAST_DAILY).retentionMs(Duration.ofDays(8).toMillis()).maxRecordLength(64 * 1024)))
            .start();
        gateway = Gateway.launch(new GatewayContext()
            .aeron(aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.DEDICATED)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS));

        final long nowSec = System.currentTimeMillis() / 1000;
        device = DeviceClient.start(new DeviceClient.Context()
            .deviceId(DEVICE)
            .token(new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS)).issue(1, DEVICE, nowSec - 10, nowSec + 3600))
            .fallbackAddresses(List.of("127.0.0.1:" + gateway.port()))
            .probeTimeoutMs(100)
            .connectTimeoutMs(2_000)
            .welcomeTimeoutMs(5_000)
            .heartbeat(30, 10, 60)
            .reconnectBackoff(5_000, 10_000, 0.1)
            .cursorFile(dir.resolve("device.state"))
            .listener(new DeviceListener()
            {
            }));
        Await.until(() -> "device connected, state " + device.state(), 10_000, () -> ConnectionState.CONNECTED == device.state());
        Await.until("dispatch sees the device online", 10_000, () -> output("who", DEVICE).contains("online on gateway-0"));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(device, gateway, dispatch, aeron, driver);
        System.clearProperty(AdminConfiguration.REMOTE_CHANNEL.propertyName());
        System.clearProperty(AdminConfiguration.REMOTE_RESPONSE_CHANNEL.propertyName());
        System.clearProperty(AdminConfiguration.KEYS.propertyName());
        System.clearProperty(StatusConfiguration.HISTOGRAM_INTERVAL.propertyName());
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

    private ConsoleContext remoteContext(final AdminSigner signer)
    {
        return context().remote(true).signer(signer);
    }

    private int run(final ConsoleContext ctx, final String... words)
    {
        try (Console console = new Console(ctx))
        {
            return console.execute(List.of(words));
        }
    }

    private String output(final String... words)
    {
        bytes.reset();
        run(context(), words);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String expect(final int code, final ConsoleContext ctx, final String... words)
    {
        bytes.reset();
        final int actual = run(ctx, words);
        final String text = take();
        assertEquals(code, actual, String.join(" ", words) + " printed: " + text);
        return text;
    }

    private String take()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
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

    @Test
    void shouldShowTheRealProcessesCountersAndLinks()
    {
        final String text = expect(0, context(), "status", "--interval", "200ms");
        assertTrue(text.contains("rates over 0."), text);
        assertTrue(text.matches("(?s).*\\ndispatch-0 +0\\.1\\.0 +\\d+ +00:00:\\d\\d +up +1 .*"), text);
        assertTrue(text.matches("(?s).*\\ngateway-0 +0\\.1\\.0 +\\d+ +00:00:\\d\\d +up +1 .*"), text);
        assertTrue(text.contains("upstream (gateways to dispatch)"), text);
        assertTrue(text.matches("(?s).*\\n  auth failures +0 +0\\n.*"), text);
        assertTrue(text.contains("store appends"), text);
    }

    @Test
    void shouldPushToADeviceAndShowItsReceiptAndLatency()
    {
        final Matcher accepted = Pattern.compile("accepted: message (\\d+)").matcher(
            expect(0, context(), "push", "device", DEVICE, "hello", "--ttl", "60s", "--collapse", "news", "--priority", "high"));
        assertTrue(accepted.find());
        final String messageId = accepted.group(1);
        Await.until("delivered", 10_000, () -> output("receipt", messageId).matches("(?s).*\\n *" + messageId + " +1 +1 +0 +0\\n.*"));

        assertTrue(expect(0, context(), "push", "all", "to everyone").startsWith("accepted: message "));
        assertTrue(expect(1, context(), "push", "alias", "nobody", "x").contains("push: "), "dispatch's error is shown");

        Await.until("latency interval written", 10_000, () -> output("latency").matches("(?s).*\\ndispatch-0-push +[1-9].*"));
    }

    @Test
    void shouldSayWhoIsOnlineAndKickThem()
    {
        final String who = output("who", DEVICE);
        assertTrue(who.matches("(?s)phone-1: online on gateway-0 reactor 0 since .* UTC \\(00:00:\\d\\d\\), heartbeat every \\d+ s\\n.*"), who);
        assertTrue(who.contains("STREAM"), who);
        assertTrue(who.contains("broadcast"), who);

        assertTrue(expect(0, context(), "kick", DEVICE).contains("phone-1: kicked"));
        Await.until("device offline", 10_000, () -> output("who", DEVICE).startsWith("phone-1: offline"));
        assertEquals(1, run(context(), "who", "never-seen"));
    }

    @Test
    void shouldDrainTheGateway()
    {
        assertTrue(expect(0, context(), "drain", "0", "--rate", "50").contains("gateway-0: draining at 50 connections/s"));
        Await.until("devices moved off", 10_000, () -> gateway.connections() == 0);
        assertTrue(expect(1, context().timeoutMs(500), "drain", "5").contains("gateway-5: no answer"));
    }

    @Test
    void shouldListEachProcessErrorLog()
    {
        final String text = output("errors");
        assertTrue(text.contains("driver (CnC error log): no errors"), text);
        assertTrue(text.contains("dispatch-0 ("), text);
        assertTrue(text.contains("gateway-0 ("), text);
    }

    @Test
    void shouldRefuseUnsignedRemoteCommandsAndCountThem()
    {
        assertTrue(expect(1, remoteContext(null), "kick", DEVICE).contains("NOT_AUTHORIZED: refused: remote command without a signature"));
        assertEquals(1, counter("dispatch-0: admin refused unsigned"));

        assertTrue(expect(1, remoteContext(null), "drain", "0").contains("refused: remote command without a signature"));
        assertEquals(1, counter("gateway-0: admin refused unsigned"));
        assertEquals(1, gateway.connections());
    }

    @Test
    void shouldRunSignedRemoteCommands()
    {
        final AdminSigner signer = new AdminSigner(KEY_ID, SECRET, SystemEpochClock.INSTANCE);
        assertTrue(expect(0, remoteContext(signer), "who", DEVICE).contains("online on gateway-0"));
        assertTrue(expect(0, remoteContext(signer), "push", "device", DEVICE, "remote hello").startsWith("accepted: message "));
        assertEquals(2, counter("dispatch-0: admin signed commands accepted"));
        assertTrue(expect(0, remoteContext(signer), "drain", "0").contains("draining"));
        assertEquals(1, counter("gateway-0: admin signed commands accepted"));
    }

    @Test
    void shouldRefuseAReplayedSignedRemoteCommandAndCountIt()
    {
        final AdminSigner signer = new AdminSigner(KEY_ID, SECRET, SystemEpochClock.INSTANCE);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = signer.sign(buffer, 0, CommandEncoder.device(buffer, 0, CommandMessages.KICK, 99L, 1L, DEVICE));
        try (Publication publication = aeron.addPublication(remoteChannel, LinkConfiguration.COMMAND_STREAM_ID))
        {
            Await.until("remote command channel connected", 5_000, publication::isConnected);
            Await.until("sent", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("accepted", 5_000, () -> counter("dispatch-0: admin signed commands accepted") == 1);
            Await.until("replay sent", 5_000, () -> publication.offer(buffer, 0, length) > 0);
            Await.until("replay refused and counted", 5_000, () -> counter("dispatch-0: admin refused replayed") == 1);
        }
        assertEquals(1, counter("dispatch-0: admin signed commands accepted"));
        final String status = output("status", "--interval", "0");
        assertTrue(status.matches("(?s).*\\n  admin refused replayed +1 .*"), status);
    }
}
