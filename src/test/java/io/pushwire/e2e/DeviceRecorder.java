package io.pushwire.e2e;

import io.pushwire.client.ConnectionState;
import io.pushwire.client.DeviceListener;
import io.pushwire.client.SessionInfo;
import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DeviceListener} that records what the device SDK tells the app, for tests: messages as
 * {@code "stream:seq:payload"} (and as {@code "payload@session"}, the session counted from 1), sessions, server selections, state changes, errors and BYE reasons. Written on the client's I/O
 * thread, read from the test thread.
 */
final class DeviceRecorder implements DeviceListener
{
    /**
     * One {@code onServerSelected} call.
     *
     * @param server the gateway chosen.
     * @param rttNs  its probe round trip, or -1 when taken in list order.
     */
    record Selection(InetSocketAddress server, long rttNs)
    {
    }

    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> sessionOf = new CopyOnWriteArrayList<>();
    final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    final List<Selection> selections = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<Integer> byes = new CopyOnWriteArrayList<>();

    public void onMessage(
        final long streamId,
        final long seq,
        final long messageId,
        final int appId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final String text = payload.getStringWithoutLengthAscii(offset, length);
        messages.add(streamId + ":" + seq + ":" + text);
        sessionOf.add(text + "@" + sessions.size());
    }

    public void onConnected(final SessionInfo session)
    {
        sessions.add(session);
    }

    public void onServerSelected(final InetSocketAddress server, final long rttNs)
    {
        selections.add(new Selection(server, rttNs));
    }

    public void onStateChange(final ConnectionState oldState, final ConnectionState newState)
    {
        states.add(newState.name());
    }

    public void onBye(final int reason)
    {
        byes.add(reason);
    }

    public void onError(final int code, final String reason)
    {
        errors.add(code + " " + reason);
    }

    /**
     * @return the payloads of the device's own stream (stream 0), in delivery order.
     */
    List<String> payloads()
    {
        return messages.stream()
            .filter((m) -> m.startsWith("0:"))
            .map((m) -> m.substring(m.indexOf(':', 2) + 1))
            .toList();
    }
}
