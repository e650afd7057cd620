package io.pushwire.store;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A MESSAGE record read back by {@link Store#readMessage(long, StoredMessage)}: reused, never allocated
 * per read. The payload is a copy in this object's buffer, valid until the next read into it.
 * Not thread-safe.
 */
public final class StoredMessage
{
    final UnsafeBuffer payload;
    final byte[] payloadBytes;
    int streamKind;
    long streamRef;
    long seq;
    long messageId;
    long expiryMs;
    int appId;
    int priority;
    int payloadLength;

    /**
     * @param maxPayloadLength the largest payload it must hold.
     */
    public StoredMessage(final int maxPayloadLength)
    {
        payloadBytes = new byte[maxPayloadLength];
        payload = new UnsafeBuffer(payloadBytes);
    }

    public int streamKind()
    {
        return streamKind;
    }

    public long streamRef()
    {
        return streamRef;
    }

    public long seq()
    {
        return seq;
    }

    public long messageId()
    {
        return messageId;
    }

    public long expiryMs()
    {
        return expiryMs;
    }

    public int appId()
    {
        return appId;
    }

    public int priority()
    {
        return priority;
    }

    public DirectBuffer payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payloadLength;
    }
}
