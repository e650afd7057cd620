package io.pushwire.link;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import javax.crypto.Mac;
import java.security.MessageDigest;
import java.util.Map;

import static io.pushwire.link.AdminAuth.*;

/**
 * Checks the {@link AdminAuth} trailer of a signed command: a known key, a MAC that matches (compared in
 * constant time), a timestamp within the skew of this clock, and a nonce not seen within the window
 * ({@link ReplayCache}). A nonce is remembered only once the MAC has been checked, so forged commands cannot
 * fill the cache. Not thread-safe: one per agent that polls an administrative stream.
 */
public final class AdminVerifier
{
    private final Int2ObjectHashMap<Mac> macs = new Int2ObjectHashMap<>();
    private final long skewMs;
    private final ReplayCache replayCache;
    private byte[] scratch = new byte[256];
    private final byte[] expected = new byte[MAC_LENGTH];
    private final byte[] actual = new byte[MAC_LENGTH];

    /**
     * @param keys          operator key id to secret ({@link AdminConfiguration#parseKeys}).
     * @param skewMs        largest allowed difference between a command's timestamp and this clock.
     * @param replayEntries most nonces remembered ({@link AdminConfiguration#REPLAY_CACHE}).
     */
    public AdminVerifier(final Map<Integer, byte[]> keys, final long skewMs, final int replayEntries)
    {
        for (final Map.Entry<Integer, byte[]> key : keys.entrySet())
        {
            macs.put(key.getKey().intValue(), AdminSigner.hmac(key.getValue()));
        }
        this.skewMs = skewMs;
        this.replayCache = new ReplayCache(2 * skewMs, replayEntries);
    }

    /**
     * @return a verifier with the keys, skew and cache size from {@link AdminConfiguration}.
     */
    public static AdminVerifier fromConfiguration()
    {
        return new AdminVerifier(
            AdminConfiguration.parseKeys(AdminConfiguration.KEYS.propertyName(), AdminConfiguration.KEYS.get()),
            AdminConfiguration.skewMs(),
            AdminConfiguration.REPLAY_CACHE.getInt());
    }

    /**
     * @param buffer holding a signed message.
     * @param offset where it starts.
     * @param length its length with the trailer.
     * @param nowMs  this process's epoch ms.
     * @return {@link AdminAuth#OK} or the reason for refusal.
     */
    public int verify(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (length < MESSAGE_HEADER_LENGTH + TRAILER_LENGTH)
        {
            return MALFORMED;
        }
        final int trailer = offset + length - TRAILER_LENGTH;
        final int keyId = buffer.getShort(trailer + KEY_ID_OFFSET) & 0xFFFF;
        final Mac mac = macs.get(keyId);
        if (null == mac)
        {
            return UNKNOWN_KEY;
        }
        final int signedLength = length - MAC_LENGTH;
        if (scratch.length < signedLength)
        {
            scratch = new byte[Math.max(signedLength, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, signedLength);
        mac.update(scratch, 0, signedLength);
        System.arraycopy(mac.doFinal(), 0, expected, 0, MAC_LENGTH);
        buffer.getBytes(trailer + MAC_OFFSET, actual, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, actual))
        {
            return BAD_MAC;
        }
        final long timestampMs = buffer.getLong(trailer + TIMESTAMP_OFFSET);
        if (Math.abs(nowMs - timestampMs) > skewMs)
        {
            return STALE;
        }
        return switch (replayCache.add(buffer.getLong(trailer + NONCE_OFFSET), nowMs))
        {
            case ReplayCache.ADDED -> OK;
            case ReplayCache.SEEN -> REPLAYED;
            default -> REPLAY_CACHE_FULL;
        };
    }
}
