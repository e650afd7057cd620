package io.pushwire.dispatch;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.exceptions.RegistrationException;
import io.pushwire.link.ConnectionId;
import io.pushwire.link.GatewayProxy;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.link.TopicFanoutProxy;
import io.pushwire.protocol.FrameEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Arrays;

/**
 * Everything dispatch sends to gateways: device frames to one connection (through the reactor's
 * {@link GatewayProxy}, whose publication is added asynchronously on first use), topic frames once to all gateways
 * ({@link TopicFanoutProxy}), and control messages (close, topic bind/unbind).
 * <p>
 * Back pressure never loses a message, because every message is in the store before it is sent:
 * a device frame that cannot be offered marks the device for a NOTIFY retried every duty cycle
 * ({@link #markDeviceRetry}); a topic frame marks the topic for a fan-out NOTIFY. The send methods return false
 * when the offer failed.
 * <p>
 * Answers to devices (SUB_ACK, UP_ACK, ERROR) and control messages to a reactor (close, topic bind/unbind) are not
 * lost either: one that cannot be offered waits in its reactor's {@link ReactorBacklog}, with the rest of any PULL
 * cut short, and is offered again in order on later duty cycles ({@link Deliverer#retryBacklogs(int)}). While a
 * reactor's ring holds anything, every answer, control message and PULL for that reactor queues behind it, and
 * {@link Deliverer} holds other frames to its connections back (NOTIFY later), so nothing overtakes a waiting entry:
 * a bind reaches the gateway before the SUB_ACK it belongs to, an unbind before its SUB_ACK, a close after the
 * answers made before it. Beyond {@code maxAnswers} entries on one reactor, answers are dropped and counted in
 * {@code answersDropped}, control messages in {@code controlDropped}.
 * <p>
 * Everything that waits is kept per gateway reactor (one publication each): a reactor that still refuses, e.g. a
 * gateway reactor paused because its chunk pool is low, or a hung gateway, holds back only its own answers, control
 * messages and devices' retries, never those of reactors that take offers.
 * <p>
 * A reactor's publication is added asynchronously the first time something is sent to it
 * ({@link Aeron#asyncAddExclusivePublication}), so the agent never waits for a driver round trip. Until
 * {@link #pollPublications()}, called every duty cycle, finds it added, every send to that reactor is refused exactly
 * as a back-pressured offer is: device frames mark the device for a NOTIFY, answers, control messages and PULLs wait in
 * the reactor's ring, so their order and the no-loss guarantees above hold while it is pending. An add the driver
 * rejects is counted in {@code publicationAddsFailed} and made again the next time something is sent to the reactor.
 * <p>
 * Frames are encoded straight into the proxy's buffer: nothing is allocated per message (a reactor's proxy is
 * allocated once, when its publication appears). Not thread-safe: the dispatch agent owns it.
 */
public final class Outbox implements AutoCloseable
{
    private static final int FRAME = GatewayProxy.FRAME_OFFSET;
    private static final long NO_REGISTRATION = Aeron.NULL_VALUE;

    private final Aeron aeron;
    private final String channel;
    private final int maxFrameLength;
    private final GatewayProxy[] proxies = new GatewayProxy[ConnectionId.MAX_GATEWAYS * ConnectionId.MAX_REACTORS];
    private final TopicFanoutProxy fanout;
    private final IntHashSet[] retryDevices = new IntHashSet[proxies.length];
    private final boolean[] retryListed = new boolean[proxies.length];
    private final IntArrayList retryReactors = new IntArrayList();
    private final IntHashSet retryTopics = new IntHashSet();
    private final int maxAnswers;
    private final ReactorBacklog[] backlogs = new ReactorBacklog[proxies.length];
    private final boolean[] backlogListed = new boolean[proxies.length];
    private final IntArrayList backlogReactors = new IntArrayList();
    private final AtomicCounter answersDelayed;
    private final AtomicCounter answersDropped;
    private final AtomicCounter controlDropped;
    private final AtomicCounter publicationAddsFailed;
    private final long[] registrations = new long[proxies.length];
    private final IntArrayList pendingReactors = new IntArrayList();
    private long backPressured;

