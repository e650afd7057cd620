package io.pushwire.box;

import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Setting;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.protocol.Token;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;

import java.io.PrintStream;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code pushwire token}: issues a device token and prints it as base64url (no padding), for tests and operators.
 * The key is {@code --key-id} with {@code --secret}, or a key from {@code pushwire.auth.keys} (the newest one unless
 * {@code --key-id} names another).
 */
public final class TokenCommand implements Command
{
    public static final Setting KEY_ID = Setting.of(
        "pushwire.token.key-id", "", "key id to sign with (default: the newest in pushwire.auth.keys)");
    public static final Setting SECRET = Setting.of(
        "pushwire.token.secret", "", "hex secret for --key-id (default: take it from pushwire.auth.keys)");
    public static final Setting KEYS = GatewayConfiguration.AUTH_KEYS;
    public static final Setting DEVICE = Setting.of(
        "pushwire.token.device", "", "device id the token is for (required)");
    public static final Setting TTL = Setting.of(
        "pushwire.token.ttl", "30d", "lifetime: s, m, h or d suffix (no suffix: seconds)");
    public static final Setting ISSUED_AT = Setting.of(
        "pushwire.token.issued-at", "", "issue time in epoch seconds (default: now)");

    private final PrintStream out;
    private final LongSupplier epochSecClock;

    public TokenCommand()
    {
        this(System.out, () -> System.currentTimeMillis() / 1000);
    }

    /**
     * @param out           where the token is printed.
     * @param epochSecClock the clock for the default issue time, epoch seconds.
     */
    public TokenCommand(final PrintStream out, final LongSupplier epochSecClock)
    {
        this.out = out;
        this.epochSecClock = epochSecClock;
    }

    public String name()
    {
        return "token";
    }

    public String usage()
    {
        return "token --device DEVICE [--key-id N --secret HEX | --keys N:HEX,...] [--ttl 30d]";
    }

    public String summary()
    {
        return "Issue a device token and print it as base64url. The token is HMAC-SHA256-signed with the given key " +
            "and binds the device id, issue time and expiry; gateways verify it with pushwire.auth.keys.";
    }

    public List<Setting> settings()
    {
        return List.of(DEVICE, KEY_ID, SECRET, KEYS, TTL, ISSUED_AT);
    }

    public int run(final List<String> positional)
    {
        if (!positional.isEmpty())
        {
            throw new ConfigurationException("unexpected arguments " + positional);
        }
        final String device = DEVICE.get().trim();
        if (device.isEmpty())
        {
            throw new ConfigurationException("--device is required");
        }

        final TokenKeys keys;
        final int keyId;
        final String secret = SECRET.get().trim();
        if (!secret.isEmpty())
        {
            if (KEY_ID.get().isBlank())
            {
                throw new ConfigurationException("--secret needs --key-id");
            }
            keyId = KEY_ID.getInt();
            keys = TokenKeys.of(keyId, HexFormat.of().parseHex(secret));
        }
        else if (!KEYS.get().isBlank())
        {
            keys = TokenKeys.parse(KEYS.get());
            keyId = KEY_ID.get().isBlank() ? keys.newestKeyId() : KEY_ID.getInt();
        }
        else
        {
            throw new ConfigurationException("no key: give --key-id and --secret, or --keys (pushwire.auth.keys)");
        }

        final long issuedAt = ISSUED_AT.get().isBlank() ? epochSecClock.getAsLong() : ISSUED_AT.getLong();
        final long ttlSec = TimeUnit.NANOSECONDS.toSeconds(TTL.getDurationNs(TimeUnit.SECONDS));
        final byte[] token = new TokenIssuer(keys).issue(keyId, device, issuedAt, issuedAt + ttlSec);
        out.println(Token.toBase64Url(token));
        return 0;
    }
}
