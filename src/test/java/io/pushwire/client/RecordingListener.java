package io.pushwire.client;

import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;

/**
 * Records every callback as text, for assertions. {@link #failOn} makes {@code onMessage} throw for the seqs it
 * matches, to test that such messages are not acknowledged.
 */
final class RecordingListener implements DeviceListener
{
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> gaps = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<Integer> byes = new CopyOnWriteArrayList<>();
    final List<InetSocketAddress> selected = new CopyOnWriteArrayList<>();
    final List<Long> selectedRttNs = new CopyOnWriteArrayList<>();
    final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    volatile LongPredicate failOn = seq -> false;

    public void onMessage(
        final long streamId,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (failOn.test(seq))
        {
            throw new IllegalStateException("test listener refuses seq " + seq);
        }
        final byte[] bytes = new byte[length];
        payload.getBytes(offset, bytes);
        messages.add(streamId + ":" + seq + ":" + new String(bytes, StandardCharsets.UTF_8));
    }

    public void onGap(final long streamId, final long fromSeq, final long toSeq, final int reason)
    {
        gaps.add(streamId + ":" + fromSeq + "-" + toSeq + ":" + reason);
    }

    public void onStateChange(final ConnectionState oldState, final ConnectionState newState)
    {
        states.add(newState);
    }

    public void onConnected(final SessionInfo session)
    {
        sessions.add(session);
    }

    public void onError(final int code, final String reason)
    {
        errors.add(code + ":" + reason);
    }

    public void onBye(final int reason)
    {
        byes.add(reason);
    }

    public void onServerSelected(final InetSocketAddress server, final long rttNs)
    {
        selected.add(server);
        selectedRttNs.add(rttNs);
    }
}
