package io.pushwire.gateway;

import io.pushwire.protocol.ErrorDecoder;
import io.pushwire.protocol.FrameDecoders;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A device for tests: a real non-blocking socket on loopback, frames encoded with the protocol's encoders,
 * and what it received recorded as short strings ({@code "WELCOME 1 30"}, {@code "PONG 30"},
 * {@code "ERROR HELLO_REQUIRED"}, {@code "BYE 4"}, {@code "MSG"}, ...). Call {@link #poll()} (the harness
 * does) to read.
 */
final class TestDevice implements AutoCloseable
{
    final String deviceId;
    final List<String> received = new ArrayList<>();
    /**
     * Every MSG received, as {@code "stream:seq"}, in arrival order.
     */
    final List<String> messages = new ArrayList<>();
    long sessionId;
    private final SocketChannel channel;
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer inView = new UnsafeBuffer(in);
    private final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.MAX_BODY_LENGTH, true);
    private boolean closed;
    private boolean reading = true;

    TestDevice(final int port, final String deviceId)
    {
        this.deviceId = deviceId;
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

    TestDevice hello(final byte[] token, final int heartbeatSec)
    {
        return send(FrameEncoder.hello(out, 0, 1, deviceId, token, heartbeatSec, new long[0], new long[0], 0));
    }

    TestDevice ping(final int intervalSec)
    {
        return send(FrameEncoder.ping(out, 0, intervalSec));
    }

    TestDevice ack(final long streamId, final long seq)
    {
        return send(FrameEncoder.ack(out, 0, streamId, seq));
    }

    TestDevice sub(final long requestId, final String topic)
    {
        return send(FrameEncoder.sub(out, 0, requestId, topic));
    }

    TestDevice bye(final int reason)
    {
        return send(FrameEncoder.bye(out, 0, reason));
    }

    UnsafeBuffer encodeBuffer()
    {
        return out;
    }

    /**
     * Sends the first {@code length} bytes of {@link #encodeBuffer()}.
     */
    TestDevice send(final int length)
    {
        return sendBytes(out, 0, length);
    }

    TestDevice sendBytes(final byte... bytes)
    {
        return sendBytes(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    TestDevice sendBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer bb = ByteBuffer.allocate(length);
        buffer.getBytes(offset, bb, length);
        bb.flip();
        try
        {
            while (bb.hasRemaining())
            {
                if (0 == channel.write(bb))
                {
                    Thread.onSpinWait();
                }
            }
        }
        catch (final IOException ex)
        {
            closed = true;
        }
        return this;
    }

    /**
     * Reads what has arrived.
     *
     * @return bytes read.
     */
    int poll()
    {
        if (closed || !reading)
        {
            return 0;
        }
        int total = 0;
        try
        {
            while (true)
            {
                in.clear();
                final int n = channel.read(in);
                if (n < 0)
                {
                    closed = true;
                    break;
                }
                if (0 == n)
                {
                    break;
                }
                total += n;
                decoder.onBytes(inView, 0, n, this::onFrame);
            }
        }
        catch (final IOException ex)
        {
            closed = true;
        }
        return total;
    }

    private void onFrame(final int type, final int flags, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        final FrameDecoders d = decoder.decoders();
        switch (type)
        {
            case FrameType.WELCOME ->
            {
                sessionId = d.welcome().sessionId();
                received.add("WELCOME " + d.welcome().version() + " " + d.welcome().heartbeatSec());
            }
            case FrameType.PONG -> received.add("PONG " + d.ping().intervalSec());
            case FrameType.ERROR ->
            {
                final ErrorDecoder error = d.error();
                received.add("ERROR " + io.pushwire.protocol.ErrorCode.describe(error.code()));
            }
            case FrameType.BYE -> received.add("BYE " + d.bye().reason());
            case FrameType.REDIRECT -> received.add("REDIRECT " + d.redirect().reason());
            case FrameType.MSG ->
            {
                messages.add(d.msg().streamId() + ":" + d.msg().seq());
                received.add(FrameType.name(type) + " " + bodyLength);
            }
            default -> received.add(FrameType.name(type) + " " + bodyLength);
        }
    }

    /**
     * @param reading false to stop reading the socket (a slow consumer), true to read again.
     */
    void reading(final boolean reading)
    {
        this.reading = reading;
    }

    /**
     * @return true once the gateway closed the connection, checked by reading even when not {@link #reading}.
     */
    boolean probeClosed()
    {
        if (!closed)
        {
            final boolean was = reading;
            reading = true;
            poll();
            reading = was;
        }
        return closed;
    }

    boolean isClosed()
    {
        return closed;
    }

    boolean hasReceived(final String frame)
    {
        return received.contains(frame);
    }

    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // test teardown
        }
    }

    public String toString()
    {
        final int size = received.size();
        return deviceId + (closed ? " (closed) " : " ") + (size <= 12 ? received.toString() :
            received.subList(0, 4) + " ... " + received.subList(size - 4, size) + " (" + size + " frames, " + messages.size() + " MSG)");
    }
}
