package io.pushwire.box;

import io.pushwire.config.ConfigurationException;
import io.pushwire.config.Settings;
import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.Token;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.protocol.TokenVerifier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code pushwire token}, run as the launcher runs it: options applied by {@link Settings}, then {@code run}.
 * (It lives here because this branch owns the protocol tests; the command itself is in {@code io.pushwire.box}.)
 */
class TokenCommandTest
{
    private static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final long NOW = 1_767_225_600L;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final TokenCommand command = new TokenCommand(new PrintStream(printed, true, StandardCharsets.UTF_8), () -> NOW);

    @AfterEach
    void clear()
    {
        command.settings().forEach((setting) -> System.clearProperty(setting.propertyName()));
    }

    @Test
    void shouldPrintATokenTheVerifierAccepts()
    {
        run("--key-id", "1", "--secret", SECRET, "--device", "dev-7f3a9c", "--ttl", "30d");
        final byte[] token = Token.fromBase64Url(printed.toString(StandardCharsets.UTF_8));
        final TokenVerifier verifier = new TokenVerifier(TokenKeys.parse("1:" + SECRET));
        assertEquals(0, verify(verifier, token, "dev-7f3a9c", NOW + 30 * 86_400));
        assertEquals(-ErrorCode.TOKEN_EXPIRED, verify(verifier, token, "dev-7f3a9c", NOW + 30 * 86_400 + 1));
    }

    @Test
    void shouldMatchTheDocumentedTokenVector()
    {
        run("--key-id", "1", "--secret", SECRET, "--device", "dev-7f3a9c", "--issued-at", "1767225600", "--ttl", "30d");
        assertEquals("AQGA8tbKBoCM9csGGJcthwswcN7tfl67vr6yU7tf-iY", printed.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void shouldSignWithTheNewestConfiguredKeyByDefault()
    {
        final String other = "ff".repeat(32);
        run("--keys", "1:" + SECRET + ",2:" + other, "--device", "d1");
        final byte[] token = Token.fromBase64Url(printed.toString(StandardCharsets.UTF_8));
        assertEquals(2, Token.keyId(new UnsafeBuffer(token), 0, token.length));
        assertEquals(0, verify(new TokenVerifier(TokenKeys.parse("2:" + other)), token, "d1", NOW));
    }

    @Test
    void shouldSignWithTheGatewaysDevKeyByDefault()
    {
        run("--device", "d1");
        final byte[] token = Token.fromBase64Url(printed.toString(StandardCharsets.UTF_8));
        assertEquals(0, verify(new TokenVerifier(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS)), token, "d1", NOW));
    }

    @Test
    void shouldRefuseMissingDeviceOrKey()
    {
        assertThrows(ConfigurationException.class, () -> run("--key-id", "1", "--secret", SECRET));
        assertThrows(ConfigurationException.class, () -> run("--device", "d1", "--keys="));
        assertThrows(ConfigurationException.class, () -> run("--device", "d1", "--secret", SECRET));
    }

    private void run(final String... args)
    {
        clear();
        final List<String> positional = Settings.apply(args, command.settings());
        assertEquals(0, command.run(positional));
    }

    private static int verify(final TokenVerifier verifier, final byte[] token, final String deviceId, final long now)
    {
        final byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return verifier.verify(new UnsafeBuffer(token), 0, token.length, new UnsafeBuffer(id), 0, id.length, now);
    }
}
