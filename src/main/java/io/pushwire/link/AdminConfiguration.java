package io.pushwire.link;

import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remote administration: the channel a console on another box commands this box over, and the operator
 * keys that sign such commands ({@link AdminAuth}).
 * <p>
 * Commands over local IPC are trusted: only users who can open the box's Aeron directory can send them
 * (the directory's parent is created owner-only, see {@link BoxMediaDriver#secureParentDirectory}).
 * Commands on the remote channel must carry a valid signature and are refused otherwise.
 */
public final class AdminConfiguration
{
    public static final Setting REMOTE_CHANNEL = Setting.of(
        "pushwire.admin.remote.channel", "", "channel remote consoles send commands on, e.g. " +
        "aeron:udp?endpoint=10.0.0.5:40456 (empty = no remote administration)");
    public static final Setting REMOTE_RESPONSE_CHANNEL = Setting.of(
        "pushwire.admin.remote.response.channel", "", "channel the answers to remote commands go back on, e.g. " +
        "aeron:udp?endpoint=10.0.0.9:40457 (the console's host)");
    public static final Setting KEYS = Setting.of(
        "pushwire.admin.keys", "", "operator keys that may sign remote commands: keyId:hexSecret,... (keyId 0 to 65535)");
    public static final Setting SKEW = Setting.of(
        "pushwire.admin.skew", "30s", "largest difference between a signed command's timestamp and this box's clock");
    public static final Setting REPLAY_CACHE = Setting.of(
        "pushwire.admin.replay.cache", "65536", "most nonces remembered within the skew window; when full, signed " +
        "commands are refused rather than the cache grown");

    private AdminConfiguration()
    {
    }

    public static List<Setting> settings()
    {
        return List.of(REMOTE_CHANNEL, REMOTE_RESPONSE_CHANNEL, KEYS, SKEW, REPLAY_CACHE);
    }

    /**
     * @return the skew window in ms.
     */
    public static long skewMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(SKEW.getDurationNs(TimeUnit.SECONDS));
    }

    /**
     * Parses {@code keyId:hexSecret,...}.
     *
     * @param name the setting's name, for messages.
     * @param text the keys.
     * @return key id to secret, in the order given (empty for empty text).
     * @throws ConfigurationException for a malformed entry, a key id out of range, or a secret under 16 bytes.
     */
    public static Map<Integer, byte[]> parseKeys(final String name, final String text)
    {
        final Map<Integer, byte[]> keys = new LinkedHashMap<>();
        for (final String entry : text.split(","))
        {
            final String trimmed = entry.trim();
            if (trimmed.isEmpty())
            {
                continue;
            }
            final int colon = trimmed.indexOf(':');
            if (colon <= 0)
            {
                throw new ConfigurationException(name + ": '" + trimmed + "' is not keyId:hexSecret");
            }
            final int keyId;
            final byte[] secret;
            try
            {
                keyId = Integer.parseInt(trimmed.substring(0, colon));
                secret = HexFormat.of().parseHex(trimmed.substring(colon + 1));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException(name + ": '" + trimmed.substring(0, colon) + ":...' is not keyId:hexSecret");
            }
            if (keyId < 0 || keyId > 0xFFFF)
            {
                throw new ConfigurationException(name + ": key id " + keyId + " is not 0 to 65535");
            }
            if (secret.length < 16)
            {
                throw new ConfigurationException(name + ": the secret of key " + keyId + " is shorter than 16 bytes");
            }
            keys.put(keyId, secret);
        }
        return keys;
    }
}
