package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the test vectors of {@code docs/protocol.md} and checks each against the code both ways: the encoders turn
 * the fields into exactly the hex, and the decoders turn the hex back into exactly the fields.
 */
class ProtocolDocumentTest
{
    @Test
    void shouldHaveAVectorForEveryFrameTypeTheProbeAndAToken() throws IOException
    {
        final Set<String> types = new HashSet<>();
        for (final Vector vector : Vector.readAll(Vector.DOCUMENT))
        {
            types.add(vector.type());
        }
        for (int type = 1; type <= FrameType.MAX_TYPE; type++)
        {
            assertTrue(types.contains(FrameType.name(type)), "no vector for " + FrameType.name(type));
        }
        assertTrue(types.containsAll(List.of("PROBE_REQUEST", "PROBE_RESPONSE", "TOKEN", "RAW")), types.toString());
    }

    @TestFactory
    List<DynamicTest> shouldMatchEveryVectorOfTheDocument() throws IOException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Vector vector : Vector.readAll(Vector.DOCUMENT))
        {
            tests.add(DynamicTest.dynamicTest(vector.name, () -> check(vector)));
        }
        return tests;
    }

    private static void check(final Vector vector)
    {
        final byte[] hex = vector.hex();
        switch (vector.type())
        {
            case "RAW" -> checkRefused(vector, hex);
            case "PROBE_REQUEST" ->
            {
                assertArrayEquals(hex, vector.encode(), "encoding of " + vector);
                final UnsafeBuffer buffer = new UnsafeBuffer(hex);
                assertTrue(Probe.isRequest(buffer, 0, hex.length));
                assertEquals(vector.number("nonce"), Probe.nonce(buffer, 0));
            }
            case "PROBE_RESPONSE" ->
            {
                assertArrayEquals(hex, vector.encode(), "encoding of " + vector);
                final UnsafeBuffer buffer = new UnsafeBuffer(hex);
                assertTrue(Probe.isResponse(buffer, 0, hex.length));
                assertEquals(vector.number("nonce"), Probe.nonce(buffer, 0));
                assertEquals(vector.intNumber("loadPermille"), Probe.loadPermille(buffer, 0));
                assertEquals(vector.number("connections"), Probe.connections(buffer, 0));
                assertEquals(vector.intNumber("flags"), Probe.flags(buffer, 0));
            }
            case "TOKEN" ->
            {
                assertArrayEquals(hex, vector.encode(), "encoding of " + vector);
                final TokenVerifier verifier = new TokenVerifier(TokenKeys.of(vector.intNumber("keyId"), vector.bytes("secret")));
                final byte[] deviceId = vector.get("deviceId").getBytes(StandardCharsets.UTF_8);
                assertEquals(0, verifier.verify(new UnsafeBuffer(hex), 0, hex.length, new UnsafeBuffer(deviceId), 0,
                    deviceId.length, vector.number("issuedAt")));
            }
            default ->
            {
                assertArrayEquals(hex, vector.encode(), () -> "encoding of " + vector + ": got " + Vector.hex(vector.encode()));
                checkDecoded(vector, hex);
            }
        }
    }

    private static void checkRefused(final Vector vector, final byte[] hex)
    {
        final int expected = -errorCode(vector.get("error"));
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH, true);
        assertEquals(expected, decoder.onBytes(new UnsafeBuffer(hex), 0, hex.length, (t, f, b, o, l) -> {}),
            () -> vector + " whole: got " + ErrorCode.describe(decoder.error()));

        decoder.reset();
        int result = 0;
        final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);
        for (int i = 0; i < hex.length && result == 0; i++)
        {
            one.putByte(0, hex[i]);
            result = decoder.onBytes(one, 0, 1, (t, f, b, o, l) -> {});
        }
        assertEquals(expected, result, vector + " byte by byte");
    }

    private static int errorCode(final String name)
    {
        for (int code = 1; code <= ErrorCode.MAX_CODE; code++)
        {
            if (ErrorCode.describe(code).equals(name))
            {
                return code;
            }
        }
        throw new IllegalArgumentException("no error code " + name);
    }

    private static void checkDecoded(final Vector vector, final byte[] hex)
    {
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH, true);
        final FrameDecoders d = decoder.decoders();
        final int[] frames = new int[1];
        final int result = decoder.onBytes(new UnsafeBuffer(hex), 0, hex.length, (type, flags, buffer, offset, length) ->
        {
            frames[0]++;
            assertEquals(vector.type(), FrameType.name(type));
            checkFields(vector, d, buffer);
        });
        assertEquals(0, result, () -> vector + ": " + ErrorCode.describe(result));
        assertEquals(1, frames[0], vector.toString());
    }

    private static void checkFields(final Vector v, final FrameDecoders d, final DirectBuffer buffer)
    {
        switch (v.type())
        {
            case "HELLO" ->
            {
                final HelloDecoder h = d.hello();
                assertEquals(v.intNumber("version"), h.version());
                assertEquals(v.get("deviceId"), h.deviceIdAsString());
                assertArrayEquals(v.bytes("token"), h.tokenAsBytes());
                assertEquals(v.intNumber("heartbeatSec"), h.heartbeatSec());
                final long[][] cursors = Vector.cursors(v.get("cursors"));
                assertEquals(cursors[0].length, h.cursorCount());
                for (int i = 0; i < h.cursorCount(); i++)
                {
                    assertEquals(cursors[0][i], h.cursorStreamId(i));
                    assertEquals(cursors[1][i], h.cursorSeq(i));
                }
            }
            case "WELCOME" ->
            {
                assertEquals(v.intNumber("version"), d.welcome().version());
                assertEquals(v.intNumber("heartbeatSec"), d.welcome().heartbeatSec());
                assertEquals(v.number("sessionId"), d.welcome().sessionId());
                assertEquals(v.number("serverTimeMs"), d.welcome().serverTimeMs());
            }
            case "PING", "PONG" -> assertEquals(v.intNumber("intervalSec"), d.ping().intervalSec());
            case "MSG" ->
            {
                final MsgDecoder m = d.msg();
                assertEquals(v.intNumber("flags"), m.flags());
                assertEquals(v.number("streamId"), m.streamId());
                assertEquals(v.number("seq"), m.seq());
                assertEquals(v.number("messageId"), m.messageId());
                assertEquals(v.intNumber("appId"), m.appId());
                assertArrayEquals(v.bytes("payload"), bytes(buffer, m.payloadOffset(), m.payloadLength()));
            }
            case "NOTIFY" ->
            {
                assertEquals(v.number("streamId"), d.notifyDecoder().streamId());
                assertEquals(v.number("newestSeq"), d.notifyDecoder().newestSeq());
            }
            case "PULL" ->
            {
                assertEquals(v.number("streamId"), d.pull().streamId());
                assertEquals(v.number("fromSeq"), d.pull().fromSeq());
                assertEquals(v.number("toSeq"), d.pull().toSeq());
            }
            case "ACK" ->
            {
                assertEquals(v.number("streamId"), d.ack().streamId());
                assertEquals(v.number("seq"), d.ack().seq());
            }
            case "GAP" ->
            {
                assertEquals(v.number("streamId"), d.gap().streamId());
                assertEquals(v.number("fromSeq"), d.gap().fromSeq());
                assertEquals(v.number("toSeq"), d.gap().toSeq());
                assertEquals(v.intNumber("reason"), d.gap().reason());
            }
            case "SUB", "UNSUB" ->
            {
                assertEquals(v.number("requestId"), d.sub().requestId());
                assertEquals(v.get("topic"), d.sub().topicAsString());
            }
            case "SUB_ACK" ->
            {
                assertEquals(v.number("requestId"), d.subAck().requestId());
                assertEquals(v.intNumber("status"), d.subAck().status());
                assertEquals(v.number("streamId"), d.subAck().streamId());
                assertEquals(v.number("headSeq"), d.subAck().headSeq());
            }
            case "UP" ->
            {
                assertEquals(v.number("requestId"), d.up().requestId());
                assertEquals(v.intNumber("appId"), d.up().appId());
                assertArrayEquals(v.bytes("payload"), bytes(buffer, d.up().payloadOffset(), d.up().payloadLength()));
            }
            case "UP_ACK" ->
            {
                assertEquals(v.number("requestId"), d.upAck().requestId());
                assertEquals(v.intNumber("status"), d.upAck().status());
            }
            case "REDIRECT" ->
            {
                final RedirectDecoder r = d.redirect();
                assertEquals(v.intNumber("reason"), r.reason());
                assertEquals(v.intNumber("delayMs"), r.delayMs());
                final StringBuilder targets = new StringBuilder();
                for (int i = 0; i < r.count(); i++)
                {
                    targets.append(i > 0 ? " " : "").append(r.hostAsString(i)).append(':').append(r.port(i));
                }
                assertEquals(v.get("targets"), r.count() == 0 ? "-" : targets.toString());
            }
            case "ERROR" ->
            {
                assertEquals(v.intNumber("code"), d.error().code());
                assertEquals(v.get("reason"), d.error().reasonAsString());
            }
            case "BYE" -> assertEquals(v.intNumber("reason"), d.bye().reason());
            default -> throw new IllegalArgumentException(v.type());
        }
    }

    private static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
