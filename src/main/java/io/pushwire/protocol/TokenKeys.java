package io.pushwire.protocol;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The token signing secrets by key id, for rotation: issue with the newest key, verify with any key still listed.
 * Parsed from the setting {@code pushwire.auth.keys}, a comma-separated list of {@code keyId:hexSecret}, for example
 * {@code "1:00112233...,2:8899aabb..."}. A secret must be at least {@link #MIN_SECRET_LENGTH} bytes. Immutable after
 * construction, so it may be shared between threads (each thread builds its own {@link TokenVerifier} from it).
 */
public final class TokenKeys
{
    /**
     * Shortest secret accepted: 16 bytes (128 bits).
     */
    public static final int MIN_SECRET_LENGTH = 16;

    private final Int2ObjectHashMap<byte[]> secrets = new Int2ObjectHashMap<>();
    private final int[] keyIds;

    private TokenKeys(final int[] keyIds, final byte[][] secrets)
    {
        this.keyIds = keyIds;
        for (int i = 0; i < keyIds.length; i++)
        {
            this.secrets.put(keyIds[i], secrets[i]);
        }
    }

    /**
     * @param keyId  key id, 0 to 2^31-1.
     * @param secret the secret, at least 16 bytes (copied).
     * @return keys holding one key.
     */
    public static TokenKeys of(final int keyId, final byte[] secret)
    {
        checkKey(keyId, secret);
        return new TokenKeys(new int[]{ keyId }, new byte[][]{ secret.clone() });
    }

    /**
     * @param text {@code "keyId:hexSecret[,keyId:hexSecret...]"}; whitespace around entries is ignored.
     * @return the keys.
     * @throws IllegalArgumentException if the text is empty, an entry is malformed, a key id repeats or a secret is
     *                                  too short.
     */
    public static TokenKeys parse(final String text)
    {
        if (null == text || text.isBlank())
        {
            throw new IllegalArgumentException("no token keys: expected keyId:hexSecret[,keyId:hexSecret...]");
        }
        final String[] entries = text.split(",");
        final int[] ids = new int[entries.length];
        final byte[][] secrets = new byte[entries.length][];
        for (int i = 0; i < entries.length; i++)
        {
            final String entry = entries[i].trim();
            final int colon = entry.indexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("token key entry '" + entry + "' is not keyId:hexSecret");
            }
            try
            {
                ids[i] = Integer.parseInt(entry.substring(0, colon).trim());
                secrets[i] = HexFormat.of().parseHex(entry.substring(colon + 1).trim());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("token key entry for '" + entry.substring(0, colon) +
                    "' is not keyId:hexSecret (" + ex.getMessage() + ")", ex);
            }
            checkKey(ids[i], secrets[i]);
            for (int j = 0; j < i; j++)
            {
                if (ids[j] == ids[i])
                {
                    throw new IllegalArgumentException("token key id " + ids[i] + " is listed twice");
                }
            }
        }
        return new TokenKeys(ids, secrets);
    }

    /**
     * @param keyId key id.
     * @return a copy of its secret, or null if there is no such key.
     */
    public byte[] secret(final int keyId)
    {
        final byte[] secret = secrets.get(keyId);
        return null == secret ? null : secret.clone();
    }

    /**
     * @return the key ids, in the order given.
     */
    public int[] keyIds()
    {
        return keyIds.clone();
    }

    /**
     * @return the highest key id: the one to issue new tokens with after a rotation.
     */
    public int newestKeyId()
    {
        return Arrays.stream(keyIds).max().orElseThrow();
    }

    private static void checkKey(final int keyId, final byte[] secret)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("token key id " + keyId + " is negative");
        }
        if (secret.length < MIN_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("token key " + keyId + " has " + secret.length + " bytes of secret; at least " +
                MIN_SECRET_LENGTH + " are needed");
        }
    }

    public String toString()
    {
        return "TokenKeys{keyIds=" + Arrays.toString(keyIds) + "}";
    }
}
