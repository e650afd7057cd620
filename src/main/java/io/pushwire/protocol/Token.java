package io.pushwire.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Layout of a device token, v1: opaque bytes to the device, issued by the app's back end, checked by the gateway.
 * <pre>
 *   version     u8       = 1
 *   keyId       varint   which secret signed it (0..2^31-1)
 *   issuedAt    varint   epoch seconds
 *   expiresAt   varint   epoch seconds
 *   deviceHash  4 bytes  first 4 bytes of SHA-256(deviceId UTF-8)
 *   mac         16 bytes first 16 bytes of HMAC-SHA256(secret[keyId],
 *                          "pushwire-token-v1" || every token byte before mac || deviceId UTF-8)
 * </pre>
 * Varints must be minimal. The device hash lets a verifier tell "issued for another device"
 * ({@link ErrorCode#TOKEN_WRONG_DEVICE}) from "tampered or forged" ({@link ErrorCode#TOKEN_BAD_SIGNATURE}); it is
 * not a secret and proves nothing by itself: the MAC, which also covers the device id, does. Printed as base64url
 * without padding.
 */
public final class Token
{
    public static final int VERSION = 1;
    public static final int DEVICE_HASH_LENGTH = 4;
    public static final int MAC_LENGTH = 16;
    public static final int MIN_LENGTH = 1 + 1 + 1 + 1 + DEVICE_HASH_LENGTH + MAC_LENGTH;
    public static final int MAX_LENGTH = 1 + 5 + Varint.MAX_LENGTH + Varint.MAX_LENGTH + DEVICE_HASH_LENGTH + MAC_LENGTH;
    public static final String HMAC_ALGORITHM = "HmacSHA256";
    public static final String HASH_ALGORITHM = "SHA-256";

    static final byte[] DOMAIN = "pushwire-token-v1".getBytes(StandardCharsets.US_ASCII);

    private Token()
    {
    }

    /**
     * @param token the token bytes.
     * @return base64url without padding.
     */
    public static String toBase64Url(final byte[] token)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * @param text base64url, with or without padding.
     * @return the token bytes.
     * @throws IllegalArgumentException if it is not base64url.
     */
    public static byte[] fromBase64Url(final String text)
    {
        return Base64.getUrlDecoder().decode(text.trim());
    }

    /**
     * @param token  holds the token.
     * @param offset first byte.
     * @param length token length.
     * @return the key id, or -1 if the token is malformed.
     */
    public static int keyId(final DirectBuffer token, final int offset, final int length)
    {
        final int end = offset + length;
        if (length < MIN_LENGTH || token.getByte(offset) != VERSION)
        {
            return -1;
        }
        final int n = Varint.length(token, offset + 1, end);
        if (n <= 0)
        {
            return -1;
        }
        final long keyId = Varint.get(token, offset + 1);
        return keyId < 0 || keyId > Integer.MAX_VALUE ? -1 : (int)keyId;
    }
}
