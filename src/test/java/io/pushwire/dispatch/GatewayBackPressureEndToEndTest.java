package io.pushwire.dispatch;

import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.gateway.GatewayCounters;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.sender.PushRequest;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch against a real gateway whose reactor pauses for its chunk pool: devices on TCP that stop reading, a
 * 16-chunk pool, dispatch inlining 4 KB messages as fast as it can. The gateway's back pressure must reach
 * dispatch as refused offers, and every accepted message must still reach its device in order, exactly once,
 * through dispatch's NOTIFY retry and the device's PULLs, once the devices read again. (A MSG may reach a device
 * twice, when the test device PULLs again on a second NOTIFY while its first PULL is answered; its cursor drops
 * the copy, as the protocol intends: what it processes is checked.)
 */
class GatewayBackPressureEndToEndTest
{
    private static final int DEVICES = 8;
    private static final int MESSAGES_PER_DEVICE = 300;
    private static final int PAYLOAD_LENGTH = 4_000;

    @TempDir
    File storeDir;

    private DispatchHarness harness;
    private Gateway gateway;
    private final List<SocketDevice> devices = new ArrayList<>();
    private final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));

    @AfterEach
    void stop()
    {
        devices.forEach(SocketDevice::close);
        CloseHelper.quietClose(gateway);
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhileTheGatewayPushesBackAndDeliverItInOrderOnceDevicesRead()
    {
        // inline everything, so dispatch offers 4 KB MSGs as fast as pushes arrive rather than one NOTIFY per device
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.inlineLimit(PAYLOAD_LENGTH).window(4 * MESSAGES_PER_DEVICE)
            .windowBytes(64 << 20));
        gateway = Gateway.launch(new GatewayContext()
            .gatewayId(0)
            .host("127.0.0.1")
            .port(0)
            .probePort(-1)
            .reactors(1)
            .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
            .maxConnections(64)
            .chunksPerReactor(16)
            .socketSendBufferBytes(16 * 1024)
            .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
            .aeron(harness.aeron)
            .publicationChannel(EmbeddedDriver.ipcChannel())
            .subscriptionChannel(EmbeddedDriver.ipcChannel())
            .stopTimeoutMs(2_000));
        final GatewayCounters counters = gateway.counters();
        for (int i = 0; i < DEVICES; i++)
        {
            connect("bp-" + i);
        }
        await("online", () -> harness.state().onlineDevices() == DEVICES);
        final byte[] payload = new byte[PAYLOAD_LENGTH];
        for (int i = 0; i < DEVICES; i++)
        {
            stamp(payload, i, 1);
            push(PushRequest.toDevice("bp-" + i).payload(payload));
        }
        // the first message opens dispatch's publication to the reactor (its first offer is refused: not connected)
        await("first message delivered and acked", () -> devices.stream().allMatch((d) -> d.device.cursor(0) == 1) &&
            java.util.stream.IntStream.range(0, DEVICES).allMatch((d) -> harness.state().deviceStream(d).acked() == 1));
        harness.settle();
        final long refusedBefore = harness.agent().backPressured();
        for (final SocketDevice device : devices)
        {
            device.setReceiveBuffer(4096);
            device.reading(false);
        }

        for (int seq = 2; seq <= MESSAGES_PER_DEVICE; seq++)
        {
            for (int i = 0; i < DEVICES; i++)
            {
                stamp(payload, i, seq);
                push(PushRequest.toDevice("bp-" + i).payload(payload));
            }
        }
        harness.await(() -> "the reactor paused for its pool and dispatch's offers to it were refused: pauses " +
            counters.downstreamPauses.get() + " refused " + harness.agent().backPressured() + " (before " + refusedBefore +
            ") inline " + harness.dispatch.counters().deliveredInline.get() + " notified " +
            harness.dispatch.counters().notified.get() + " frames out " + counters.framesOut.get() + " queued " +
            counters.outboundBytesQueued.get(), () ->
        {
            pump();
            return counters.downstreamPauses.get() >= 1 && harness.agent().backPressured() > refusedBefore;
        });
        assertEquals(0, counters.closes(CloseReason.OVERLOADED).get(), "no connection closed for the pool");

        for (final SocketDevice device : devices)
        {
            device.setReceiveBuffer(1 << 20);
            device.reading(true);
        }
        harness.await(() -> "every message delivered: cursors " +
            devices.stream().map((d) -> d.device.cursor(0)).toList() + " retries " +
            harness.dispatch.counters().backPressureRetries.get(), () ->
        {
            pump();
            return devices.stream().allMatch((d) -> d.device.cursor(0) == MESSAGES_PER_DEVICE);
        });
        final byte[] expected = new byte[PAYLOAD_LENGTH];
        for (int i = 0; i < DEVICES; i++)
        {
            final TestDevice device = devices.get(i).device;
            assertEquals(MESSAGES_PER_DEVICE, device.processed().size());
            for (int seq = 1; seq <= MESSAGES_PER_DEVICE; seq++)
            {
                stamp(expected, i, seq);
                assertEquals("0:" + seq + ":" + new String(expected, java.nio.charset.StandardCharsets.US_ASCII),
                    device.processed().get(seq - 1), "device " + i + " seq " + seq);
            }
            assertEquals(0, device.outOfOrder, "in order, no MSG beyond a hole");
        }
        assertTrue(harness.dispatch.counters().backPressureRetries.get() >= 1, "dispatch fell back to NOTIFY");
        assertEquals(0, counters.closes(CloseReason.OVERLOADED).get());
        assertEquals(0, counters.chunkPoolExhausted.get());
        assertTrue(devices.stream().noneMatch(SocketDevice::isClosed));
    }

    private static void stamp(final byte[] payload, final int device, final int seq)
    {
        Arrays.fill(payload, (byte)'.');
        final byte[] id = ("d" + device + "m" + seq + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, payload, 0, id.length);
    }

    private SocketDevice connect(final String deviceId)
    {
        final long now = System.currentTimeMillis() / 1000;
        final SocketDevice device = new SocketDevice(gateway.port(), deviceId, issuer.issue(1, deviceId, now - 10, now + 3600),
            Map.of());
        devices.add(device);
        await(deviceId + " welcomed", () -> device.welcomed);
        return device;
    }

    private void push(final PushRequest request)
    {
        final var future = harness.client.pushAsync(request);
        await("accepted", future::isDone);
        future.join();
    }

    private void pump()
    {
        gateway.doWork();
        for (final SocketDevice device : devices)
        {
            device.poll();
        }
    }

    private void await(final String what, final BooleanSupplier condition)
    {
        harness.await(what, () ->
        {
            pump();
            return condition.getAsBoolean();
        });
    }
}