    /**
     * @param aeron          the client to add publications with.
     * @param channel        the link channel for publications.
     * @param maxPayload     the largest payload a frame carries.
     * @param maxAnswers     most answers, control messages and PULL remainders held per reactor (a power of two, at
     *                       least 64).
     * @param answersDelayed counts answers to devices that had to wait (back pressure, or earlier ones waiting).
     * @param answersDropped counts answers to devices dropped because their reactor's ring was full.
     * @param controlDropped counts control messages (close, bind, unbind) dropped because their reactor's ring was full.
     * @param publicationAddsFailed counts adds of a reactor's publication that the driver rejected (made again later).
     */
    public Outbox(final Aeron aeron, final String channel, final int maxPayload, final int maxAnswers,
        final AtomicCounter answersDelayed, final AtomicCounter answersDropped, final AtomicCounter controlDropped,
        final AtomicCounter publicationAddsFailed)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.maxAnswers = maxAnswers;
        this.answersDelayed = answersDelayed;
        this.answersDropped = answersDropped;
        this.controlDropped = controlDropped;
        this.publicationAddsFailed = publicationAddsFailed;
        Arrays.fill(registrations, NO_REGISTRATION);
        this.maxFrameLength = FrameEncoder.maxMsgFrameLength(maxPayload) + 256;
        fanout = new TopicFanoutProxy(aeron.addExclusivePublication(channel, LinkConfiguration.TOPIC_STREAM_ID), maxFrameLength);
    }

    /**
     * @return offers that failed (back pressure or not connected) since start.
     */
    public long backPressured()
    {
        return backPressured;
    }

    /**
     * Looks for reactor publications whose asynchronous add has completed; call every duty cycle, before the rings and
     * NOTIFY retries are offered again, so that what waits for a reactor leaves in the cycle its publication appears.
     * Costs nothing while no add is pending. A rejected add ({@link RegistrationException}) is counted and forgotten:
     * the next send to that reactor adds it again (at most one add pending per reactor, so at most one a driver round
     * trip).
     *
     * @return publications that appeared or failed.
     */
    public int pollPublications()
    {
        int work = 0;
        for (int i = pendingReactors.size() - 1; i >= 0; i--)
        {
            final int reactorIndex = pendingReactors.getInt(i);
            ExclusivePublication publication = null;
            boolean failed = false;
            try
            {
                publication = aeron.getExclusivePublication(registrations[reactorIndex]);
            }
            catch (final RegistrationException ex)
            {
                failed = true;
                publicationAddsFailed.incrementOrdered();
            }
            if (null != publication)
            {
                proxies[reactorIndex] = new GatewayProxy(publication, maxFrameLength);
            }
            if (null != publication || failed)
            {
                registrations[reactorIndex] = NO_REGISTRATION;
                pendingReactors.fastUnorderedRemove(i);
                work++;
            }
        }
        return work;
    }

    /**
     * Starts adding the publication to the connection's reactor unless it exists or is being added, without sending
     * anything: called when a route opens, so that the publication is usually there by the device's first frame.
     *
     * @param connectionId a connection on the reactor.
     */
    public void preparePublication(final long connectionId)
    {
        proxy(connectionId);
    }

    /**
     * @return reactors whose publication is being added (sends to them are refused meanwhile).
     */
    public int pendingPublications()
    {
        return pendingReactors.size();
    }

    /**
     * @param reactorIndex a reactor, as {@link #reactorIndex(long)} names it.
     * @return true while its publication is being added.
     */
    public boolean isPublicationPending(final int reactorIndex)
    {
        return NO_REGISTRATION != registrations[reactorIndex];
    }

    /**
     * @return control messages (close, bind, unbind) dropped because their reactor's ring was full, since start.
     */
    public long controlDropped()
    {
        return controlDropped.get();
    }

    /**
     * @return true if a device or a topic waits for a NOTIFY retry.
     */
    public boolean hasRetries()
    {
        return !retryReactors.isEmpty() || !retryTopics.isEmpty();
    }

    /**
     * @return the reactors (see {@link #reactorIndex(long)}) that have devices marked for a retry; a reactor whose
     * set has been emptied stays listed until {@link #pruneRetryReactors()}.
     */
    public IntArrayList retryReactors()
    {
        return retryReactors;
    }

    /**
     * @param reactorIndex a reactor, as {@link #reactorIndex(long)} names it.
     * @return the devices marked for a retry on it, or null if none ever were.
     */
    public IntHashSet retryDevices(final int reactorIndex)
    {
        return retryDevices[reactorIndex];
    }

    /**
     * Forgets reactors whose retry set is empty.
     */
    public void pruneRetryReactors()
    {
        for (int i = retryReactors.size() - 1; i >= 0; i--)
        {
            final int reactorIndex = retryReactors.getInt(i);
            if (retryDevices[reactorIndex].isEmpty())
            {
                retryReactors.fastUnorderedRemove(i);
                retryListed[reactorIndex] = false;
            }
        }
    }

    /**
     * @param connectionId a connection.
     * @return the index of its gateway reactor (and of the publication to it): 0 to
     * {@code MAX_GATEWAYS * MAX_REACTORS - 1}.
     */
    public static int reactorIndex(final long connectionId)
    {
        return ConnectionId.gatewayId(connectionId) * ConnectionId.MAX_REACTORS + ConnectionId.reactor(connectionId);
    }

    public IntHashSet retryTopics()
    {
        return retryTopics;
    }

    /**
     * Marks a device whose frame could not be offered: it gets a NOTIFY once its reactor takes offers again.
     *
     * @param device       the device.
     * @param connectionId the connection the offer was for: its reactor is the one to wait for.
     */
    public void markDeviceRetry(final int device, final long connectionId)
    {
        final int reactorIndex = reactorIndex(connectionId);
        IntHashSet devices = retryDevices[reactorIndex];
        if (null == devices)
        {
            devices = new IntHashSet();
            retryDevices[reactorIndex] = devices;
        }
        if (!retryListed[reactorIndex])
        {
            retryListed[reactorIndex] = true;
            retryReactors.addInt(reactorIndex);
        }
        devices.add(device);
    }

    public void markTopicRetry(final int topicStreamId)
    {
        retryTopics.add(topicStreamId);
    }

    public boolean msg(
        final long connectionId, final int flags, final long streamId, final long seq, final long messageId, final int appId,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final GatewayProxy proxy = proxy(connectionId);
        if (null == proxy)
        {
            return refused();
        }
        final int length = FrameEncoder.msg(
            proxy.frameBuffer(), FRAME, flags, streamId, seq, messageId, appId, payload, payloadOffset, payloadLength);
        return offered(proxy.deliver(connectionId, length));
    }

    public boolean notify(final long connectionId, final long streamId, final long headSeq)
    {
        final GatewayProxy proxy = proxy(connectionId);
        if (null == proxy)
        {
            return refused();
        }
        return offered(proxy.deliver(connectionId, FrameEncoder.notify(proxy.frameBuffer(), FRAME, streamId, headSeq)));
    }

    public boolean gap(final long connectionId, final long streamId, final long fromSeq, final long toSeq, final int reason)
    {
        final GatewayProxy proxy = proxy(connectionId);
        if (null == proxy)
        {
            return refused();
        }
        return offered(proxy.deliver(connectionId, FrameEncoder.gap(proxy.frameBuffer(), FRAME, streamId, fromSeq, toSeq, reason)));
    }

    /**
     * ERROR to a device, after everything that waits for its reactor (see {@link #subAck}).
     */
    public void error(final int device, final long connectionId, final int code, final String reason)
    {
        sendOrQueueAnswer(ReactorBacklog.ERROR, connectionId, device, 0, code, 0, 0, reason);
    }

    /**
     * SUB_ACK to a device. Never lost to back pressure: when the offer fails, or something already waits for the
     * connection's reactor (so a later answer cannot overtake an earlier one), it is kept in the reactor's
     * {@link ReactorBacklog} and offered again, in order, by {@link Deliverer#retryBacklogs(int)}; dropped and
     * counted only when the ring is full.
     */
    public void subAck(
        final int device, final long connectionId, final long requestId, final int status, final long streamId,
        final long headSeq)
    {
        sendOrQueueAnswer(ReactorBacklog.SUB_ACK, connectionId, device, requestId, status, streamId, headSeq, null);
    }

    /**
     * UP_ACK to a device, after everything that waits for its reactor (see {@link #subAck}).
     */
    public void upAck(final int device, final long connectionId, final long requestId, final int status)
    {
        sendOrQueueAnswer(ReactorBacklog.UP_ACK, connectionId, device, requestId, status, 0, 0, null);
    }

    /**
     * Keeps the rest of a PULL (or a whole PULL that must wait behind earlier answers) in the reactor's ring, with the
     * MSG and GAP frames it may still send.
     *
     * @return false if the ring is full (nothing kept).
     */
    boolean queuePull(
        final int device, final long connectionId, final long streamId, final long nextSeq, final long toSeq,
        final int frameBudget)
    {
        final int reactorIndex = reactorIndex(connectionId);
        if (!backlogFor(reactorIndex).add(
            ReactorBacklog.PULL, connectionId, device, streamId, nextSeq, toSeq, frameBudget, null))
        {
            return false;
        }
        listBacklogReactor(reactorIndex);
        return true;
    }

    /**
     * @param connectionId a connection.
     * @return true while answers, control messages or PULL remainders wait for the connection's reactor: frames to its
     * connections are then held back (the device is marked for a NOTIFY) so that nothing overtakes them.
     */
    public boolean backlogWaiting(final long connectionId)
    {
        return backlogWaitingOn(reactorIndex(connectionId));
    }

    /**
     * @param reactorIndex a reactor, as {@link #reactorIndex(long)} names it.
     * @return true while answers, control messages or PULL remainders wait for it.
     */
    public boolean backlogWaitingOn(final int reactorIndex)
    {
        final ReactorBacklog ring = backlogs[reactorIndex];
        return null != ring && !ring.isEmpty();
    }

    /**
     * @return true if answers, control messages or PULL remainders wait for any reactor.
     */
    public boolean hasBacklog()
    {
        return !backlogReactors.isEmpty();
    }

    /**
     * @return the reactors whose ring has (or, until {@link #pruneBacklogReactors()}, had) entries.
     */
    IntArrayList backlogReactors()
    {
        return backlogReactors;
    }

    /**
     * @return the reactor's ring, or null if nothing ever waited for it.
     */
    ReactorBacklog backlog(final int reactorIndex)
    {
        return backlogs[reactorIndex];
    }

    /**
     * Forgets reactors whose ring is empty.
     */
    void pruneBacklogReactors()
    {
        for (int i = backlogReactors.size() - 1; i >= 0; i--)
        {
            final int reactorIndex = backlogReactors.getInt(i);
            if (backlogs[reactorIndex].isEmpty())
            {
                backlogReactors.fastUnorderedRemove(i);
                backlogListed[reactorIndex] = false;
            }
        }
    }

    /**
     * Offers the head entry of a ring again, an answer or a control message (not a PULL: {@link Deliverer} serves
     * those).
     *
     * @return true if it was offered; the caller removes it.
     */
    boolean sendHead(final ReactorBacklog ring)
    {
        return send(ring.headKind(), ring.headConnectionId(), ring.headA(), ring.headB(), ring.headC(), ring.headD(),
            ring.headReason());
    }

    /**
     * @return answers to devices dropped because their reactor's ring was full, since start.
     */
    public long answersDropped()
    {
        return answersDropped.get();
    }

    private void queueAnswer(
        final int kind, final long connectionId, final int device, final long a, final long b, final long c, final long d,
        final String reason)
    {
        final int reactorIndex = reactorIndex(connectionId);
        if (backlogFor(reactorIndex).add(kind, connectionId, device, a, b, c, d, reason))
        {
            listBacklogReactor(reactorIndex);
            answersDelayed.incrementOrdered();
        }
        else
        {
            answersDropped.incrementOrdered();
        }
    }

    private void queueControl(final int kind, final long connectionId, final long arg)
    {
        final int reactorIndex = reactorIndex(connectionId);
        if (backlogFor(reactorIndex).add(kind, connectionId, ReactorBacklog.NO_DEVICE, arg, 0, 0, 0, null))
        {
            listBacklogReactor(reactorIndex);
        }
        else
        {
            controlDropped.incrementOrdered();
        }
    }

    private ReactorBacklog backlogFor(final int reactorIndex)
    {
        ReactorBacklog ring = backlogs[reactorIndex];
        if (null == ring)
        {
            ring = new ReactorBacklog(maxAnswers);
            backlogs[reactorIndex] = ring;
        }
        return ring;
    }

    private void listBacklogReactor(final int reactorIndex)
    {
        if (!backlogListed[reactorIndex])
        {
            backlogListed[reactorIndex] = true;
            backlogReactors.addInt(reactorIndex);
        }
    }

    private void sendOrQueueAnswer(
        final int kind, final long connectionId, final int device, final long a, final long b, final long c, final long d,
        final String reason)
    {
        if (backlogWaiting(connectionId) || !send(kind, connectionId, a, b, c, d, reason))
        {
            queueAnswer(kind, connectionId, device, a, b, c, d, reason);
        }
    }

    private void sendOrQueueControl(final int kind, final long connectionId, final long arg)
    {
        if (backlogWaiting(connectionId) || !send(kind, connectionId, arg, 0, 0, 0, null))
        {
            queueControl(kind, connectionId, arg);
        }
    }

    /**
     * Encodes and offers one answer or control message to the connection's reactor, the first time or from its ring:
     * the fields are those {@link ReactorBacklog} keeps for the kind.
     *
     * @return true if it was offered.
     */
    private boolean send(
        final int kind, final long connectionId, final long a, final long b, final long c, final long d, final String reason)
    {
        final GatewayProxy proxy = proxy(connectionId);
        if (null == proxy)
        {
            return refused();
        }
        final long result = switch (kind)
        {
            case ReactorBacklog.SUB_ACK ->
                proxy.deliver(connectionId, FrameEncoder.subAck(proxy.frameBuffer(), FRAME, a, (int)b, c, d));
            case ReactorBacklog.UP_ACK -> proxy.deliver(connectionId, FrameEncoder.upAck(proxy.frameBuffer(), FRAME, a, (int)b));
            case ReactorBacklog.CLOSE -> proxy.close(connectionId, (int)a);
            case ReactorBacklog.BIND -> proxy.bindTopic(connectionId, a);
            case ReactorBacklog.UNBIND -> proxy.unbindTopic(connectionId, a);
            default -> proxy.deliver(connectionId, FrameEncoder.error(proxy.frameBuffer(), FRAME, (int)b, reason));
        };
        return offered(result);
    }

    public boolean topicMsg(
        final long topicStreamId, final int flags, final long seq, final long messageId, final int appId,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final int length = FrameEncoder.msg(
            fanout.frameBuffer(), FRAME, flags, topicStreamId, seq, messageId, appId, payload, payloadOffset, payloadLength);
        return offered(fanout.deliver(topicStreamId, length));
    }

    public boolean topicNotify(final long topicStreamId, final long headSeq)
    {
        return offered(fanout.deliver(topicStreamId, FrameEncoder.notify(fanout.frameBuffer(), FRAME, topicStreamId, headSeq)));
    }

    /**
     * Asks the gateway to send BYE(reason) and close the connection. Sent after everything that waits for the
     * connection's reactor; if it cannot be offered it waits in the reactor's ring (see {@link #subAck}) and is sent
     * even if the connection is no longer its device's route by then (a close names the connection it closes).
     */
    public void close(final long connectionId, final int closeReason)
    {
        sendOrQueueControl(ReactorBacklog.CLOSE, connectionId, closeReason);
    }

    /**
     * Adds the connection to the gateway's index of a topic's connections: it gets the topic's fan-out frames from
     * then on. Ordered with the reactor's answers as {@link #close} is, so it reaches the gateway before the SUB_ACK
     * made after it.
     */
    public void bindTopic(final long connectionId, final long topicStreamId)
    {
        sendOrQueueControl(ReactorBacklog.BIND, connectionId, topicStreamId);
    }

    /**
     * Removes the connection from the gateway's index of a topic's connections; ordered as {@link #bindTopic} is.
     */
    public void unbindTopic(final long connectionId, final long topicStreamId)
    {
        sendOrQueueControl(ReactorBacklog.UNBIND, connectionId, topicStreamId);
    }

    public void close()
    {
        for (final GatewayProxy proxy : proxies)
        {
            if (null != proxy)
            {
                CloseHelper.quietClose(proxy.publication());
            }
        }
        for (int i = 0, size = pendingReactors.size(); i < size; i++)
        {
            final long registrationId = registrations[pendingReactors.getInt(i)];
            CloseHelper.quietClose(() -> aeron.asyncRemovePublication(registrationId));
        }
        pendingReactors.clear();
        CloseHelper.quietClose(fanout.publication());
    }

    private boolean offered(final long result)
    {
        if (result > 0)
        {
            return true;
        }
        backPressured++;
        return false;
    }

    private boolean refused()
    {
        backPressured++;
        return false;
    }

    /**
     * @return the reactor's proxy, or null while its publication is being added (the add is started here if none is
     * pending: the caller treats null as a refused offer).
     */
    private GatewayProxy proxy(final long connectionId)
    {
        final int index = reactorIndex(connectionId);
        final GatewayProxy proxy = proxies[index];
        if (null == proxy && NO_REGISTRATION == registrations[index])
        {
            final int streamId =
                LinkConfiguration.downstreamStreamId(ConnectionId.gatewayId(connectionId), ConnectionId.reactor(connectionId));
            registrations[index] = aeron.asyncAddExclusivePublication(channel, streamId);
            pendingReactors.addInt(index);
        }
        return proxy;
    }
}
