package io.pushwire.link;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.FragmentAssembler;
import org.agrona.DirectBuffer;

import static io.pushwire.link.CommandMessages.*;

/**
 * Decodes commands from senders ({@link LinkConfiguration#COMMAND_STREAM_ID}) and calls a
 * {@link CommandListener}. Allocates nothing for well-formed commands (a malformed one builds its error
 * text). Not thread-safe; used by the dispatch agent. A message too short for a header cannot be
 * answered (no client id) and is only counted.
 */
public final class CommandAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final CommandListener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final PushCommandDecoder pushDecoder = new PushCommandDecoder();
    private long unreadable;

    public CommandAdapter(final Subscription subscription, final CommandListener listener)
    {
        this.subscription = subscription;
        this.listener = listener;
    }

    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * @return messages too short to carry a header, since start.
     */
    public long unreadable()
    {
        return unreadable;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < HEADER_LENGTH)
        {
            unreadable++;
            return;
        }
        final int type = buffer.getShort(offset + TYPE_OFFSET) & 0xFFFF;
        final int version = buffer.getShort(offset + VERSION_OFFSET) & 0xFFFF;
        final long clientId = buffer.getLong(offset + CLIENT_ID_OFFSET);
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET);
        if (version != VERSION)
        {
            listener.onBadCommand(clientId, correlationId, CommandErrors.MALFORMED, "unsupported command version " + version);
            return;
        }
        final int end = offset + length;
        switch (type)
        {
            case PUSH ->
            {
                final int result = pushDecoder.wrap(buffer, offset, length);
                if (0 != result)
                {
                    listener.onBadCommand(clientId, correlationId, result, "PUSH: bad layout or too many targets");
                }
                else
                {
                    listener.onPush(clientId, correlationId, pushDecoder);
                }
            }
            case RECEIPT ->
            {
                if (length < HEADER_LENGTH + 8)
                {
                    listener.onBadCommand(clientId, correlationId, CommandErrors.MALFORMED, "RECEIPT: too short");
                }
                else
                {
                    listener.onReceipt(clientId, correlationId, buffer.getLong(offset + MESSAGE_ID_OFFSET));
                }
            }
            case BIND_ALIAS, UNBIND_ALIAS ->
            {
                final int aliasAt = offset + HEADER_LENGTH;
                final int aliasLength = stringLength(buffer, aliasAt, end);
                final int deviceAt = aliasAt + 2 + Math.max(aliasLength, 0);
                final int deviceLength = aliasLength < 0 ? -1 : stringLength(buffer, deviceAt, end);
                if (deviceLength < 0 || deviceAt + 2 + deviceLength != end)
                {
                    listener.onBadCommand(clientId, correlationId, CommandErrors.MALFORMED, "ALIAS: bad layout");
                }
                else
                {
                    listener.onAlias(clientId, correlationId, type == BIND_ALIAS, buffer, aliasAt + 2, aliasLength,
                        deviceAt + 2, deviceLength);
                }
            }
            case WHO, KICK ->
            {
                final int at = offset + HEADER_LENGTH;
                final int deviceLength = stringLength(buffer, at, end);
                if (deviceLength < 0 || at + 2 + deviceLength != end)
                {
                    listener.onBadCommand(clientId, correlationId, CommandErrors.MALFORMED, "WHO/KICK: bad layout");
                }
                else
                {
                    listener.onDeviceCommand(clientId, correlationId, type, buffer, at + 2, deviceLength);
                }
            }
            default -> listener.onBadCommand(clientId, correlationId, CommandErrors.UNKNOWN_COMMAND, "unknown command type " + type);
        }
    }

    private static int stringLength(final DirectBuffer buffer, final int at, final int end)
    {
        if (at + 2 > end)
        {
            return -1;
        }
        final int length = buffer.getShort(at) & 0xFFFF;
        return at + 2 + length > end ? -1 : length;
    }
}
