package io.pushwire.dispatch;

import io.pushwire.sender.PushRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers to devices (SUB_ACK, UP_ACK, ERROR) meet a reactor publication that refuses offers: a test gateway stops
 * polling its downstream stream (as a reactor paused for its chunk pool does) and 4 KB messages to another device on
 * it fill the publication's window, so dispatch's offers come back BACK_PRESSURED. The answers must wait and arrive,
 * in the order they were made and before later frames to the same device, once the reactor reads again; beyond the
 * ring's bound they are dropped and counted.
 */
class DeviceAnswerBackPressureTest
{
    private static final int PAYLOAD_LENGTH = 4_000;

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
    void shouldKeepAnswersInOrderWhileTheReactorRefusesAndSendThemOnceItTakesOffersAgain()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> DispatchHarness.inlineLargeMessages(ctx, PAYLOAD_LENGTH));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice filler = gateway.connect("filler", harness.clock.time(), Map.of());
        final TestDevice asker = gateway.connect("asker", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        final int pushed = harness.fillReactor(gateway, filler, PAYLOAD_LENGTH);

        asker.sub(1, "news");
        asker.up(2, "first");
        asker.sub(3, "sports");
        asker.up(4, "second");
        asker.pull(7, 1, 1);
        harness.settle();
        assertEquals(2, harness.state().upMessages, "each UP stored once");
        assertEquals(List.of(), answers(asker), "nothing reaches the device while its reactor refuses");

        final long id = harness.push(PushRequest.toDevice("asker").payload("after the answers"));
        harness.settle();
        assertTrue(asker.frames.isEmpty(), asker.frames::toString);

        gateway.paused = false;
        harness.await(() -> "answers arrive: " + asker.frames, () -> answers(asker).size() == 5);
        assertEquals(List.of("SUB_ACK 1:0:2:0", "UP_ACK 2:0", "SUB_ACK 3:0:3:0", "UP_ACK 4:0", "ERROR"), answers(asker),
            "in the order asked");
        assertEquals(5, harness.dispatch.counters().deviceAnswersDelayed.get(), "every answer waited");
        harness.await(() -> "the message after the answers: " + asker.frames,
            () -> asker.processed().contains("0:1:after the answers"));
        assertTrue(asker.frames.indexOf("ERROR") < firstStreamFrame(asker),
            "a frame of the device's stream does not overtake its answers: " + asker.frames);
        harness.await("acked", () -> harness.receipt(id).delivered() == 1);
        harness.await(() -> "the filler gets every message: " + filler.processed().size() + " of " + pushed,
            () -> filler.processed().size() == pushed);
        assertEquals(0, harness.dispatch.counters().deviceAnswersDropped.get());
        assertEquals(2, harness.state().upMessages, "no UP was repeated");
    }

    @Test
    void shouldDropAndCountAnswersBeyondTheRingsBound()
    {
        harness = new DispatchHarness(storeDir, (ctx) -> DispatchHarness.inlineLargeMessages(ctx.maxDeviceAnswers(64), PAYLOAD_LENGTH));
        final TestGateway gateway = harness.gateway(0, 0);
        final TestDevice filler = gateway.connect("filler", harness.clock.time(), Map.of());
        final TestDevice asker = gateway.connect("asker", harness.clock.time(), Map.of());
        harness.await("online", () -> harness.state().onlineDevices() == 2);
        harness.fillReactor(gateway, filler, PAYLOAD_LENGTH);

        for (int i = 1; i <= 100; i++)
        {
            asker.up(i, "up " + i);
        }
        harness.await(() -> "100 UPs stored: " + harness.state().upMessages, () -> harness.state().upMessages == 100);
        assertEquals(36, harness.dispatch.counters().deviceAnswersDropped.get(), "64 kept, the rest dropped");

        gateway.paused = false;
        harness.await(() -> "64 answers: " + asker.upAcks.size(), () -> asker.upAcks.size() == 64);
        harness.settle();
        assertEquals(IntStream.rangeClosed(1, 64).mapToObj(Long::valueOf).toList(), asker.upAcks, "the first 64, in order");
        assertEquals(36, harness.dispatch.counters().deviceAnswersDropped.get());
    }

    private static List<String> answers(final TestDevice device)
    {
        return device.frames.stream()
            .filter((f) -> f.startsWith("SUB_ACK") || f.startsWith("UP_ACK") || f.equals("ERROR"))
            .toList();
    }

    private static int firstStreamFrame(final TestDevice device)
    {
        for (int i = 0; i < device.frames.size(); i++)
        {
            final String frame = device.frames.get(i);
            if (frame.startsWith("MSG 0 ") || frame.startsWith("NOTIFY 0 "))
            {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
