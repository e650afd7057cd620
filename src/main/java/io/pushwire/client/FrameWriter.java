package io.pushwire.client;

import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes device frames into one buffer and writes them to the current connection. Every method is synchronized, so
 * the application's threads (SUB, UNSUB, UP) and the I/O thread (HELLO, PING, ACK, PULL) can write at once without
 * interleaving frames; a device sends little, so a lock is the simple and correct choice here.
 * <p>
 * Each write returns false when there is no connection or it failed (the I/O thread sees the failure on its next
 * read and reconnects). Thread-safe.
 */
final class FrameWriter
{
    private final UnsafeBuffer buffer;
    private OutputStream out;

    /**
     * @param maxBodyLength the largest body this writer will encode.
     */
    FrameWriter(final int maxBodyLength)
    {
        buffer = new UnsafeBuffer(new byte[maxBodyLength + 8]);
    }

    synchronized void attach(final OutputStream out)
    {
        this.out = out;
    }

    synchronized void detach()
    {
        out = null;
    }

    synchronized boolean isAttached()
    {
        return null != out;
    }

    synchronized boolean hello(
        final String deviceId,
        final byte[] token,
        final int heartbeatSec,
        final long[] cursorStreamIds,
        final long[] cursorSeqs,
        final int cursorCount)
    {
        return write(FrameEncoder.hello(
            buffer, 0, Protocol.MAX_VERSION, deviceId, token, heartbeatSec, cursorStreamIds, cursorSeqs, cursorCount));
    }

    synchronized boolean ping(final int intervalSec)
    {
        return write(FrameEncoder.ping(buffer, 0, intervalSec));
    }

    synchronized boolean ack(final long streamId, final long seq)
    {
        return write(FrameEncoder.ack(buffer, 0, streamId, seq));
    }

    synchronized boolean pull(final long streamId, final long fromSeq, final long toSeq)
    {
        return write(FrameEncoder.pull(buffer, 0, streamId, fromSeq, toSeq));
    }

    synchronized boolean sub(final long requestId, final String topic)
    {
        return write(FrameEncoder.sub(buffer, 0, requestId, topic));
    }

    synchronized boolean unsub(final long requestId, final String topic)
    {
        return write(FrameEncoder.unsub(buffer, 0, requestId, topic));
    }

    synchronized boolean up(
        final long requestId, final int appId, final DirectBuffer payload, final int offset, final int length)
    {
        return write(FrameEncoder.up(buffer, 0, requestId, appId, payload, offset, length));
    }

    synchronized boolean bye(final int reason)
    {
        return write(FrameEncoder.bye(buffer, 0, reason));
    }

    private boolean write(final int length)
    {
        if (null == out)
        {
            return false;
        }
        try
        {
            out.write(buffer.byteArray(), 0, length);
            return true;
        }
        catch (final IOException ex)
        {
            out = null;
            return false;
        }
    }
}
