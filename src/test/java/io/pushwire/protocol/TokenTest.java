package io.pushwire.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenTest
{
    private static final String SECRET_1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String SECRET_2 = "f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101";
    private static final long NOW = 1_767_225_600L;
    private static final long DAY = 86_400;

    private final TokenKeys keys = TokenKeys.parse("1:" + SECRET_1 + ", 2:" + SECRET_2);
    private final TokenIssuer issuer = new TokenIssuer(keys);
    private final TokenVerifier verifier = new TokenVerifier(keys);

    @Test
    void shouldAcceptAValidToken()
    {
        final byte[] token = issuer.issue(1, "dev-1", NOW, NOW + 30 * DAY);
        assertEquals(0, verify(token, "dev-1", NOW));
        assertEquals(0, verify(token, "dev-1", NOW + 30 * DAY), "valid up to and including expiresAt");
        assertArrayEquals(token, Token.fromBase64Url(Token.toBase64Url(token)));
        assertEquals(-1, Token.toBase64Url(token).indexOf('='), "no padding");
    }

    @Test
    void shouldRefuseAnExpiredToken()
    {
        final byte[] token = issuer.issue(1, "dev-1", NOW - 10 * DAY, NOW - DAY);
        assertEquals(-ErrorCode.TOKEN_EXPIRED, verify(token, "dev-1", NOW));
    }

    @Test
    void shouldRefuseAFutureDatedTokenBeyondTheSkew()
    {
        assertEquals(0, verify(issuer.issue(1, "dev-1", NOW + 300, NOW + DAY), "dev-1", NOW));
        assertEquals(-ErrorCode.TOKEN_FUTURE_DATED, verify(issuer.issue(1, "dev-1", NOW + 301, NOW + DAY), "dev-1", NOW));
    }

    @Test
    void shouldRefuseATokenOfAnotherDeviceAsWrongDevice()
    {
        final byte[] token = issuer.issue(1, "dev-1", NOW, NOW + DAY);
        assertEquals(-ErrorCode.TOKEN_WRONG_DEVICE, verify(token, "dev-2", NOW));
    }

    @Test
    void shouldRefuseATamperedTokenAsBadSignature()
    {
        final byte[] token = issuer.issue(1, "dev-1", NOW, NOW + DAY);
        final byte[] longer = issuer.issue(1, "dev-1", NOW, NOW + 365 * DAY);
        // Splice a later expiry into the first token's MAC: same length, so only the MAC can tell.
        final byte[] forged = longer.clone();
        System.arraycopy(token, token.length - Token.MAC_LENGTH, forged, forged.length - Token.MAC_LENGTH, Token.MAC_LENGTH);
        assertEquals(-ErrorCode.TOKEN_BAD_SIGNATURE, verify(forged, "dev-1", NOW));

        for (int i = token.length - Token.MAC_LENGTH; i < token.length; i++)
        {
            final byte[] flipped = token.clone();
            flipped[i] ^= 0x01;
            assertEquals(-ErrorCode.TOKEN_BAD_SIGNATURE, verify(flipped, "dev-1", NOW), "mac byte " + i);
        }
        final byte[] otherKeySameId = new TokenIssuer(TokenKeys.of(1, HexFormat.of().parseHex(SECRET_2)))
            .issue(1, "dev-1", NOW, NOW + DAY);
        assertEquals(-ErrorCode.TOKEN_BAD_SIGNATURE, verify(otherKeySameId, "dev-1", NOW));
    }

    @Test
    void shouldRefuseAnUnknownKey()
    {
        final byte[] token = new TokenIssuer(TokenKeys.of(9, HexFormat.of().parseHex(SECRET_1))).issue(9, "dev-1", NOW, NOW + DAY);
        assertEquals(-ErrorCode.TOKEN_UNKNOWN_KEY, verify(token, "dev-1", NOW));
    }

    @Test
    void shouldRefuseMalformedTokens()
    {
        final byte[] token = issuer.issue(1, "dev-1", NOW, NOW + DAY);
        for (int length = 0; length < token.length; length++)
        {
            final byte[] truncated = java.util.Arrays.copyOf(token, length);
            final int result = verify(truncated, "dev-1", NOW);
            assertEquals(true, result == -ErrorCode.TOKEN_MALFORMED, "truncated to " + length + ": " + ErrorCode.describe(result));
        }
        final byte[] badVersion = token.clone();
        badVersion[0] = 2;
        assertEquals(-ErrorCode.TOKEN_MALFORMED, verify(badVersion, "dev-1", NOW));
        final byte[] tooLong = java.util.Arrays.copyOf(token, 47);
        assertEquals(-ErrorCode.TOKEN_MALFORMED, verify(tooLong, "dev-1", NOW));
        final byte[] extraByte = java.util.Arrays.copyOf(token, token.length + 1);
        assertEquals(-ErrorCode.TOKEN_MALFORMED, verify(extraByte, "dev-1", NOW));
        final byte[] nonMinimal = HexFormat.of().parseHex("01" + "8100" + HexFormat.of().formatHex(token, 2, token.length));
        assertEquals(-ErrorCode.TOKEN_MALFORMED, verify(nonMinimal, "dev-1", NOW));
    }

    @Test
    void shouldAcceptTokensOfEitherKeyDuringRotation()
    {
        final byte[] old = issuer.issue(1, "dev-1", NOW, NOW + DAY);
        final byte[] rotated = issuer.issue(keys.newestKeyId(), "dev-1", NOW, NOW + DAY);
        assertEquals(2, keys.newestKeyId());
        assertEquals(0, verify(old, "dev-1", NOW));
        assertEquals(0, verify(rotated, "dev-1", NOW));

        final TokenVerifier afterRetirement = new TokenVerifier(TokenKeys.parse("2:" + SECRET_2));
        assertEquals(-ErrorCode.TOKEN_UNKNOWN_KEY, verify(afterRetirement, old, "dev-1"));
        assertEquals(0, verify(afterRetirement, rotated, "dev-1"));
    }

    @Test
    void shouldRefuseBadKeySettings()
    {
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("1:00ff"));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("x:" + SECRET_1));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("1:" + SECRET_1 + ",1:" + SECRET_2));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("1:zz" + SECRET_1));
    }

    @Test
    void shouldVerifyAtAnOffsetInsideAHelloFrame()
    {
        final byte[] token = issuer.issue(2, "dev-\u00e9", NOW, NOW + DAY);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = FrameEncoder.hello(frame, 9, 1, "dev-\u00e9", token, 270, new long[0], new long[0], 0);
        final HelloDecoder hello = new HelloDecoder();
        final int headerLength = FrameHeader.headerLength(frame, 9);
        assertEquals(0, hello.wrap(frame, 9 + headerLength, length - headerLength));
        assertEquals(0, verifier.verify(frame, hello.tokenOffset(), hello.tokenLength(),
            frame, hello.deviceIdOffset(), hello.deviceIdLength(), NOW));
    }

    private int verify(final byte[] token, final String deviceId, final long now)
    {
        final byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return verifier.verify(new UnsafeBuffer(token), 0, token.length, new UnsafeBuffer(id), 0, id.length, now);
    }

    private static int verify(final TokenVerifier verifier, final byte[] token, final String deviceId)
    {
        final byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return verifier.verify(new UnsafeBuffer(token), 0, token.length, new UnsafeBuffer(id), 0, id.length, NOW);
    }
}
