package io.pushwire.e2e;

import io.pushwire.gateway.GatewayConfiguration;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the end-to-end tests share: device tokens for the development key, ports picked free at run time, and
 * a wait that parks between polls (these tests wait for real seconds, and a spinning test thread would take a
 * core from the gateway and dispatch threads it waits for on a small box).
 */
final class E2e
{
    private static final TokenIssuer ISSUER = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private E2e()
    {
    }

    /**
     * @return a token for the device, signed with the development key (id 1), valid for an hour.
     */
    static byte[] token(final String deviceId)
    {
        final long nowSec = System.currentTimeMillis() / 1000;
        return ISSUER.issue(1, deviceId, nowSec - 10, nowSec + 3600);
    }

    /**
     * Polls the condition every few milliseconds until it holds; fails with the message after the timeout.
     */
    static void await(final Supplier<String> what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeoutMs + " ms waiting for: " + what.get());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    static void await(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        await(() -> what, timeoutMs, condition);
    }

    /**
     * @return a TCP port on 127.0.0.1 that was free a moment ago.
     */
    static int freeTcpPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return a UDP port on 127.0.0.1 that was free a moment ago.
     */
    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
