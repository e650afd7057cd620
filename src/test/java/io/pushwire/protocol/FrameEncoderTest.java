package io.pushwire.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 22]);

    @Test
    void shouldEncodeA270SecondPingInFourBytes()
    {
        assertEquals(4, FrameEncoder.ping(buffer, 0, 270));
        assertEquals("03028e02", HexFormat.of().formatHex(buffer.byteArray(), 0, 4));
    }

    @Test
    void shouldSizeVarintsMinimally()
    {
        final long[] values = { 0, 1, 127, 128, 16383, 16384, (1L << 21) - 1, 1L << 21, Long.MAX_VALUE, -1L };
        final int[] sizes = { 1, 1, 1, 2, 2, 3, 3, 4, 9, 10 };
        for (int i = 0; i < values.length; i++)
        {
            assertEquals(sizes[i], Varint.sizeOf(values[i]), "sizeOf " + values[i]);
            assertEquals(sizes[i], Varint.put(buffer, 3, values[i]));
            assertEquals(sizes[i], Varint.length(buffer, 3, 3 + sizes[i]));
            assertEquals(values[i], Varint.get(buffer, 3));
            assertEquals(0, Varint.length(buffer, 3, 3 + sizes[i] - 1), "truncated");
        }
    }

    @Test
    void shouldWriteMinimalHeaderAtEveryLengthBoundary()
    {
        final int[] lengths = { 0, 127, 128, 16383, 16384, Protocol.MAX_BODY_LENGTH };
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Protocol.MAX_BODY_LENGTH]);
        for (final int bodyLength : lengths)
        {
            final int headerLength = FrameHeader.headerLengthFor(bodyLength);
            final int payloadLength = bodyLength - 2; // requestId 1 byte + appId 1 byte
            if (payloadLength < 0)
            {
                continue;
            }
            final int length = FrameEncoder.up(buffer, 0, 1, 1, payload, 0, payloadLength);
            assertEquals(headerLength + bodyLength, length);
            assertEquals(length, FrameHeader.frameLength(buffer, 0, length, Protocol.MAX_BODY_LENGTH));
            assertEquals(headerLength, FrameHeader.headerLength(buffer, 0));
            assertEquals(bodyLength, FrameHeader.bodyLength(buffer, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> FrameHeader.put(buffer, 0, FrameType.UP, Protocol.MAX_BODY_LENGTH + 1));
    }

    @Test
    void shouldBoundMsgFrameLength()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        final int length = FrameEncoder.msg(buffer, 0, FrameType.FLAG_HIGH_PRIORITY, -1L, -1L, -1L, Integer.MAX_VALUE, payload, 0, 1024);
        assertTrue(length <= FrameEncoder.maxMsgFrameLength(1024), length + " > " + FrameEncoder.maxMsgFrameLength(1024));
    }

    @Test
    void shouldTruncateErrorReasonAtACharacterBoundaryWithin200Bytes()
    {
        final String reason = "\u00e9".repeat(150); // 300 bytes of UTF-8
        final int length = FrameEncoder.error(buffer, 0, ErrorCode.INTERNAL, reason);
        final ErrorDecoder decoder = new ErrorDecoder();
        final int headerLength = FrameHeader.headerLength(buffer, 0);
        assertEquals(0, decoder.wrap(buffer, headerLength, length - headerLength));
        assertEquals(200, decoder.reasonLength());
        assertEquals("\u00e9".repeat(100), decoder.reasonAsString());

        final String odd = "a" + "\u4e2d".repeat(70); // 1 + 210 bytes: cut at 199
        final int oddLength = FrameEncoder.error(buffer, 0, ErrorCode.INTERNAL, odd);
        assertEquals(0, decoder.wrap(buffer, FrameHeader.headerLength(buffer, 0), oddLength - FrameHeader.headerLength(buffer, 0)));
        assertEquals(199, decoder.reasonLength());
    }

    @Test
    void shouldEncodeStringsAsUtf8LikeTheJdk()
    {
        final String text = "a\u00e9\u4e2d\ud83d\ude00z";
        final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, Utf8.encodedLength(text));
        assertEquals(expected.length, Utf8.put(buffer, 0, text, 1000));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(buffer.byteArray(), 0, expected.length));
        assertTrue(Utf8.isValid(buffer, 0, expected.length));
        assertEquals(1, Utf8.put(buffer, 0, "\ud800", 10), "an unpaired surrogate becomes '?'");
        assertEquals('?', buffer.getByte(0));
    }

    @Test
    void shouldNameTypesCodesAndReasons()
    {
        assertEquals("PING", FrameType.name(FrameType.PING));
        assertEquals("UNKNOWN(18)", FrameType.name(18));
        assertEquals("FRAME_TOO_LARGE", ErrorCode.describe(ErrorCode.FRAME_TOO_LARGE));
        assertEquals("FRAME_TOO_LARGE", ErrorCode.describe(-ErrorCode.FRAME_TOO_LARGE));
        assertEquals("WRONG_DIRECTION", ErrorCode.describe(28));
        assertEquals("OVERLOADED", CloseReason.describe(12));
        assertTrue(FrameType.isClientToServer(FrameType.BYE) && FrameType.isServerToClient(FrameType.BYE));
        assertTrue(!FrameType.isClientToServer(FrameType.MSG) && FrameType.isServerToClient(FrameType.MSG));
        for (int type = 1; type <= FrameType.MAX_TYPE; type++)
        {
            assertTrue(FrameType.isClientToServer(type) || FrameType.isServerToClient(type), FrameType.name(type));
        }
    }

    @Test
    void shouldRoundTripProbeDatagrams()
    {
        assertEquals(Probe.REQUEST_LENGTH, Probe.encodeRequest(buffer, 5, 0xFEDC_BA98_7654_3210L));
        assertTrue(Probe.isRequest(buffer, 5, Probe.REQUEST_LENGTH));
        assertTrue(!Probe.isRequest(buffer, 5, Probe.REQUEST_LENGTH + 1));
        assertEquals(0xFEDC_BA98_7654_3210L, Probe.nonce(buffer, 5));
        assertEquals(Probe.RESPONSE_LENGTH, Probe.encodeResponse(buffer, 5, 7, 1000, 4_000_000_000L, Probe.FLAG_FULL));
        assertTrue(Probe.isResponse(buffer, 5, Probe.RESPONSE_LENGTH));
        assertEquals(4_000_000_000L, Probe.connections(buffer, 5));
        assertEquals(1000, Probe.loadPermille(buffer, 5));
        assertEquals(Probe.FLAG_FULL, Probe.flags(buffer, 5));
    }
}
