package io.pushwire.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the decoders: arbitrary bytes through {@link StreamingFrameDecoder} (validating bodies, whole and split) and
 * through every body decoder directly. Invariants: no exception (bounds checks are on, so an out-of-bounds read
 * throws), the result is 0 or a defined {@code -ErrorCode}, splitting the input changes nothing, and every frame that
 * decodes re-encodes to identical bytes (this holds for every v1 type, since all encodings are minimal).
 * <p>
 * In the normal build Jazzer runs in regression mode and replays the stored inputs under
 * {@code src/test/resources/io/pushwire/protocol/FrameDecoderFuzzTestInputs/}; {@code make fuzz} fuzzes for real.
 * {@link #shouldHoldTheInvariantsOnRandomInputs()} checks the same invariants with plain seeded random inputs.
 */
class FrameDecoderFuzzTest
{
    private static final int MAX_BODY = 4096;

    private final StreamingFrameDecoder whole = new StreamingFrameDecoder(MAX_BODY, true);
    private final StreamingFrameDecoder split = new StreamingFrameDecoder(MAX_BODY, true);
    private final FrameDecoders direct = new FrameDecoders();
    private final UnsafeBuffer reencoded = new UnsafeBuffer(new byte[MAX_BODY + 64]);
    private final StringBuilder wholeFrames = new StringBuilder();
    private final StringBuilder splitFrames = new StringBuilder();

    @FuzzTest(maxDuration = "60s")
    void decodeStream(final byte[] input)
    {
        checkStream(input);
    }

    @FuzzTest(maxDuration = "60s")
    void decodeBody(final byte[] input)
    {
        checkBody(input);
    }

    @Test
    void shouldHoldTheInvariantsOnRandomInputs()
    {
        final Random random = new Random(20260101);
        final UnsafeBuffer valid = new UnsafeBuffer(new byte[512]);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] input;
            if (random.nextBoolean())
            {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean())
                {
                    input[0] = (byte)(1 + random.nextInt(FrameType.MAX_TYPE));
                }
            }
            else
            {
                // A valid frame with a few bytes flipped, so mutations reach deep into the body checks.
                final int length = FrameEncoder.hello(valid, 0, 1, "dev-" + i, new byte[]{ 1, 2 }, 270,
                    new long[]{ 0, i }, new long[]{ i, 1L << (i % 63) }, 2);
                input = Arrays.copyOf(valid.byteArray(), length);
                input[random.nextInt(length)] ^= (byte)(1 << random.nextInt(8));
            }
            checkStream(input);
            checkBody(input);
        }
    }

    private void checkStream(final byte[] input)
    {
        final UnsafeBuffer src = new UnsafeBuffer(input);
        whole.reset();
        wholeFrames.setLength(0);
        final int wholeResult = whole.onBytes(src, 0, input.length, this::onWholeFrame);
        assertDefined(wholeResult);

        split.reset();
        splitFrames.setLength(0);
        int splitResult = 0;
        final int step = input.length > 0 ? 1 + (input[input.length - 1] & 7) : 1;
        for (int p = 0; p < input.length && splitResult == 0; p += step)
        {
            splitResult = split.onBytes(src, p, Math.min(step, input.length - p), (t, f, b, o, l) -> record(splitFrames, t, f, b, o, l));
        }
        assertEquals(wholeResult, splitResult);
        assertEquals(wholeFrames.toString(), splitFrames.toString());
    }

    private void checkBody(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final int type = input[0] & FrameType.TYPE_MASK;
        final int flags = input[0] & FrameType.allowedFlags(FrameType.isKnown(type) ? type : 0);
        // Wrap the body in the middle of a larger array, so a read past either end is caught by the bounds checks.
        final UnsafeBuffer buffer = new UnsafeBuffer(input, 1, input.length - 1);
        final int result = direct.wrap(type, flags, buffer, 0, input.length - 1);
        assertDefined(result);
        if (result == 0 && input.length - 1 <= MAX_BODY)
        {
            final int length = reencode(type, flags, buffer);
            final int headerLength = FrameHeader.headerLength(reencoded, 0);
            assertEquals(input.length - 1, length - headerLength, FrameType.name(type));
            assertArrayEquals(Arrays.copyOfRange(input, 1, input.length),
                Arrays.copyOfRange(reencoded.byteArray(), headerLength, length), FrameType.name(type));
        }
    }

    private void onWholeFrame(final int type, final int flags, final DirectBuffer buffer, final int offset, final int length)
    {
        record(wholeFrames, type, flags, buffer, offset, length);
        // The body decoders have validated this frame: re-encoding its fields must give back the same bytes.
        final FrameDecoders decoders = whole.decoders();
        final int total = reencode(type, flags, buffer, decoders);
        final int headerLength = FrameHeader.headerLength(reencoded, 0);
        assertEquals(length, total - headerLength, FrameType.name(type));
        for (int i = 0; i < length; i++)
        {
            assertEquals(buffer.getByte(offset + i), reencoded.getByte(headerLength + i), FrameType.name(type));
        }
        assertEquals(FrameHeader.headerLengthFor(length), headerLength);
    }

    private int reencode(final int type, final int flags, final DirectBuffer buffer)
    {
        return reencode(type, flags, buffer, direct);
    }

    private int reencode(final int type, final int flags, final DirectBuffer buffer, final FrameDecoders d)
    {
        final MutableDirectBuffer out = reencoded;
        return switch (type)
        {
            case FrameType.HELLO ->
            {
                final HelloDecoder h = d.hello();
                final long[] ids = new long[h.cursorCount()];
                final long[] seqs = new long[h.cursorCount()];
                for (int i = 0; i < ids.length; i++)
                {
                    ids[i] = h.cursorStreamId(i);
                    seqs[i] = h.cursorSeq(i);
                }
                yield FrameEncoder.hello(out, 0, h.version(), buffer, h.deviceIdOffset(), h.deviceIdLength(), buffer,
                    h.tokenOffset(), h.tokenLength(), h.heartbeatSec(), ids, seqs, ids.length);
            }
            case FrameType.WELCOME -> FrameEncoder.welcome(out, 0, d.welcome().version(), d.welcome().heartbeatSec(),
                d.welcome().sessionId(), d.welcome().serverTimeMs());
            case FrameType.PING -> FrameEncoder.ping(out, 0, d.ping().intervalSec());
            case FrameType.PONG -> FrameEncoder.pong(out, 0, d.ping().intervalSec());
            case FrameType.MSG -> FrameEncoder.msg(out, 0, flags, d.msg().streamId(), d.msg().seq(), d.msg().messageId(),
                d.msg().appId(), buffer, d.msg().payloadOffset(), d.msg().payloadLength());
            case FrameType.NOTIFY -> FrameEncoder.notify(out, 0, d.notifyDecoder().streamId(), d.notifyDecoder().newestSeq());
            case FrameType.PULL -> FrameEncoder.pull(out, 0, d.pull().streamId(), d.pull().fromSeq(), d.pull().toSeq());
            case FrameType.ACK -> FrameEncoder.ack(out, 0, d.ack().streamId(), d.ack().seq());
            case FrameType.GAP -> FrameEncoder.gap(out, 0, d.gap().streamId(), d.gap().fromSeq(), d.gap().toSeq(),
                d.gap().reason());
            case FrameType.SUB -> FrameEncoder.sub(out, 0, d.sub().requestId(), buffer, d.sub().topicOffset(),
                d.sub().topicLength());
            case FrameType.UNSUB -> FrameEncoder.unsub(out, 0, d.sub().requestId(), buffer, d.sub().topicOffset(),
                d.sub().topicLength());
            case FrameType.SUB_ACK -> FrameEncoder.subAck(out, 0, d.subAck().requestId(), d.subAck().status(),
                d.subAck().streamId(), d.subAck().headSeq());
            case FrameType.UP -> FrameEncoder.up(out, 0, d.up().requestId(), d.up().appId(), buffer,
                d.up().payloadOffset(), d.up().payloadLength());
            case FrameType.UP_ACK -> FrameEncoder.upAck(out, 0, d.upAck().requestId(), d.upAck().status());
            case FrameType.REDIRECT ->
            {
                final RedirectDecoder r = d.redirect();
                final String[] hosts = new String[r.count()];
                final int[] ports = new int[r.count()];
                for (int i = 0; i < hosts.length; i++)
                {
                    hosts[i] = r.hostAsString(i);
                    ports[i] = r.port(i);
                }
                yield FrameEncoder.redirect(out, 0, r.reason(), r.delayMs(), hosts, ports, hosts.length);
            }
            case FrameType.ERROR -> FrameEncoder.error(out, 0, d.error().code(), buffer, d.error().reasonOffset(),
                d.error().reasonLength());
            case FrameType.BYE -> FrameEncoder.bye(out, 0, d.bye().reason());
            default -> throw new AssertionError("decoded an unknown type " + type);
        };
    }

    private static void record(
        final StringBuilder frames, final int type, final int flags, final DirectBuffer buffer, final int offset, final int length)
    {
        frames.append(type).append('/').append(flags).append('/');
        for (int i = 0; i < length; i++)
        {
            frames.append(buffer.getByte(offset + i)).append(',');
        }
        frames.append(';');
    }

    private static void assertDefined(final int result)
    {
        assertTrue(result == 0 || (result < 0 && -result <= ErrorCode.MAX_CODE), "result " + result);
    }
}
