package io.pushwire.dispatch;

import io.pushwire.link.ConnectionId;
import io.pushwire.protocol.CloseReason;
import io.pushwire.store.Store;
import io.pushwire.store.StoreContext;
import io.pushwire.store.StoreRecords;
import io.pushwire.store.SyncPolicy;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ROUTE_OPENED / ROUTE_CLOSED written to a real store and replayed into a fresh {@link DispatchState}: the
 * routing rules hold on replay (a newer route replaces, a stale close changes nothing, a reused connection id
 * ends the route that had it) and every restored route is pending.
 */
class RouteReplayTest
{
    @TempDir
    File dir;

    private static final long A1 = ConnectionId.pack(1, 0, 1, 1);
    private static final long A2 = ConnectionId.pack(2, 0, 7, 1);
    private static final long B1 = ConnectionId.pack(1, 0, 2, 1);
    private static final long C1 = ConnectionId.pack(1, 0, 3, 1);

    @Test
    void shouldReplayRoutesAsPendingWithTheRoutingRules()
    {
        final StoreContext ctx = new StoreContext().dir(dir).syncPolicy(SyncPolicy.NONE).rollCycle(RollCycles.FAST_DAILY)
            .maxRecordLength(4096);
        try (Store store = new Store(ctx))
        {
            for (int d = 0; d < 4; d++)
            {
                final UnsafeBuffer id = new UnsafeBuffer(("dev-" + d).getBytes(StandardCharsets.UTF_8));
                store.appendDevice(d, id, 0, id.capacity());
            }
            store.appendRouteOpened(0, A1, 11, 1000, 60);
            store.appendRouteOpened(0, A2, 22, 2000, 90);        // replaced by a newer session on another gateway
            store.appendRouteClosed(0, A1, CloseReason.REPLACED);  // stale: A1 is no longer its route
            store.appendRouteOpened(1, B1, 11, 1000, 60);
            store.appendRouteClosed(1, B1, CloseReason.HEARTBEAT_TIMEOUT);
            store.appendRouteOpened(2, C1, 11, 1000, 60);
            store.appendRouteClosed(2, C1, StoreRecords.ROUTE_DROPPED);
            store.appendRouteOpened(3, C1, 33, 3000, 30);        // the gateway restarted and reused the id
        }
        final DispatchState state = new DispatchState(16, 1024);
        try (Store store = new Store(ctx))
        {
            store.replay(state);
        }
        assertEquals(2, state.pendingRoutes());
        assertEquals(0, state.onlineDevices(), "restored routes are pending, not online");
        assertEquals(A2, state.pendingConnectionId(0));
        assertEquals(22, state.routeInstanceId[0]);
        assertEquals(2000, state.routeOpenedAtMs[0]);
        assertEquals(90, state.routeHeartbeatSec[0]);
        assertEquals(DispatchState.NO_CONNECTION, state.connectionId(0), "nothing is sent to a pending route");
        assertEquals(DispatchState.NO_CONNECTION, state.pendingConnectionId(1), "closed");
        assertEquals(DispatchState.NO_CONNECTION, state.pendingConnectionId(2), "dropped");
        assertEquals(C1, state.pendingConnectionId(3));
        assertEquals(3, state.connectionToDevice.get(C1));
        assertEquals(0, state.connectionToDevice.get(A2));
        assertFalse(state.connectionToDevice.containsKey(A1));
        assertFalse(state.connectionToDevice.containsKey(B1));

        state.confirmRoute(0);
        assertEquals(A2, state.connectionId(0));
        assertEquals(1, state.onlineDevices());
        assertEquals(1, state.pendingRoutes());
        assertTrue(state.clearRoute(3) == C1 && state.pendingRoutes() == 0);
    }

    @Test
    void shouldReplaceAnEarlierRouteOfTheSameConnectionWhenTheInstanceBecomesKnown()
    {
        final DispatchState state = new DispatchState(16, 1024);
        state.onRouteOpened(0, A1, 0, 1000, 60);
        state.onRouteOpened(0, A1, 44, 1000, 60);
        assertEquals(1, state.pendingRoutes());
        assertEquals(44, state.routeInstanceId[0]);
        state.onRouteClosed(0, A2, CloseReason.REPLACED);
        assertEquals(A1, state.pendingConnectionId(0), "a close of another connection changes nothing");
    }
}
