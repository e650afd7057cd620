package io.pushwire.dispatch;

import io.aeron.ExclusivePublication;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.sender.PushRequest;
import io.pushwire.test.EmbeddedDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch adds a gateway reactor's publication asynchronously the first time it sends to it: the duty cycle that
 * starts the add returns while the driver still works on it, pushes to devices on reactors that already have their
 * publication keep going, and what was made for the new reactor meanwhile (a bind, answers, messages) waits in its
 * ring or for a NOTIFY, as under back pressure, and arrives in order once the publication exists.
 */
class AsyncPublicationTest
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
    void shouldNotBlockOnANewReactorsPublicationAndDeliverWhatWaitedForItInOrder()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> {});
        final TestGateway known = harness.gateway(0, 0);
        final TestGateway fresh = harness.gateway(0, 1);
        final TestDevice old = known.connect("old", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 1);
        harness.push(PushRequest.toDevice("old").payload("opens reactor 0"));
        harness.await("the old reactor's publication exists", () -> old.processed().contains("0:1:opens reactor 0"));
        harness.settle();
        final Outbox outbox = harness.agent().outbox();
        assertEquals(0, outbox.pendingPublications());
        final int freshReactor = Outbox.reactorIndex(io.pushwire.link.ConnectionId.pack(0, 1, 1, 1));

        // all of this is read by the next duty cycle: the SUB's bind is the first send to reactor 1
        final TestDevice asker = fresh.connect("asker", harness.clock.time(), Map.of());
        asker.sub(1, "news");
        asker.up(2, "hello");
        final List<CompletableFuture<Long>> pushes = new ArrayList<>();
        pushes.add(harness.client.pushAsync(PushRequest.toDevice("asker").payload("first")));
        pushes.add(harness.client.pushAsync(PushRequest.toDevice("old").payload("meanwhile")));
        pushes.add(harness.client.pushAsync(PushRequest.toDevice("asker").payload("second")));

        int cyclesWhilePending = 0;
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (harness.state().upMessages == 0 || outbox.isPublicationPending(freshReactor))
        {
            assertTrue(System.nanoTime() < deadlineNs, "the add of reactor 1's publication never completed");
            harness.pump();
            if (outbox.isPublicationPending(freshReactor))
            {
                cyclesWhilePending++;
                assertTrue(asker.frames.isEmpty(), () -> "nothing reaches reactor 1 before its publication: " + asker.frames);
            }
        }
        assertTrue(cyclesWhilePending >= 1,
            "a duty cycle returned while reactor 1's publication was still being added (it did not wait for the driver)");
        assertEquals(0, harness.dispatch.counters().publicationAddsFailed.get());

        harness.await(() -> "the other reactor keeps delivering: " + old.frames,
            () -> old.processed().contains("0:2:meanwhile"));
        harness.await(() -> "answers and messages reach the new reactor: " + asker.frames,
            () -> asker.processed().size() == 2 && asker.frames.size() >= 4);
        harness.settle();
        for (final CompletableFuture<Long> push : pushes)
        {
            assertTrue(harness.complete(push) instanceof Long);
        }

        final List<String> frames = asker.frames.stream().filter((f) -> !f.startsWith("NOTIFY")).toList();
        assertEquals(List.of("SUB_ACK 1:0:2:0", "UP_ACK 2:0", "MSG 0 1 first", "MSG 0 2 second"), frames,
            "answers first, then the messages pushed meanwhile, in order: " + asker.frames);
        assertEquals(List.of("0:1:first", "0:2:second"), asker.processed());
        assertEquals(List.of("asker BIND 2", "asker SUB_ACK 1:0:2:0", "asker UP_ACK 2:0"), fresh.log.subList(0, 3),
            "the bind before its SUB_ACK: " + fresh.log);
        assertEquals(2, harness.dispatch.counters().deviceAnswersDelayed.get(), "both answers waited in the ring");
        assertEquals(1, harness.state().upMessages, "the UP stored once");
    }

    @Test
    void shouldCountARejectedAddAndAddAgainWithoutStoppingTheAgent()
    {
        // a fixed session id for dispatch's publications; another exclusive publication holding it on reactor 1's
        // stream makes the driver reject dispatch's add of that reactor's publication
        final String channel = EmbeddedDriver.ipcChannel() + "|session-id=4242";
        harness = new DispatchHarness(storeDir, (ctx) -> ctx.publicationChannel(channel));
        final ExclusivePublication clash =
            harness.aeron.addExclusivePublication(channel, LinkConfiguration.downstreamStreamId(0, 1));
        final TestGateway fresh = harness.gateway(0, 1);
        final TestDevice asker = fresh.connect("asker", harness.clock.time(), Map.of());
        asker.sub(1, "news");
        harness.await("the add rejected", () -> harness.dispatch.counters().publicationAddsFailed.get() >= 2);
        assertTrue(asker.frames.isEmpty(), asker.frames::toString);
        assertEquals(1, harness.state().onlineDevices(), "the agent keeps running");

        clash.close();
        harness.await(() -> "the SUB_ACK once an add succeeds: " + asker.frames, () -> asker.frames.contains("SUB_ACK 1:0:2:0"));
        assertEquals(List.of("asker BIND 2", "asker SUB_ACK 1:0:2:0"), fresh.log);
        final long failed = harness.dispatch.counters().publicationAddsFailed.get();
        harness.settle();
        assertEquals(failed, harness.dispatch.counters().publicationAddsFailed.get(), "no add once it succeeded");
    }
}
