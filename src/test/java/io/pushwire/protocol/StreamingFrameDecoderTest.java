package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingFrameDecoderTest
{
    private final UnsafeBuffer stream = new UnsafeBuffer(new byte[64 * 1024]);
    private int streamLength;

    @Test
    void shouldGiveIdenticalFramesWhetherFedWholeByteByByteOrInRandomSplits()
    {
        final int length = writeMixedFrames();

        final List<String> whole = new ArrayList<>();
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH, true);
        assertEquals(0, decoder.onBytes(stream, 0, length, recorder(whole)));
        assertEquals(0, decoder.pendingLength());
        assertEquals(11, whole.size());

        final List<String> oneByOne = new ArrayList<>();
        final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);
        for (int i = 0; i < length; i++)
        {
            one.putByte(0, stream.getByte(i));
            assertEquals(0, decoder.onBytes(one, 0, 1, recorder(oneByOne)));
        }
        assertEquals(whole, oneByOne);

        final Random random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            final List<String> split = new ArrayList<>();
            int position = 0;
            while (position < length)
            {
                final int chunk = Math.min(length - position, 1 + random.nextInt(random.nextBoolean() ? 8 : 3000));
                // Copy each chunk into its own buffer at an offset, as a socket read would deliver it.
                final UnsafeBuffer read = new UnsafeBuffer(new byte[chunk + 7]);
                read.putBytes(7, stream, position, chunk);
                assertEquals(0, decoder.onBytes(read, 7, chunk, recorder(split)));
                position += chunk;
            }
            assertEquals(whole, split, "round " + round);
        }
    }

    @Test
    void shouldDeliverWholeFramesInPlaceWithoutCopying()
    {
        final int length = writeMixedFrames();
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH);
        final List<DirectBuffer> buffers = new ArrayList<>();
        decoder.onBytes(stream, 0, length, (type, flags, buffer, offset, bodyLength) -> buffers.add(buffer));
        for (final DirectBuffer buffer : buffers)
        {
            assertSame(stream, buffer);
        }
    }

    @Test
    void shouldBufferNoMoreThanOneFrame()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1000]);
        final int length = FrameEncoder.msg(stream, 0, 0, 0, 1, 1, 1, payload, 0, 1000);
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(1004);
        final int[] frames = new int[1];
        assertEquals(0, decoder.onBytes(stream, 0, length - 1, (t, f, b, o, l) -> frames[0]++));
        assertEquals(length - 1, decoder.pendingLength());
        assertEquals(0, decoder.onBytes(stream, length - 1, 1, (t, f, b, o, l) -> frames[0]++));
        assertEquals(1, frames[0]);
        assertEquals(0, decoder.pendingLength());
    }

    @Test
    void shouldRefuseAnOversizedFrameBeforeItsBodyArrives()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
        final int length = FrameEncoder.msg(stream, 0, 0, 0, 1, 1, 1, payload, 0, 200);
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(100);
        assertEquals(0, decoder.onBytes(stream, 0, 1, (t, f, b, o, l) -> {}));
        assertEquals(0, decoder.onBytes(stream, 1, 1, (t, f, b, o, l) -> {}));
        assertEquals(-ErrorCode.FRAME_TOO_LARGE, decoder.onBytes(stream, 2, 1, (t, f, b, o, l) -> {}));
        assertTrue(length > 100);
    }

    @Test
    void shouldDeliverFramesBeforeTheBadOneThenStop()
    {
        int p = FrameEncoder.ping(stream, 0, 270);
        p += FrameEncoder.ack(stream, p, 0, 5);
        stream.putByte(p++, (byte)0x00);
        final List<String> frames = new ArrayList<>();
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH);
        assertEquals(-ErrorCode.UNKNOWN_TYPE, decoder.onBytes(stream, 0, p, recorder(frames)));
        assertEquals(2, frames.size());
        assertEquals(-ErrorCode.UNKNOWN_TYPE, decoder.error());
    }

    private int writeMixedFrames()
    {
        final UnsafeBuffer small = new UnsafeBuffer("hello".getBytes());
        final UnsafeBuffer large = new UnsafeBuffer(new byte[5000]);
        for (int i = 0; i < 5000; i++)
        {
            large.putByte(i, (byte)i);
        }
        int p = 0;
        p += FrameEncoder.hello(stream, p, 1, "dev-1", new byte[]{ 1, 2, 3 }, 270, new long[]{ 0, 1 }, new long[]{ 5, 9 }, 2);
        p += FrameEncoder.welcome(stream, p, 1, 270, 0x1234_5678_9ABCL, 1_767_225_600_000L);
        p += FrameEncoder.ping(stream, p, 270);
        p += FrameEncoder.msg(stream, p, FrameType.FLAG_HIGH_PRIORITY, 0, 1, 77, 3, small, 0, 5);
        p += FrameEncoder.msg(stream, p, 0, 1, 2, 78, 3, large, 0, 5000);
        p += FrameEncoder.notify(stream, p, 0, 3);
        p += FrameEncoder.pull(stream, p, 0, 2, 3);
        p += FrameEncoder.sub(stream, p, 1, "news/sports");
        p += FrameEncoder.redirect(stream, p, 1, 500, new String[]{ "gw-2.example.net", "10.0.0.1" }, new int[]{ 5222, 443 }, 2);
        p += FrameEncoder.error(stream, p, ErrorCode.RATE_LIMITED, "slow down \u00e9\u4e2d\ud83d\ude00");
        p += FrameEncoder.bye(stream, p, CloseReason.CLIENT_CLOSE);
        streamLength = p;
        return p;
    }

    private static FrameHandler recorder(final List<String> frames)
    {
        return (type, flags, buffer, offset, length) ->
        {
            final byte[] body = new byte[length];
            buffer.getBytes(offset, body);
            frames.add(FrameType.name(type) + "/" + flags + "/" + HexFormat.of().formatHex(body));
        };
    }

    int streamLength()
    {
        return streamLength;
    }
}
