package io.pushwire.dispatch;

import io.pushwire.gateway.Gateway;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.gateway.GatewayContext;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing on loopback: devices on TCP sockets, two real gateways (invoker mode, driven here), dispatch
 * with its store on disk, a {@link io.pushwire.sender.PushClient}, one real media driver.
 */
class EndToEndTest
{
    @TempDir
    File storeDir;

    private DispatchHarness harness;
    private final List<Gateway> gateways = new ArrayList<>();
    private final List<SocketDevice> devices = new ArrayList<>();
    private final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));

    @BeforeEach
    void start()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        for (int g = 0; g < 2; g++)
        {
            gateways.add(Gateway.launch(new GatewayContext()
                .gatewayId(g)
                .host("127.0.0.1")
                .port(0)
                .probePort(-1)
                .reactors(1)
                .threadingMode(GatewayConfiguration.ThreadingMode.INVOKER)
                .maxConnections(256)
                .chunksPerReactor(256)
                .authKeys(GatewayConfiguration.DEV_AUTH_KEYS)
                .aeron(harness.aeron)
                .publicationChannel(EmbeddedDriver.ipcChannel())
                .subscriptionChannel(EmbeddedDriver.ipcChannel())
                .stopTimeoutMs(2_000)));
        }
    }

    @AfterEach
    void stop()
    {
        devices.forEach(SocketDevice::close);
        gateways.forEach(CloseHelper::quietClose);
        harness.close();
    }

    private void pump()
    {
        for (final Gateway gateway : gateways)
        {
            gateway.doWork();
        }
        for (final SocketDevice device : devices)
        {
            device.poll();
        }
    }

    private void await(final String what, final java.util.function.BooleanSupplier condition)
    {
        harness.await(what, () ->
        {
            pump();
            return condition.getAsBoolean();
        });
    }

    private SocketDevice connect(final int gateway, final String deviceId, final Map<Long, Long> cursors)
    {
        final long now = System.currentTimeMillis() / 1000;
        final SocketDevice device = new SocketDevice(gateways.get(gateway).port(), deviceId,
            issuer.issue(1, deviceId, now - 10, now + 3600), cursors);
        devices.add(device);
        await(deviceId + " welcomed", () -> device.welcomed);
        return device;
    }

    private long push(final PushRequest request)
    {
        final var future = harness.client.pushAsync(request);
        await("accepted", future::isDone);
        return future.join();
    }

    @Test
    void shouldDeliverUnicastOverSocketsAndCountTheAck()
    {
        final SocketDevice phone = connect(0, "e2e-phone", Map.of());
        await("online", () -> harness.state().onlineDevices() == 1);
        final long id = push(PushRequest.toDevice("e2e-phone").payload("over tcp"));
        await("delivered", () -> phone.device.processed().contains("0:1:over tcp"));
        await("acked", () -> harness.receipt(id).delivered() == 1);
        assertEquals(new Receipt(id, 1, 1, 0, 0), harness.receipt(id));
    }

    @Test
    void shouldDeliverABacklogInOrderExactlyOnceAfterReconnect()
    {
        final SocketDevice first = connect(1, "e2e-away", Map.of());
        push(PushRequest.toDevice("e2e-away").payload("a1"));
        await("first", () -> first.device.processed().size() == 1);
        first.close();
        await("offline", () -> harness.state().onlineDevices() == 0);
        for (int i = 2; i <= 100; i++)
        {
            push(PushRequest.toDevice("e2e-away").payload("a" + i));
        }
        final SocketDevice back = connect(0, "e2e-away", Map.of(0L, first.device.cursor(0)));
        back.device.cursors.putAll(first.device.cursors);
        harness.await(() -> "backlog: cursor " + back.device.cursor(0) + " closed " + back.isClosed() + " frames " +
            back.device.frames.subList(Math.max(0, back.device.frames.size() - 4), back.device.frames.size()) + " ... " + back.device.frames.size(), () ->
        {
            pump();
            return back.device.cursor(0) == 100;
        });
        for (int i = 2; i <= 100; i++)
        {
            assertEquals("0:" + i + ":a" + i, back.device.processed().get(i - 2));
        }
        assertEquals(0, back.device.duplicates);
        assertEquals("NOTIFY 0 100", back.device.frames.get(0));
    }

    @Test
    void shouldFanOutTopicsAndBroadcastThroughBothGateways()
    {
        final List<SocketDevice> all = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            all.add(connect(i % 2, "e2e-fan-" + i, Map.of()));
        }
        await("online", () -> harness.state().onlineDevices() == 12);
        final List<SocketDevice> fans = List.of(all.get(0), all.get(1), all.get(5));
        for (final SocketDevice fan : fans)
        {
            fan.device.sub(1, "goals");
        }
        await("subscribed", () -> fans.stream().allMatch((d) -> d.device.subAcks.size() == 1));
        final long goal = push(PushRequest.toTopic("goals").payload("1-0"));
        final long all12 = push(PushRequest.broadcast().payload("half time"));
        await("topic", () -> fans.stream().allMatch((d) -> d.device.processed().contains("2:1:1-0")));
        await("broadcast", () -> all.stream().allMatch((d) -> d.device.processed().contains("1:1:half time")));
        assertTrue(all.stream().filter((d) -> !fans.contains(d)).allMatch((d) -> d.device.processed().size() == 1));
        await("receipts", () -> harness.receipt(goal).delivered() == 3 && harness.receipt(all12).delivered() == 12);
    }

    @Test
    void shouldReplaceAndKickOverSockets()
    {
        final SocketDevice old = connect(0, "e2e-dup", Map.of());
        await("online", () -> harness.state().onlineDevices() == 1);
        final SocketDevice fresh = connect(1, "e2e-dup", Map.of());
        await("old replaced", () -> old.device.closedReason == CloseReason.REPLACED);
        await("old socket closed", old::isClosed);
        harness.kick("e2e-dup");
        await("kicked", () -> fresh.device.closedReason == CloseReason.KICKED && fresh.isClosed());
        assertEquals(0, harness.state().onlineDevices());
        push(PushRequest.toDevice("e2e-dup").payload("kept"));
        final SocketDevice again = connect(0, "e2e-dup", Map.of());
        await("delivered after kick", () -> again.device.processed().contains("0:1:kept"));
    }
}
