package io.pushwire.dispatch;

import io.pushwire.client.DeviceClient;
import io.pushwire.client.DeviceListener;
import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.sender.PushRequest;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device on the client SDK, a real gateway (invoker mode, driven by the test thread) and dispatch: the device's
 * PULL of a 40-message backlog of 3 KB messages is more than the reactor publication's 64 KiB window takes in one
 * duty cycle, so dispatch's answer is cut short by back pressure. The SDK does not PULL again while its PULL is
 * outstanding (only after {@code pullRetryMs}, set to 60 s here), so the rest must come from dispatch continuing the
 * cut PULL, well within the 10 s the test waits.
 */
class CutPullSdkTest
{
    private static final int MESSAGES = 40;
    private static final int PAYLOAD_LENGTH = 3_000;

    @TempDir
    File storeDir;

    private DispatchHarness harness;
    private Gateway gateway;
    private SocketDevice warm;
    private DeviceClient client;
    private final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(client, warm, gateway);
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldContinueAPullCutShortByBackPressureWithoutTheSdkAskingAgain()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        gateway = Gateway.launch(new GatewayContext()
            .gatewayId(0)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
            .maxConnections(16)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
            .aeron(harness.aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .stopTimeoutMs(2_000));

        // opens dispatch's publication to the reactor, so the only refusals below are back pressure
        final long nowSec = System.currentTimeMillis() / 1000;
        warm = new SocketDevice(gateway.port(), "warm", issuer.issue(1, "warm", nowSec - 10, nowSec + 3600), Map.of());
        await("warm device online", () -> warm.welcomed && harness.state().onlineDevices() == 1);
        harness.push(PushRequest.toDevice("warm").payload("warm-up"));
        await("warm device served", () -> warm.device.cursor(0) == 1);

        final byte[] payload = new byte[PAYLOAD_LENGTH];
        for (int seq = 1; seq <= MESSAGES; seq++)
        {
            harness.push(PushRequest.toDevice("sdk-phone").payload(stamp(payload, seq)));
        }
        harness.settle();
        final long refusedBefore = harness.agent().backPressured();

        final List<String> received = new CopyOnWriteArrayList<>();
        client = DeviceClient.start(new DeviceClient.Context()
            .deviceId("sdk-phone")
            .token(issuer.issue(1, "sdk-phone", nowSec - 10, nowSec + 3600))
            .fallbackAddresses(List.of("127.0.0.1:" + gateway.port()))
            .probeTimeoutMs(0)
            .connectTimeoutMs(2_000)
            .heartbeat(30, 10, 60)
            .reconnectBackoff(50, 500, 0.5)
            .pullRetryMs(60_000)
            .listener(new DeviceListener()
            {
                public void onMessage(final long streamId, final long seq, final long messageId, final int appId,
                    final DirectBuffer buffer, final int offset, final int length)
                {
                    received.add(streamId + ":" + seq + ":" + buffer.getStringWithoutLengthAscii(offset, 8));
                }
            }));

        await(() -> "every message well before pullRetryMs: received " + received.size() + ", client " + client.stats() +
            ", refused offers " + (harness.agent().backPressured() - refusedBefore), () -> received.size() == MESSAGES);
        assertTrue(harness.agent().backPressured() > refusedBefore, "the PULL's answer met back pressure");
        assertEquals(IntStream.rangeClosed(1, MESSAGES).mapToObj((seq) -> "0:" + seq + ":" + label(seq)).toList(), received,
            "in order, once");
        assertEquals(1, client.stats().pullsSent(), "the cut PULL was continued by dispatch, not asked again");
        await(() -> "acked: " + harness.state().deviceStream(1).acked(),
            () -> harness.state().deviceStream(1).acked() == MESSAGES);
    }

    private static byte[] stamp(final byte[] payload, final int seq)
    {
        Arrays.fill(payload, (byte)'.');
        final byte[] label = label(seq).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, payload, 0, label.length);
        return payload;
    }

    private static String label(final int seq)
    {
        return String.format("m%07d", seq);
    }

    private void pump()
    {
        gateway.doWork();
        if (null != warm)
        {
            warm.poll();
        }
    }

    private void await(final String what, final BooleanSupplier condition)
    {
        await(() -> what, condition);
    }

    private void await(final java.util.function.Supplier<String> what, final BooleanSupplier condition)
    {
        harness.await(what, () ->
        {
            pump();
            return condition.getAsBoolean();
        });
    }
}
