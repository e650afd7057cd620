package io.pushwire.gateway;

import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.TokenKeys;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many idle authenticated devices from one thread with one selector: connect (from several loopback source
 * addresses, so ephemeral ports do not run out), say HELLO with a good dev-key token and a long heartbeat,
 * wait for WELCOME, then hold. For the 10,000-connection test and the memory bench; {@link #main} runs it
 * as its own process ({@code count host port sourceAddresses prefix holdSeconds}).
 */
public final class DeviceSwarm implements AutoCloseable
{
    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final ByteBuffer read = ByteBuffer.allocateDirect(4096);
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TokenIssuer issuer = new TokenIssuer(TokenKeys.parse(GatewayConfiguration.DEV_AUTH_KEYS));
    private final java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
    private int welcomed;
    private int failed;

    public DeviceSwarm() throws IOException
    {
        selector = Selector.open();
    }

    /**
     * Connects and says HELLO on {@code count} connections, at most {@code inFlight} unanswered at a time.
     *
     * @return devices welcomed.
     */
    public int connect(
        final String host, final int port, final int count, final int sourceAddresses, final String prefix, final long timeoutMs)
        throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final long now = System.currentTimeMillis() / 1000;
        final InetSocketAddress target = new InetSocketAddress(host, port);
        int started = 0;
        while ((welcomed + failed < count) && System.nanoTime() - deadline < 0)
        {
            while (started < count && started - welcomed - failed < 500)
            {
                final SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                if (sourceAddresses > 1)
                {
                    channel.bind(new InetSocketAddress("127.0.0." + (2 + started % sourceAddresses), 0));
                }
                final String deviceId = prefix + "-" + started;
                channel.connect(target);
                channel.register(selector, SelectionKey.OP_CONNECT, deviceId);
                channels.add(channel);
                started++;
            }
            selector.select(10);
            for (final SelectionKey key : selector.selectedKeys())
            {
                onReady(key, now);
            }
            selector.selectedKeys().clear();
        }
        return welcomed;
    }

    private void onReady(final SelectionKey key, final long now)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        try
        {
            if (key.isConnectable())
            {
                channel.finishConnect();
                final String deviceId = (String)key.attachment();
                final byte[] token = issuer.issue(1, deviceId, now - 10, now + 86_400);
                final int length = FrameEncoder.hello(frame, 0, 1, deviceId, token, 1800, new long[0], new long[0], 0);
                final ByteBuffer bb = frame.byteBuffer().duplicate();
                bb.limit(length).position(0);
                channel.write(bb);
                key.interestOps(SelectionKey.OP_READ);
            }
            else if (key.isReadable())
            {
                read.clear();
                final int n = channel.read(read);
                if (n > 0 && (read.get(0) & FrameType.TYPE_MASK) == FrameType.WELCOME)
                {
                    welcomed++;
                    key.interestOps(0);
                }
                else if (n != 0)
                {
                    fail(n < 0 ? "closed" : FrameType.name(read.get(0) & FrameType.TYPE_MASK));
                    key.cancel();
                }
            }
        }
        catch (final IOException ex)
        {
            fail(ex.getMessage());
            key.cancel();
        }
    }

    private void fail(final String why)
    {
        failed++;
        failures.merge(String.valueOf(why), 1, Integer::sum);
    }

    /**
     * @return why connections failed, with counts.
     */
    public String failures()
    {
        return failures.toString();
    }

    public int welcomed()
    {
        return welcomed;
    }

    public int failed()
    {
        return failed;
    }

    public void close()
    {
        for (final SocketChannel channel : channels)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing a swarm
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing a swarm
        }
    }

    /**
     * @param args count host port sourceAddresses prefix holdSeconds: prints {@code welcomed N failed M}, holds
     *             the connections until stdin closes or holdSeconds pass, then exits.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = Integer.parseInt(args[0]);
        try (DeviceSwarm swarm = new DeviceSwarm())
        {
            swarm.connect(args[1], Integer.parseInt(args[2]), count, Integer.parseInt(args[3]), args[4], 120_000);
            System.out.println("welcomed " + swarm.welcomed() + " failed " + swarm.failed() + " " + swarm.failures());
            System.out.flush();
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
            while (System.nanoTime() - end < 0 && System.in.available() == 0)
            {
                Thread.sleep(100);
            }
        }
    }
}
