package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies device tokens ({@link Token} layout) statelessly, with no allocation per call beyond what the JDK's
 * {@link Mac} and {@link MessageDigest} do internally: one initialised {@code Mac} per key id and one digest are
 * created at construction and reused. The MAC is compared in constant time.
 * <p>
 * Checks, in order, each refusal distinct:
 * <ol>
 *   <li>layout: length, version byte, minimal varints, key id range: {@link ErrorCode#TOKEN_MALFORMED};</li>
 *   <li>key id not among the keys: {@link ErrorCode#TOKEN_UNKNOWN_KEY};</li>
 *   <li>device hash differs from SHA-256 of the presented device id: {@link ErrorCode#TOKEN_WRONG_DEVICE} (a token
 *       for another device, or one whose hash bytes were altered);</li>
 *   <li>MAC differs: {@link ErrorCode#TOKEN_BAD_SIGNATURE} (tampered or forged);</li>
 *   <li>{@code now > expiresAt}: {@link ErrorCode#TOKEN_EXPIRED};</li>
 *   <li>{@code issuedAt > now + allowedSkew}: {@link ErrorCode#TOKEN_FUTURE_DATED}.</li>
 * </ol>
 * Times are judged only after the MAC has proved them. Not thread-safe: one instance per thread (per reactor).
 */
public final class TokenVerifier
{
    /**
     * Default tolerance for a clock ahead of ours: 300 seconds.
     */
    public static final long DEFAULT_ALLOWED_SKEW_SEC = 300;

    private final Int2ObjectHashMap<Mac> macs = new Int2ObjectHashMap<>();
    private final MessageDigest sha256;
    private final long allowedSkewSec;
    private final byte[] macOut = new byte[32];
    private final byte[] hashOut = new byte[32];
    private byte[] scratch = new byte[Token.MAX_LENGTH + Protocol.MAX_DEVICE_ID_LENGTH];

    /**
     * @param keys the secrets to accept.
     */
    public TokenVerifier(final TokenKeys keys)
    {
        this(keys, DEFAULT_ALLOWED_SKEW_SEC);
    }

    /**
     * @param keys           the secrets to accept.
     * @param allowedSkewSec how far in the future {@code issuedAt} may be, in seconds.
     */
    public TokenVerifier(final TokenKeys keys, final long allowedSkewSec)
    {
        this.allowedSkewSec = allowedSkewSec;
        try
        {
            sha256 = MessageDigest.getInstance(Token.HASH_ALGORITHM);
            for (final int keyId : keys.keyIds())
            {
                final Mac mac = Mac.getInstance(Token.HMAC_ALGORITHM);
                mac.init(new SecretKeySpec(keys.secret(keyId), Token.HMAC_ALGORITHM));
                macs.put(keyId, mac);
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK lacks " + Token.HMAC_ALGORITHM + " or " + Token.HASH_ALGORITHM, ex);
        }
    }

    /**
     * @param token         holds the token.
     * @param offset        first token byte.
     * @param length        token length.
     * @param deviceId      holds the device id the connection presents (HELLO's deviceId).
     * @param idOffset      first device id byte.
     * @param idLength      device id length.
     * @param nowEpochSec   the current time, epoch seconds.
     * @return 0 if the token is good for this device now, else a negative {@code -ErrorCode.TOKEN_*}.
     */
    public int verify(
        final DirectBuffer token,
        final int offset,
        final int length,
        final DirectBuffer deviceId,
        final int idOffset,
        final int idLength,
        final long nowEpochSec)
    {
        if (length < Token.MIN_LENGTH || length > Token.MAX_LENGTH || token.getByte(offset) != Token.VERSION)
        {
            return -ErrorCode.TOKEN_MALFORMED;
        }
        final int end = offset + length;
        final int macOffset = end - Token.MAC_LENGTH;
        final int hashOffset = macOffset - Token.DEVICE_HASH_LENGTH;
        int p = offset + 1;

        final int keyIdLength = Varint.length(token, p, hashOffset);
        if (keyIdLength <= 0)
        {
            return -ErrorCode.TOKEN_MALFORMED;
        }
        final long keyId = Varint.get(token, p);
        p += keyIdLength;
        final int issuedAtLength = Varint.length(token, p, hashOffset);
        if (issuedAtLength <= 0)
        {
            return -ErrorCode.TOKEN_MALFORMED;
        }
        final long issuedAt = Varint.get(token, p);
        p += issuedAtLength;
        final int expiresAtLength = Varint.length(token, p, hashOffset);
        if (expiresAtLength <= 0)
        {
            return -ErrorCode.TOKEN_MALFORMED;
        }
        final long expiresAt = Varint.get(token, p);
        p += expiresAtLength;
        if (p != hashOffset || keyId < 0 || keyId > Integer.MAX_VALUE || issuedAt < 0 || expiresAt < 0)
        {
            return -ErrorCode.TOKEN_MALFORMED;
        }

        final Mac mac = macs.get((int)keyId);
        if (null == mac)
        {
            return -ErrorCode.TOKEN_UNKNOWN_KEY;
        }

        final int signedLength = hashOffset + Token.DEVICE_HASH_LENGTH - offset;
        if (scratch.length < signedLength + idLength)
        {
            scratch = new byte[signedLength + idLength]; // only for a device id longer than HELLO allows
        }
        token.getBytes(offset, scratch, 0, signedLength);
        deviceId.getBytes(idOffset, scratch, signedLength, idLength);
        try
        {
            sha256.update(scratch, signedLength, idLength);
            sha256.digest(hashOut, 0, hashOut.length);
            for (int i = 0; i < Token.DEVICE_HASH_LENGTH; i++)
            {
                if (hashOut[i] != token.getByte(hashOffset + i))
                {
                    return -ErrorCode.TOKEN_WRONG_DEVICE;
                }
            }

            mac.update(Token.DOMAIN);
            mac.update(scratch, 0, signedLength + idLength);
            mac.doFinal(macOut, 0);
        }
        catch (final DigestException | ShortBufferException ex)
        {
            throw new IllegalStateException(ex); // cannot happen: the output arrays hold 32 bytes
        }
        int difference = 0;
        for (int i = 0; i < Token.MAC_LENGTH; i++)
        {
            difference |= macOut[i] ^ token.getByte(macOffset + i);
        }
        if (difference != 0)
        {
            return -ErrorCode.TOKEN_BAD_SIGNATURE;
        }

        if (nowEpochSec > expiresAt)
        {
            return -ErrorCode.TOKEN_EXPIRED;
        }
        if (issuedAt > nowEpochSec + allowedSkewSec)
        {
            return -ErrorCode.TOKEN_FUTURE_DATED;
        }
        return 0;
    }
}
