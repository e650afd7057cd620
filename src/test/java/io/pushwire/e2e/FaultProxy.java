package io.pushwire.e2e;

import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.StreamingFrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting TCP proxy on loopback between a device and a gateway. It forwards bytes both ways and
 * logs the heartbeat frames it sees ({@code "c1 HELLO 1"}, {@code "c1 WELCOME 1"}, {@code "c1 PING 3"},
 * {@code "c1 PONG 2"}: connection number, frame, interval in seconds). {@link #cutDownstream()} makes the
 * connections open at that moment swallow everything the gateway sends (the device's bytes still reach the
 * gateway), which looks to the device like a path that silently dropped its return traffic; connections
 * accepted later forward normally again.
 * <p>
 * Two platform threads per connection plus an accept thread, all daemons; {@link #close()} closes every
 * socket, which ends them.
 */
final class FaultProxy implements AutoCloseable
{
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param target the gateway to forward to.
     * @throws IOException if the listening socket cannot be bound.
     */
    FaultProxy(final InetSocketAddress target) throws IOException
    {
        this.target = target;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::acceptLoop);
    }

    /**
     * @return the port devices connect to.
     */
    int port()
    {
        return server.getLocalPort();
    }

    /**
     * @return the heartbeat frames seen so far, in order.
     */
    List<String> events()
    {
        return List.copyOf(events);
    }

    /**
     * @return connections accepted so far.
     */
    int accepted()
    {
        return accepted.get();
    }

    /**
     * From now on, connections open at this moment drop everything the gateway sends them.
     */
    void cutDownstream()
    {
        for (final Link link : links)
        {
            link.downstreamCut = true;
        }
    }

    public void close()
    {
        closed = true;
        closeQuietly(server);
        for (final Link link : links)
        {
            link.close();
        }
        try
        {
            acceptor.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final Socket device;
            try
            {
                device = server.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            final int number = accepted.incrementAndGet();
            final Socket gateway = new Socket();
            try
            {
                device.setTcpNoDelay(true);
                gateway.setTcpNoDelay(true);
                gateway.connect(target, 5_000);
            }
            catch (final IOException ex)
            {
                events.add("c" + number + " gateway unreachable: " + ex);
                closeQuietly(device);
                closeQuietly(gateway);
                continue;
            }
            final Link link = new Link(number, device, gateway);
            links.add(link);
            link.start();
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // Teardown of a test proxy: nothing to do about it.
        }
    }

    /**
     * One proxied connection: a thread per direction.
     */
    private final class Link
    {
        private final int number;
        private final Socket device;
        private final Socket gateway;
        private volatile boolean downstreamCut;

        Link(final int number, final Socket device, final Socket gateway)
        {
            this.number = number;
            this.device = device;
            this.gateway = gateway;
        }

        void start()
        {
            Thread.ofPlatform().daemon().name("fault-proxy-up-" + number).start(() -> pump(device, gateway, true));
            Thread.ofPlatform().daemon().name("fault-proxy-down-" + number).start(() -> pump(gateway, device, false));
        }

        private void pump(final Socket from, final Socket to, final boolean upstream)
        {
            final byte[] bytes = new byte[16 * 1024];
            final UnsafeBuffer view = new UnsafeBuffer(bytes);
            final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.MAX_BODY_LENGTH, true);
            boolean decoding = true;
            try
            {
                final InputStream in = from.getInputStream();
                final OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(bytes)) >= 0)
                {
                    if (!upstream && downstreamCut)
                    {
                        continue;
                    }
                    if (decoding && decoder.onBytes(view, 0, n, (type, flags, buffer, bodyOffset, bodyLength) ->
                        record(type, decoder)) < 0)
                    {
                        decoding = false;
                    }
                    out.write(bytes, 0, n);
                    out.flush();
                }
            }
            catch (final IOException ignore)
            {
                // The other side went away: close both.
            }
            close();
        }

        private void record(final int type, final StreamingFrameDecoder decoder)
        {
            switch (type)
            {
                case FrameType.HELLO -> events.add("c" + number + " HELLO " + decoder.decoders().hello().heartbeatSec());
                case FrameType.WELCOME ->
                    events.add("c" + number + " WELCOME " + decoder.decoders().welcome().heartbeatSec());
                case FrameType.PING, FrameType.PONG -> events.add(
                    "c" + number + " " + FrameType.name(type) + " " + decoder.decoders().ping().intervalSec());
                default ->
                {
                }
            }
        }

        void close()
        {
            closeQuietly(device);
            closeQuietly(gateway);
        }
    }
}
