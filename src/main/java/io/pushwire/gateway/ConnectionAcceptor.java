package io.pushwire.gateway;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A reactor's listener and its capacity rule: accepts new connections into the table (non-blocking,
 * {@code TCP_NODELAY}, registered for {@code OP_READ}, auth deadline set), and keeps the reactor in or out of
 * the port's {@code SO_REUSEPORT} group: at the high-water mark of slots in use it closes its listener (the
 * kernel then hands new connections to other reactors and processes), at or below the low-water mark it
 * opens it again, unless a drain closed it for good. Single-threaded: owned by the reactor.
 */
final class ConnectionAcceptor
{
    private static final int ACCEPT_BATCH = 64;

    private final int reactorIndex;
    private final ConnectionTable table;
    private final ConnectionTimers timers;
    private final GatewayCounters counters;
    private final GatewayState state;
    private final Selector selector;
    private final long authTimeoutMs;
    private final int socketSendBufferBytes;
    private final int highWater;
    private final int lowWater;
    private InetSocketAddress bindAddress;
    private ServerSocketChannel listener;
    private boolean closedForGood;

    /**
     * Opens the listener at once.
     *
     * @throws UncheckedIOException if the address cannot be bound.
     */
    ConnectionAcceptor(
        final int reactorIndex,
        final ConnectionTable table,
        final ConnectionTimers timers,
        final GatewayCounters counters,
        final GatewayState state,
        final Selector selector,
        final GatewayContext ctx,
        final int port)
    {
        this.reactorIndex = reactorIndex;
        this.table = table;
        this.timers = timers;
        this.counters = counters;
        this.state = state;
        this.selector = selector;
        this.authTimeoutMs = ctx.authTimeoutMs();
        this.socketSendBufferBytes = ctx.socketSendBufferBytes();
        this.highWater = Math.max(1, (int)((long)table.capacity() * ctx.capacityHighPercent() / 100));
        this.lowWater = (int)((long)table.capacity() * ctx.capacityLowPercent() / 100);
        this.bindAddress = new InetSocketAddress(ctx.host(), port);
        try
        {
            openListener();
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(listener);
            listener = null;
            throw new UncheckedIOException("reactor " + reactorIndex + " cannot listen on " + bindAddress, ex);
        }
    }

    /**
     * @return the port the listener is bound to, or -1 while it is closed.
     */
    int listenerPort()
    {
        return null == listener ? -1 : listener.socket().getLocalPort();
    }

    boolean isListening()
    {
        return null != listener;
    }

    /**
     * Accepts up to a batch of waiting connections; a full table refuses (closes) the rest.
     *
     * @param nowMs the reactor's clock, for the auth deadline.
     */
    void accept(final long nowMs)
    {
        for (int i = 0; i < ACCEPT_BATCH && null != listener; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            if (null == channel)
            {
                return;
            }
            final int slot = table.allocate(channel);
            if (slot < 0)
            {
                counters.acceptsRefused.increment();
                CloseHelper.quietClose(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                if (socketSendBufferBytes > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, socketSendBufferBytes);
                }
                table.keys[slot] = channel.register(selector, SelectionKey.OP_READ, table.attachments[slot]);
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(channel);
                table.free(slot);
                continue;
            }
            counters.accepts.increment();
            counters.connections.increment();
            timers.schedule(slot, nowMs + authTimeoutMs);
            checkCapacity();
        }
    }

    /**
     * Leaves or rejoins the port's group by the slots in use.
     */
    void checkCapacity()
    {
        final int open = table.openCount();
        if (null != listener && open >= highWater)
        {
            closeListener();
            counters.listenerCloses.increment();
            state.full(reactorIndex, true);
        }
        else if (null == listener && !closedForGood && 0 == state.drainReason() && open <= lowWater)
        {
            try
            {
                openListener();
                state.full(reactorIndex, false);
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(listener);
                listener = null;
            }
        }
    }

    /**
     * Closes the listener and never opens it again (drain, stop).
     */
    void closeForGood()
    {
        closedForGood = true;
        closeListener();
    }

    private void openListener() throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        listener = channel;
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
        channel.bind(bindAddress, 4096);
        if (0 == bindAddress.getPort())
        {
            bindAddress = new InetSocketAddress(bindAddress.getAddress(), channel.socket().getLocalPort());
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT, null);
    }

    private void closeListener()
    {
        if (null != listener)
        {
            final SelectionKey key = listener.keyFor(selector);
            if (null != key)
            {
                key.cancel();
            }
            CloseHelper.quietClose(listener);
            listener = null;
        }
    }
}
