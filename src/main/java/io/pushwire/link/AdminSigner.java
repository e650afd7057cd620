package io.pushwire.link;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import static io.pushwire.link.AdminAuth.*;

/**
 * Signs administrative commands for a remote box: sets {@link AdminAuth#FLAG_SIGNED} in the header and
 * appends the {@link AdminAuth} trailer with a fresh random nonce and the current time. Used by the
 * console; not thread-safe (callers that share one synchronize, as they already do for their encode
 * buffer).
 */
public final class AdminSigner
{
    private final int keyId;
    private final Mac mac;
    private final EpochClock clock;
    private final SecureRandom random = new SecureRandom();
    private byte[] scratch = new byte[256];

    /**
     * @param keyId  the operator key's id, 0 to 65535.
     * @param secret the key's secret.
     * @param clock  the time written into each signature.
     */
    public AdminSigner(final int keyId, final byte[] secret, final EpochClock clock)
    {
        if (keyId < 0 || keyId > 0xFFFF)
        {
            throw new IllegalArgumentException("key id " + keyId + " is not 0 to 65535");
        }
        this.keyId = keyId;
        this.mac = AdminSigner.hmac(secret);
        this.clock = clock;
    }

    static Mac hmac(final byte[] secret)
    {
        try
        {
            final Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return hmac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    public int keyId()
    {
        return keyId;
    }

    /**
     * Signs the message in place; the buffer needs {@link AdminAuth#TRAILER_LENGTH} bytes of room after it.
     *
     * @param buffer holding the message.
     * @param offset where the message starts.
     * @param length the message's length, header included.
     * @return the signed message's length.
     */
    public int sign(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        return sign(buffer, offset, length, clock.time(), nextNonce());
    }

    /**
     * Signs with a given time and nonce (tests use it to forge stale and replayed commands).
     */
    public int sign(final MutableDirectBuffer buffer, final int offset, final int length, final long timestampMs, final long nonce)
    {
        if (length < MESSAGE_HEADER_LENGTH)
        {
            throw new IllegalArgumentException("message shorter than its header: " + length);
        }
        buffer.putInt(offset + FLAGS_OFFSET, buffer.getInt(offset + FLAGS_OFFSET) | FLAG_SIGNED);
        final int trailer = offset + length;
        buffer.putShort(trailer + KEY_ID_OFFSET, (short)keyId);
        buffer.putLong(trailer + TIMESTAMP_OFFSET, timestampMs);
        buffer.putLong(trailer + NONCE_OFFSET, nonce);
        final int signedLength = length + MAC_OFFSET;
        if (scratch.length < signedLength)
        {
            scratch = new byte[Math.max(signedLength, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, signedLength);
        mac.update(scratch, 0, signedLength);
        final byte[] full = mac.doFinal();
        buffer.putBytes(trailer + MAC_OFFSET, full, 0, MAC_LENGTH);
        return length + TRAILER_LENGTH;
    }

    private long nextNonce()
    {
        return random.nextLong();
    }
}
