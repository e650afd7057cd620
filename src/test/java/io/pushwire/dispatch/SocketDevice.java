package io.pushwire.dispatch;

import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.StreamingFrameDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * A {@link TestDevice} on a real TCP connection to a gateway on loopback: it says HELLO with a token and
 * its cursors, and reads frames from the socket into the device's logic (cursors, PULL on NOTIFY), with one
 * cumulative ACK per stream per batch read, as the client SDK does (the gateway limits frames a second).
 */
final class SocketDevice implements AutoCloseable
{
    final TestDevice device;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.MAX_BODY_LENGTH, true);
    private final UnsafeBuffer hello = new UnsafeBuffer(new byte[1024]);
    private boolean closed;
    private boolean reading = true;
    boolean welcomed;

    SocketDevice(final int port, final String deviceId, final byte[] token, final Map<Long, Long> cursors)
    {
        try
        {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            channel.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        device = new TestDevice(this::write, deviceId, 0, cursors);
        device.batchAcks = true;
        final long[] streams = new long[cursors.size()];
        final long[] seqs = new long[cursors.size()];
        int i = 0;
        for (final Map.Entry<Long, Long> cursor : cursors.entrySet())
        {
            streams[i] = cursor.getKey();
            seqs[i++] = cursor.getValue();
        }
        write(hello, FrameEncoder.hello(hello, 0, 1, deviceId, token, 60, streams, seqs, i));
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * @param reading false to leave what arrives in the socket (a device that cannot keep up), true to read again.
     */
    void reading(final boolean reading)
    {
        this.reading = reading;
    }

    void setReceiveBuffer(final int bytes)
    {
        try
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    int poll()
    {
        if (closed || !reading)
        {
            return 0;
        }
        int total = 0;
        try
        {
            int n;
            while ((n = channel.read(in.clear())) > 0)
            {
                total += n;
                decoder.onBytes(inView, 0, n, this::onFrame);
            }
            if (n < 0)
            {
                closed = true;
            }
        }
        catch (final IOException ex)
        {
            closed = true;
        }
        device.flushAcks();
        device.maybePull();
        return total;
    }

    private void onFrame(final int type, final int flags, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (type == FrameType.WELCOME)
        {
            welcomed = true;
            return;
        }
        if (type != FrameType.PONG)
        {
            device.onFrame(type, flags, buffer, bodyOffset, bodyLength);
        }
    }

    private void write(final DirectBuffer frame, final int length)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length);
        frame.getBytes(0, bytes, length);
        bytes.flip();
        try
        {
            while (bytes.hasRemaining())
            {
                if (channel.write(bytes) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
        catch (final IOException ex)
        {
            closed = true;
        }
    }

    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // teardown
        }
        closed = true;
    }
}
