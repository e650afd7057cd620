package io.pushwire.protocol;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues device tokens ({@link Token} layout). For app back ends, the {@code pushwire token} command and tests: it
 * allocates per call. Not thread-safe (it reuses its {@link Mac}s): one instance per thread.
 */
public final class TokenIssuer
{
    private final TokenKeys keys;

    /**
     * @param keys the secrets to sign with.
     */
    public TokenIssuer(final TokenKeys keys)
    {
        this.keys = keys;
    }

    /**
     * @param keyId        which key signs; must be in the keys.
     * @param deviceId     the device the token is for.
     * @param issuedAtSec  issue time, epoch seconds.
     * @param expiresAtSec expiry, epoch seconds.
     * @return the token bytes.
     * @throws IllegalArgumentException for an unknown key id, a negative time or an expiry before the issue time.
     */
    public byte[] issue(final int keyId, final String deviceId, final long issuedAtSec, final long expiresAtSec)
    {
        final byte[] secret = keys.secret(keyId);
        if (null == secret)
        {
            throw new IllegalArgumentException("no token key with id " + keyId);
        }
        if (issuedAtSec < 0 || expiresAtSec < issuedAtSec)
        {
            throw new IllegalArgumentException("bad token times: issuedAt=" + issuedAtSec + " expiresAt=" + expiresAtSec);
        }
        final byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer token = new UnsafeBuffer(new byte[Token.MAX_LENGTH]);
        int p = 0;
        token.putByte(p++, (byte)Token.VERSION);
        p += Varint.put(token, p, keyId);
        p += Varint.put(token, p, issuedAtSec);
        p += Varint.put(token, p, expiresAtSec);
        try
        {
            final byte[] hash = MessageDigest.getInstance(Token.HASH_ALGORITHM).digest(id);
            token.putBytes(p, hash, 0, Token.DEVICE_HASH_LENGTH);
            p += Token.DEVICE_HASH_LENGTH;

            final Mac mac = Mac.getInstance(Token.HMAC_ALGORITHM);
            mac.init(new SecretKeySpec(secret, Token.HMAC_ALGORITHM));
            mac.update(Token.DOMAIN);
            mac.update(token.byteArray(), 0, p);
            mac.update(id);
            final byte[] full = mac.doFinal();
            token.putBytes(p, full, 0, Token.MAC_LENGTH);
            p += Token.MAC_LENGTH;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK lacks " + Token.HMAC_ALGORITHM + " or " + Token.HASH_ALGORITHM, ex);
        }
        return Arrays.copyOf(token.byteArray(), p);
    }
}
