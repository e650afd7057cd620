package io.pushwire.link;

import org.agrona.DirectBuffer;

/**
 * What dispatch hears from senders and the console; called by {@link CommandAdapter} on the polling
 * thread. Buffers and the decoder are valid only during the call. Strings are (offset, length) of UTF-8
 * bytes in {@code buffer}.
 */
public interface CommandListener
{
    void onPush(long clientId, long correlationId, PushCommandDecoder push);

    void onReceipt(long clientId, long correlationId, long messageId);

    void onAlias(long clientId, long correlationId, boolean bind, DirectBuffer buffer, int aliasOffset, int aliasLength,
        int deviceIdOffset, int deviceIdLength);

    /**
     * @param type {@link CommandMessages#WHO} or {@link CommandMessages#KICK}.
     */
    void onDeviceCommand(long clientId, long correlationId, int type, DirectBuffer buffer, int deviceIdOffset, int deviceIdLength);

    /**
     * A command that could not be decoded: answer ERROR(code, text).
     *
     * @param code a {@link CommandErrors} code.
     */
    void onBadCommand(long clientId, long correlationId, int code, String text);
}
