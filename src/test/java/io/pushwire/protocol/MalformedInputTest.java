package io.pushwire.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every way a frame can be bad, each with its exact error code, through the body decoders, through
 * {@link FrameHeader#frameLength}, and through {@link StreamingFrameDecoder} whole and one byte at a time.
 */
class MalformedInputTest
{
    private static final int MAX = Protocol.DEFAULT_MAX_BODY_LENGTH;

    @Test
    void shouldRefuseOversizedLengthAsSoonAsTheLengthIsComplete()
    {
        // 16385 = 81 80 01: refused with no body byte present.
        assertHeader(ErrorCode.FRAME_TOO_LARGE, "05 81 80 01");
        assertEquals(0, frameLength("05 81 80"), "still incomplete");
        assertEquals(-ErrorCode.FRAME_TOO_LARGE, FrameHeader.frameLength(buffer("03 0b"), 0, 2, 10));
        assertEquals(0, FrameHeader.frameLength(buffer("03 0a"), 0, 2, 10));
    }

    @Test
    void shouldRefuseOverlongLengthVarintAtItsThirdByte()
    {
        assertHeader(ErrorCode.VARINT_OVERLONG, "03 80 80 80");
        assertEquals(-ErrorCode.VARINT_OVERLONG, frameLength("03 ff ff 80"));
    }

    @Test
    void shouldRefuseNonMinimalLengthVarint()
    {
        assertHeader(ErrorCode.VARINT_OVERLONG, "03 82 00 8e 02");
        assertHeader(ErrorCode.VARINT_OVERLONG, "03 80 80 00");
    }

    @Test
    void shouldRefuseUnknownTypeAndTypeZeroFromTheFirstByte()
    {
        assertHeader(ErrorCode.UNKNOWN_TYPE, "00");
        assertHeader(ErrorCode.UNKNOWN_TYPE, "12");
        assertHeader(ErrorCode.UNKNOWN_TYPE, "1f 00");
        assertHeader(ErrorCode.UNKNOWN_TYPE, "e0 00");
    }

    @Test
    void shouldRefuseUndefinedFlags()
    {
        assertHeader(ErrorCode.BAD_FLAGS, "23");
        assertHeader(ErrorCode.BAD_FLAGS, "45 05 00 01 01 01 00");
        assertHeader(ErrorCode.BAD_FLAGS, "a5 05 00 01 01 01 00");
        assertEquals(7, frameLength("25 05 00 01 01 01 00"), "high priority is defined for MSG");
    }

    @Test
    void shouldRefuseOverlongAndOversizedFieldVarints()
    {
        assertBody(FrameType.ACK, ErrorCode.VARINT_OVERLONG, "00 ff ff ff ff ff ff ff ff ff ff 01");
        assertBody(FrameType.ACK, ErrorCode.VARINT_OVERLONG, "00 ff ff ff ff ff ff ff ff ff 02");
        assertBody(FrameType.ACK, 0, "00 ff ff ff ff ff ff ff ff ff 01");
    }

    @Test
    void shouldRefuseNonMinimalFieldVarint()
    {
        assertBody(FrameType.PING, ErrorCode.VARINT_OVERLONG, "80 00");
        assertBody(FrameType.NOTIFY, ErrorCode.VARINT_OVERLONG, "00 8e 82 00");
    }

    @Test
    void shouldRefuseIntFieldAboveIntRangeAsMalformed()
    {
        assertBody(FrameType.PING, ErrorCode.MALFORMED, "80 80 80 80 08");
        assertBody(FrameType.PING, 0, "ff ff ff ff 07");
    }

    @Test
    void shouldRefuseUnsupportedVersion()
    {
        assertBody(FrameType.HELLO, ErrorCode.UNSUPPORTED_VERSION, "00 02 64 31 01 ff 00 00");
        assertBody(FrameType.HELLO, 0, "07 02 64 31 01 ff 00 00");
        assertEquals(1, Protocol.negotiateVersion(7));
        assertEquals(-ErrorCode.UNSUPPORTED_VERSION, Protocol.negotiateVersion(0));
    }

    @Test
    void shouldRefuseTruncatedFields()
    {
        assertBody(FrameType.ACK, ErrorCode.TRUNCATED, "00");
        assertBody(FrameType.ACK, ErrorCode.TRUNCATED, "00 80");
        assertBody(FrameType.PING, ErrorCode.TRUNCATED, "");
        assertBody(FrameType.WELCOME, ErrorCode.TRUNCATED, "01 8e 02 05");
        assertBody(FrameType.MSG, ErrorCode.TRUNCATED, "00 01 01");
    }

    @Test
    void shouldRefuseInnerFieldOverrunningTheBody()
    {
        assertBody(FrameType.HELLO, ErrorCode.TRUNCATED, "01 02 64 31 05 ff 00 00");
        assertBody(FrameType.HELLO, ErrorCode.TRUNCATED, "01 05 64 31");
        assertBody(FrameType.ERROR, ErrorCode.TRUNCATED, "01 09 61 62");
        assertBody(FrameType.HELLO, ErrorCode.TRUNCATED, "01 02 64 31 01 ff 00 02 00 01");
    }

    @Test
    void shouldRefuseBadUtf8OfEveryKind()
    {
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 02 c0 80");        // overlong NUL
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 03 e0 80 80");     // overlong 3-byte
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 04 f0 80 80 80");  // overlong 4-byte
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 03 ed a0 80");     // surrogate U+D800
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 03 ed bf bf");     // surrogate U+DFFF
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 04 f4 90 80 80");  // U+110000
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 01 80");           // stray continuation
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 02 e2 82");        // truncated sequence
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 02 c3 41");        // missing continuation
        assertBody(FrameType.ERROR, ErrorCode.BAD_UTF8, "01 01 ff");           // never in UTF-8
        assertBody(FrameType.HELLO, ErrorCode.BAD_UTF8, "01 02 c0 af 01 ff 00 00");
        assertBody(FrameType.REDIRECT, ErrorCode.BAD_UTF8, "01 00 01 01 ff 01");
        // Valid edges: U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF.
        assertBody(FrameType.ERROR, 0, "01 1b 7f c2 80 df bf e0 a0 80 ed 9f bf ee 80 80 ef bf bf f0 90 80 80 f4 8f bf bf 41 42");
    }

    @Test
    void shouldRefuseEmptyRequiredFields()
    {
        assertBody(FrameType.HELLO, ErrorCode.EMPTY_FIELD, "01 00 01 ff 00 00");
        assertBody(FrameType.HELLO, ErrorCode.EMPTY_FIELD, "01 02 64 31 00 00 00");
        assertBody(FrameType.SUB, ErrorCode.EMPTY_FIELD, "01 00");
        assertBody(FrameType.REDIRECT, ErrorCode.EMPTY_FIELD, "01 00 01 00 01");
        assertBody(FrameType.ERROR, 0, "01 00");
    }

    @Test
    void shouldRefuseTooLongFields()
    {
        final StringBuilder topic = new StringBuilder("01 41");
        for (int i = 0; i < 65; i++)
        {
            topic.append(" 61");
        }
        assertBody(FrameType.SUB, ErrorCode.FIELD_TOO_LONG, topic.toString());
        assertBody(FrameType.HELLO, ErrorCode.FIELD_TOO_LONG, "01 81 01");
        assertBody(FrameType.HELLO, ErrorCode.FIELD_TOO_LONG, "01 02 64 31 81 02");
        assertBody(FrameType.ERROR, ErrorCode.FIELD_TOO_LONG, "01 c9 01");
        assertBody(FrameType.REDIRECT, ErrorCode.FIELD_TOO_LONG, "01 00 09");
        assertBody(FrameType.HELLO, ErrorCode.FIELD_TOO_LONG, "01 02 64 31 01 ff 00 ff ff ff ff ff ff ff ff ff 01");
    }

    @Test
    void shouldRefuseTooManyCursors()
    {
        final StringBuilder body = new StringBuilder("01 02 64 31 01 ff 00 41");
        for (int i = 0; i < 65; i++)
        {
            body.append(" 00 01");
        }
        assertBody(FrameType.HELLO, ErrorCode.FIELD_TOO_LONG, body.toString());

        final StringBuilder max = new StringBuilder("01 02 64 31 01 ff 00 40");
        for (int i = 0; i < 64; i++)
        {
            max.append(" 00 01");
        }
        assertBody(FrameType.HELLO, 0, max.toString());
    }

    @Test
    void shouldRefuseTrailingGarbage()
    {
        assertBody(FrameType.PING, ErrorCode.TRAILING_BYTES, "8e 02 00");
        assertBody(FrameType.HELLO, ErrorCode.TRAILING_BYTES, "01 02 64 31 01 ff 00 00 00");
        assertBody(FrameType.SUB, ErrorCode.TRAILING_BYTES, "01 01 61 61");
        assertBody(FrameType.BYE, ErrorCode.TRAILING_BYTES, "07 07");
        assertBody(FrameType.MSG, 0, "00 01 01 01 ff ff ff");
    }

    @Test
    void shouldRefuseBadRanges()
    {
        assertBody(FrameType.PULL, ErrorCode.BAD_RANGE, "00 05 04");
        assertBody(FrameType.PULL, ErrorCode.BAD_RANGE, "00 00 04");
        assertBody(FrameType.PULL, 0, "00 05 05");
        assertBody(FrameType.GAP, ErrorCode.BAD_RANGE, "00 05 04 01");
        assertBody(FrameType.PULL, 0, "00 01 ff ff ff ff ff ff ff ff ff 01");
    }

    @Test
    void shouldRefuseBadTopicCharacters()
    {
        assertBody(FrameType.SUB, ErrorCode.BAD_TOPIC, "01 03 61 20 62");
        assertBody(FrameType.UNSUB, ErrorCode.BAD_TOPIC, "01 02 c3 a9");
        assertBody(FrameType.SUB, ErrorCode.BAD_TOPIC, "01 01 2a");
        assertBody(FrameType.SUB, ErrorCode.BAD_TOPIC, "01 01 00");
        assertBody(FrameType.SUB, 0, "01 0b 41 7a 30 39 2e 5f 2f 2d 61 2d 62");
    }

    @Test
    void shouldRefuseRedirectPortOutOfRange()
    {
        assertBody(FrameType.REDIRECT, ErrorCode.MALFORMED, "01 00 01 01 61 00");
        assertBody(FrameType.REDIRECT, ErrorCode.MALFORMED, "01 00 01 01 61 80 80 04");
        assertBody(FrameType.REDIRECT, 0, "01 00 01 01 61 ff ff 03");
    }

    @Test
    void shouldKeepTheFirstErrorOnlyUntilReset()
    {
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(MAX, true);
        final byte[] bad = hex("00 00");
        final byte[] good = hex("03 02 8e 02");
        assertEquals(-ErrorCode.UNKNOWN_TYPE, decoder.onBytes(new UnsafeBuffer(bad), 0, bad.length, (t, f, b, o, l) -> {}));
        final int[] frames = new int[1];
        assertEquals(-ErrorCode.UNKNOWN_TYPE, decoder.onBytes(new UnsafeBuffer(good), 0, good.length, (t, f, b, o, l) -> frames[0]++));
        decoder.reset();
        assertEquals(0, decoder.onBytes(new UnsafeBuffer(good), 0, good.length, (t, f, b, o, l) -> frames[0]++));
        assertEquals(1, frames[0]);
    }

    private static void assertHeader(final int expectedCode, final String hex)
    {
        assertEquals(-expectedCode, frameLength(hex), hex);
        assertStreaming(expectedCode, hex(hex));
    }

    private static int frameLength(final String hex)
    {
        final byte[] bytes = hex(hex);
        return FrameHeader.frameLength(new UnsafeBuffer(bytes), 0, bytes.length, MAX);
    }

    /**
     * The body through its decoder, and as a whole frame through the streaming decoder with body validation.
     */
    private static void assertBody(final int type, final int expectedCode, final String bodyHex)
    {
        final byte[] body = hex(bodyHex);
        final FrameDecoders decoders = new FrameDecoders();
        // Place the body at an offset inside a larger buffer, so overruns would read the guard bytes.
        final byte[] padded = new byte[body.length + 16];
        java.util.Arrays.fill(padded, (byte)0x01);
        System.arraycopy(body, 0, padded, 8, body.length);
        assertEquals(-expectedCode, decoders.wrap(type, 0, new UnsafeBuffer(padded), 8, body.length),
            () -> FrameType.name(type) + " " + bodyHex);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[body.length + FrameHeader.MAX_HEADER_LENGTH]);
        final int headerLength = FrameHeader.put(frame, 0, type, body.length);
        frame.putBytes(headerLength, body);
        final byte[] bytes = new byte[headerLength + body.length];
        frame.getBytes(0, bytes);
        assertStreaming(expectedCode, bytes);
    }

    private static void assertStreaming(final int expectedCode, final byte[] bytes)
    {
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(MAX, true);
        final int[] frames = new int[1];
        assertEquals(-expectedCode, decoder.onBytes(new UnsafeBuffer(bytes), 0, bytes.length, (t, f, b, o, l) -> frames[0]++),
            () -> "whole " + HexFormat.of().formatHex(bytes));
        assertEquals(expectedCode == 0 ? 1 : 0, frames[0]);

        decoder.reset();
        final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);
        int result = 0;
        for (int i = 0; i < bytes.length && result == 0; i++)
        {
            one.putByte(0, bytes[i]);
            result = decoder.onBytes(one, 0, 1, (t, f, b, o, l) -> {});
        }
        assertEquals(-expectedCode, result, () -> "byte by byte " + HexFormat.of().formatHex(bytes));
    }

    private static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(hex(hex));
    }

    private static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
