package io.pushwire.dispatch;

import io.pushwire.protocol.CloseReason;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes survive a dispatch restart: replayed as pending, confirmed by the gateway's first status when its
 * instance id is the one recorded, dropped when the gateway restarted, stayed silent or its instance was never
 * known; closed and replaced routes stay gone. Test gateway peers keep their devices across the restart.
 */
class RouteRecoveryTest
{
    @TempDir
    File storeDir;

    private DispatchHarness harness;

    @AfterEach
    void stop()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void shouldHoldPushesForAPendingRouteAndDeliverThemOnceTheGatewayConfirmsIt()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(1, 0);
        gateway.status(harness.clock.time());
        final TestDevice device = gateway.connect("stayer", harness.clock.time(), Map.of());
        device.ackDuplicates = true;
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        device.dropAcks = true;
        final long before = harness.push(PushRequest.toDevice("stayer").payload("before"));
        harness.await("seen, not acked", () -> device.processed().size() == 1);
        harness.settle();

        harness.restartDispatch();
        final DispatchState state = harness.state();
        final int index = state.devices().lookup("stayer");
        assertEquals(1, state.pendingRoutes());
        assertEquals(device.connectionId, state.pendingConnectionId(index));
        assertEquals(0, state.onlineDevices(), "pending is not online");
        assertEquals(1, harness.dispatch.counters().routesRestored.get());

        device.dropAcks = false;
        final long during = harness.push(PushRequest.toDevice("stayer").payload("while pending"));
        device.sendAck(0, 1);
        harness.settle();
        assertEquals(1, device.processed().size(), "nothing is sent to a pending route");
        assertEquals(0, harness.receipt(before).delivered(), "an ACK from a pending route is ignored");

        gateway.status(harness.clock.time());
        harness.await("confirmed and delivered", () -> device.processed().size() == 2 && harness.receipt(during).delivered() == 1);
        assertEquals(List.of("0:1:before", "0:2:while pending"), device.processed());
        assertEquals(new Receipt(before, 1, 1, 0, 0), harness.receipt(before));
        assertEquals(1, harness.state().onlineDevices());
        assertEquals(device.connectionId, harness.state().connectionId(index));
        assertEquals(1, harness.dispatch.counters().routesConfirmed.get());
        harness.push(PushRequest.toDevice("stayer").payload("after"));
        harness.await("live again", () -> device.processed().size() == 3);
    }

    @Test
    void shouldDropARestoredRouteWhenItsGatewayRestartedMeanwhile()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(2, 0);
        gateway.status(harness.clock.time());
        final TestDevice device = gateway.connect("orphan", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);

        harness.restartDispatch();
        gateway.crash();
        gateway.instanceId = 2;
        gateway.status(harness.clock.time());
        harness.await("dropped", () -> harness.state().pendingRoutes() == 0);
        assertEquals(0, harness.state().onlineDevices(), "the device counts offline");
        assertEquals(1, harness.dispatch.counters().routesDroppedAfterRestart.get());
        assertTrue(!harness.who("orphan").online());
        harness.push(PushRequest.toDevice("orphan").payload("kept for later"));
        harness.settle();
        assertEquals(0, device.processed().size());

        harness.restartDispatch();
        assertEquals(0, harness.state().pendingRoutes(), "the drop was recorded");
        final TestDevice back = gateway.connect("orphan", harness.clock.time(), Map.of());
        harness.await("delivered after its reconnect", () -> back.processed().size() == 1);
    }

    @Test
    void shouldNotRestoreAClosedRouteNorResurrectAReplacedSession()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway gateway = harness.gateway(0, 0);
        gateway.status(harness.clock.time());
        final TestDevice gone = gateway.connect("gone", harness.clock.time(), Map.of());
        final TestDevice old = gateway.connect("twice", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        gateway.disconnect(gone, CloseReason.HEARTBEAT_TIMEOUT);
        final TestDevice fresh = gateway.connect("twice", harness.clock.time() + 1, Map.of());
        harness.await("old replaced", () -> old.closedReason == CloseReason.REPLACED);
        harness.settle();

        harness.restartDispatch();
        final DispatchState state = harness.state();
        assertEquals(1, state.pendingRoutes());
        assertEquals(DispatchState.NO_CONNECTION, state.pendingConnectionId(state.devices().lookup("gone")));
        assertEquals(fresh.connectionId, state.pendingConnectionId(state.devices().lookup("twice")));

        gateway.status(harness.clock.time());
        harness.await("confirmed", () -> harness.state().onlineDevices() == 1);
        harness.push(PushRequest.toDevice("twice").payload("to the newest"));
        harness.await("delivered", () -> fresh.processed().size() == 1);
        assertEquals(0, old.processed().size());
        assertTrue(!harness.who("gone").online());
    }

    @Test
    void shouldDropRestoredRoutesOfAGatewaySilentAfterTheRestart()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.gatewayTimeoutMs(3_000));
        final TestGateway gateway = harness.gateway(4, 0);
        gateway.status(harness.clock.time());
        gateway.connect("quiet", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);

        harness.restartDispatch();
        harness.settle();
        assertEquals(1, harness.state().pendingRoutes(), "waits for the gateway within the timeout");
        harness.clock.advance(3_500);
        harness.await("dropped", () -> harness.state().pendingRoutes() == 0);
        assertEquals(0, harness.state().onlineDevices());
        assertEquals(1, harness.dispatch.counters().routesDroppedAfterRestart.get());
    }

    @Test
    void shouldRecordTheInstanceOfARouteOpenedBeforeTheGatewaysFirstStatus()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway early = harness.gateway(5, 0);
        final TestGateway unknown = harness.gateway(6, 0);
        final TestDevice first = early.connect("early", harness.clock.time(), Map.of());
        unknown.connect("unknown", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        early.status(harness.clock.time());
        harness.settle();

        harness.restartDispatch();
        assertEquals(2, harness.state().pendingRoutes());
        early.status(harness.clock.time());
        unknown.status(harness.clock.time());
        harness.await("settled", () -> harness.state().pendingRoutes() == 0);
        assertTrue(harness.who("early").online(), "recorded again once its gateway's instance was known");
        assertTrue(!harness.who("unknown").online(), "instance never known: cannot be validated, dropped");
        harness.push(PushRequest.toDevice("early").payload("hi"));
        harness.await("delivered", () -> first.processed().size() == 1);
    }
}
