package io.pushwire.sim;

import io.pushwire.protocol.ByeDecoder;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorDecoder;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.GapDecoder;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.NotifyDecoder;
import io.pushwire.protocol.PingDecoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenIssuer;
import io.pushwire.protocol.WelcomeDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.collections.IntArrayQueue;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The simulated devices of one worker process: a selector and struct-of-arrays state, no object per
 * device beyond the JDK's channel and key. Each device connects from one of several loopback source
 * addresses, says HELLO with a token, heartbeats, takes MSG in order per stream (dropping duplicates at
 * its cursor, PULLing holes and NOTIFYed ranges), ACKs cumulatively, and records the push latency
 * carried in the first 8 payload bytes (the sender's {@code System.nanoTime()}, one clock for every
 * process on the box). With an ACK delay a device sends its cumulative ACK that long after the first
 * unacknowledged message instead of at once, as a phone's ACK reaches the gateway a network round trip
 * after the push left it (on loopback that trip is free, so every ACK would otherwise compete with the
 * fan-out it acknowledges). Single-threaded: the worker's loop owns it.
 */
final class SimDevices implements AutoCloseable
{
    static final byte FREE = 0;
    static final byte CONNECTING = 1;
    static final byte AUTHENTICATING = 2;
    static final byte OPEN = 3;

    static final int PULL_WINDOW = 64;
    static final long PULL_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final byte ACK_UNICAST = 1;
    private static final byte ACK_BROADCAST = 2;
    static final int MAX_BODY = Protocol.DEFAULT_MAX_BODY_LENGTH;

    private final int workerId;
    private final int count;
    private final String devicePrefix;
    private final InetSocketAddress target;
    private final InetAddress[] sources;
    private final TokenIssuer issuer;
    private final int keyId;
    private final int heartbeatSec;
    private final long ackDelayNs;

    private final Selector selector;
    private final SocketChannel[] channels;
    private final byte[] state;
    private final long[] cursorUnicast;
    private final long[] cursorBroadcast;
    private final long[] pulledToUnicast;
    private final long[] pulledToBroadcast;
    private final long[] pullSentUnicastNs;
    private final long[] pullSentBroadcastNs;
    private final long[] nextPingNs;
    private final long[] connectStartNs;
    private final byte[][] partial;
    private final ByteBuffer[] pendingOut;
    private final IntArrayQueue toConnect;
    private final byte[] ackPending;
    private final IntArrayQueue acksDue;
    private final LongArrayQueue ackDueNs;

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024 + Protocol.MAX_BODY_LENGTH);
    private final UnsafeBuffer read = new UnsafeBuffer(readBuffer);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(4096);
    private final UnsafeBuffer write = new UnsafeBuffer(writeBuffer);
    private final long[] cursorIds = new long[2];
    private final long[] cursorSeqs = new long[2];

    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final MsgDecoder msg = new MsgDecoder();
    private final NotifyDecoder notify = new NotifyDecoder();
    private final GapDecoder gap = new GapDecoder();
    private final PingDecoder pong = new PingDecoder();
    private final ByeDecoder bye = new ByeDecoder();
    private final ErrorDecoder error = new ErrorDecoder();

    final SimStats stats = new SimStats();
    private int sweep;
    private int serverHeartbeatSec;

    SimDevices(
        final int workerId,
        final int count,
        final String devicePrefix,
        final InetSocketAddress target,
        final int sourceCount,
        final TokenIssuer issuer,
        final int keyId,
        final int heartbeatSec,
        final long ackDelayNs) throws IOException
    {
        this.workerId = workerId;
        this.count = count;
        this.devicePrefix = devicePrefix;
        this.target = target;
        this.issuer = issuer;
        this.keyId = keyId;
        this.heartbeatSec = heartbeatSec;
        this.ackDelayNs = ackDelayNs;
        this.serverHeartbeatSec = heartbeatSec;
        this.sources = new InetAddress[Math.max(1, sourceCount)];
        for (int i = 0; i < sources.length; i++)
        {
            final int host = 2 + i;
            sources[i] = InetAddress.getByAddress(new byte[]{ 127, 0, (byte)(host >> 8), (byte)(host & 0xFF) });
        }
        this.selector = Selector.open();
        this.channels = new SocketChannel[count];
        this.state = new byte[count];
        this.cursorUnicast = new long[count];
        this.cursorBroadcast = new long[count];
        this.pulledToUnicast = new long[count];
        this.pulledToBroadcast = new long[count];
        this.pullSentUnicastNs = new long[count];
        this.pullSentBroadcastNs = new long[count];
        this.nextPingNs = new long[count];
        this.connectStartNs = new long[count];
        this.partial = new byte[count][];
        this.pendingOut = new ByteBuffer[count];
        this.toConnect = new IntArrayQueue(count, -1);
        this.ackPending = new byte[count];
        this.acksDue = new IntArrayQueue(count, -1);
        this.ackDueNs = new LongArrayQueue(count, Long.MIN_VALUE);
        for (int i = 0; i < count; i++)
        {
            toConnect.addInt(i);
        }
    }

    int count()
    {
        return count;
    }

    /**
     * @return true while devices wait to connect (the worker then polls more often to pace connects).
     */
    boolean connecting()
    {
        return !toConnect.isEmpty();
    }

    String deviceId(final int index)
    {
        return devicePrefix + "-" + workerId + "-" + index;
    }

    /**
     * Starts up to {@code max} connections from the queue of devices waiting to connect.
     *
     * @return connections started.
     */
    int connectSome(final int max, final long nowNs)
    {
        int started = 0;
        while (started < max && !toConnect.isEmpty())
        {
            final int i = toConnect.pollInt();
            started++;
            try
            {
                final SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.bind(new InetSocketAddress(sources[i % sources.length], 0));
                channels[i] = channel;
                connectStartNs[i] = nowNs;
                state[i] = CONNECTING;
                stats.connectAttempts++;
                if (channel.connect(target))
                {
                    channel.register(selector, SelectionKey.OP_READ, i);
                    sendHello(i);
                }
                else
                {
                    channel.register(selector, SelectionKey.OP_CONNECT, i);
                }
            }
            catch (final IOException ex)
            {
                stats.connectFailures++;
                reset(i, true);
            }
        }
        return started;
    }

    /**
     * One poll of the selector and one slice of the heartbeat sweep.
     *
     * @return work done.
     */
    int poll(final long timeoutMs, final long nowNs) throws IOException
    {
        final long waitMs = acksDue.isEmpty() ? timeoutMs : Math.min(timeoutMs, 1);
        final int selected = waitMs > 0 ? selector.select(this::onSelected, waitMs) : selector.selectNow(this::onSelected);
        final long afterNs = System.nanoTime();
        return selected + sendDueAcks(afterNs) + sweepHeartbeats(afterNs);
    }

    /**
     * Closes every connection at once, as a network outage would, and queues all devices to reconnect.
     */
    void dropAll()
    {
        for (int i = 0; i < count; i++)
        {
            if (state[i] != FREE)
            {
                reset(i, false);
            }
        }
        toConnect.clear();
        for (int i = 0; i < count; i++)
        {
            toConnect.addInt(i);
        }
    }

    private void onSelected(final SelectionKey key)
    {
        final int i = (Integer)key.attachment();
        try
        {
            if (key.isConnectable())
            {
                if (((SocketChannel)key.channel()).finishConnect())
                {
                    key.interestOps(SelectionKey.OP_READ);
                    sendHello(i);
                }
                return;
            }
            if (key.isWritable())
            {
                flushPending(i, key);
            }
            if (key.isReadable())
            {
                onReadable(i);
            }
        }
        catch (final IOException ex)
        {
            if (state[i] == CONNECTING)
            {
                stats.connectFailures++;
            }
            else
            {
                stats.closedByPeer++;
            }
            reset(i, true);
        }
    }

    private void sendHello(final int i) throws IOException
    {
        state[i] = AUTHENTICATING;
        final long nowSec = System.currentTimeMillis() / 1000;
        final byte[] token = issuer.issue(keyId, deviceId(i), nowSec - 60, nowSec + TimeUnit.DAYS.toSeconds(1));
        int cursors = 0;
        if (cursorUnicast[i] > 0)
        {
            cursorIds[cursors] = Protocol.UNICAST_STREAM_ID;
            cursorSeqs[cursors++] = cursorUnicast[i];
        }
        if (cursorBroadcast[i] > 0)
        {
            cursorIds[cursors] = Protocol.BROADCAST_STREAM_ID;
            cursorSeqs[cursors++] = cursorBroadcast[i];
        }
        final int length = FrameEncoder.hello(write, 0, Protocol.MAX_VERSION, deviceId(i), token, heartbeatSec, cursorIds, cursorSeqs, cursors);
        send(i, length);
    }

    private void onReadable(final int i) throws IOException
    {
        readBuffer.clear();
        final byte[] held = partial[i];
        if (null != held)
        {
            readBuffer.put(held);
            partial[i] = null;
        }
        final int n = channels[i].read(readBuffer);
        if (n < 0)
        {
            stats.closedByPeer++;
            reset(i, true);
            return;
        }
        stats.bytesIn += n;
        final int limit = readBuffer.position();
        final long nowNs = System.nanoTime();
        boolean ackUnicast = false;
        boolean ackBroadcast = false;
        int offset = 0;
        while (offset < limit)
        {
            final int frameLength = FrameHeader.frameLength(read, offset, limit - offset, MAX_BODY);
            if (frameLength == 0)
            {
                final byte[] rest = new byte[limit - offset];
                read.getBytes(offset, rest);
                partial[i] = rest;
                break;
            }
            if (frameLength < 0)
            {
                stats.protocolErrors++;
                reset(i, true);
                return;
            }
            final int type = FrameHeader.type(read, offset);
            final int bodyOffset = offset + FrameHeader.headerLength(read, offset);
            final int bodyLength = offset + frameLength - bodyOffset;
            switch (type)
            {
                case FrameType.WELCOME -> onWelcome(i, bodyOffset, bodyLength, nowNs);
                case FrameType.PONG ->
                {
                    if (pong.wrap(read, bodyOffset, bodyLength) == 0)
                    {
                        stats.pongs++;
                        serverHeartbeatSec = pong.intervalSec();
                    }
                }
                case FrameType.MSG ->
                {
                    if (msg.wrap(read, bodyOffset, bodyLength, FrameHeader.flags(read, offset)) == 0)
                    {
                        if (msg.streamId() == Protocol.UNICAST_STREAM_ID)
                        {
                            ackUnicast |= onUnicast(i, nowNs);
                        }
                        else
                        {
                            ackBroadcast |= onTopic(i, nowNs);
                        }
                    }
                }
                case FrameType.NOTIFY ->
                {
                    if (notify.wrap(read, bodyOffset, bodyLength) == 0)
                    {
                        stats.notifies++;
                        final boolean unicast = notify.streamId() == Protocol.UNICAST_STREAM_ID;
                        final long cursor = unicast ? cursorUnicast[i] : cursorBroadcast[i];
                        if (notify.newestSeq() > cursor)
                        {
                            pull(i, notify.streamId(), cursor + 1, notify.newestSeq());
                        }
                        else if (cursor > 0)
                        {
                            // it holds all of that already (its ACK was lost, e.g. with a dispatch restart): say so,
                            // or dispatch would wait for a PULL that never comes before it notifies again
                            ackUnicast |= unicast;
                            ackBroadcast |= !unicast;
                        }
                    }
                }
                case FrameType.GAP ->
                {
                    if (gap.wrap(read, bodyOffset, bodyLength) == 0)
                    {
                        stats.gaps++;
                        if (gap.streamId() == Protocol.UNICAST_STREAM_ID)
                        {
                            cursorUnicast[i] = Math.max(cursorUnicast[i], gap.toSeq());
                            ackUnicast = true;
                        }
                        else
                        {
                            cursorBroadcast[i] = Math.max(cursorBroadcast[i], gap.toSeq());
                            ackBroadcast = true;
                        }
                    }
                }
                case FrameType.BYE ->
                {
                    final int reason = bye.wrap(read, bodyOffset, bodyLength) == 0 ? bye.reason() : 0;
                    stats.onBye(reason);
                    reset(i, reason != CloseReason.REPLACED);
                    return;
                }
                case FrameType.REDIRECT ->
                {
                    stats.redirects++;
                    reset(i, true);
                    return;
                }
                case FrameType.ERROR ->
                {
                    stats.onError(error.wrap(read, bodyOffset, bodyLength) == 0 ? error.code() : 0);
                }
                default -> stats.otherFrames++;
            }
            offset += frameLength;
        }
        if (ackDelayNs > 0)
        {
            final int pendingBefore = ackPending[i];
            ackPending[i] |= (byte)((ackUnicast ? ACK_UNICAST : 0) | (ackBroadcast ? ACK_BROADCAST : 0));
            if (0 == pendingBefore && 0 != ackPending[i])
            {
                acksDue.addInt(i);
                ackDueNs.addLong(nowNs + ackDelayNs);
            }
            return;
        }
        if (ackUnicast)
        {
            send(i, FrameEncoder.ack(write, 0, Protocol.UNICAST_STREAM_ID, cursorUnicast[i]));
        }
        if (ackBroadcast)
        {
            send(i, FrameEncoder.ack(write, 0, Protocol.BROADCAST_STREAM_ID, cursorBroadcast[i]));
        }
    }

    /**
     * Sends every delayed ACK now (the worker is stopping: dispatch should hear of what the devices got).
     *
     * @return ACKs sent.
     */
    int flushAcks()
    {
        return sendAcks(0, true);
    }

    /**
     * Sends the delayed cumulative ACKs that are due: devices queue in the order their first unacknowledged
     * message arrived, and the delay is the same for all, so the queue is in deadline order.
     */
    private int sendDueAcks(final long nowNs)
    {
        return sendAcks(nowNs, false);
    }

    private int sendAcks(final long nowNs, final boolean all)
    {
        int sent = 0;
        while (!acksDue.isEmpty())
        {
            if (!all && ackDueNs.peekLong() - nowNs > 0)
            {
                break;
            }
            ackDueNs.pollLong();
            final int i = acksDue.pollInt();
            final int pending = ackPending[i];
            ackPending[i] = 0;
            if (state[i] != OPEN || 0 == pending)
            {
                continue;
            }
            try
            {
                if (0 != (pending & ACK_UNICAST))
                {
                    send(i, FrameEncoder.ack(write, 0, Protocol.UNICAST_STREAM_ID, cursorUnicast[i]));
                }
                if (0 != (pending & ACK_BROADCAST))
                {
                    send(i, FrameEncoder.ack(write, 0, Protocol.BROADCAST_STREAM_ID, cursorBroadcast[i]));
                }
                sent++;
            }
            catch (final IOException ex)
            {
                stats.closedByPeer++;
                reset(i, true);
            }
        }
        return sent;
    }

    private void onWelcome(final int i, final int bodyOffset, final int bodyLength, final long nowNs)
    {
        if (welcome.wrap(read, bodyOffset, bodyLength) != 0)
        {
            stats.protocolErrors++;
            return;
        }
        state[i] = OPEN;
        serverHeartbeatSec = welcome.heartbeatSec();
        stats.welcomed++;
        stats.welcomedNow++;
        stats.connectLatency.recordValue(Math.max(1, Math.min(SimStats.MAX_NS, nowNs - connectStartNs[i])));
        final long intervalNs = TimeUnit.SECONDS.toNanos(serverHeartbeatSec);
        nextPingNs[i] = nowNs + ThreadLocalRandom.current().nextLong(intervalNs / 2, intervalNs + 1);
    }

    private boolean onUnicast(final int i, final long nowNs) throws IOException
    {
        final long seq = msg.seq();
        final long cursor = cursorUnicast[i];
        if (seq <= cursor)
        {
            stats.duplicates++;
            return true;
        }
        if (seq > cursor + 1)
        {
            stats.holes++;
            pull(i, Protocol.UNICAST_STREAM_ID, cursor + 1, seq);
            return false;
        }
        cursorUnicast[i] = seq;
        if (isMeasured())
        {
            stats.unicastDelivered++;
            recordLatency(stats.unicastLatency, nowNs);
        }
        return true;
    }

    private boolean onTopic(final int i, final long nowNs) throws IOException
    {
        final long seq = msg.seq();
        final long cursor = cursorBroadcast[i];
        if (seq <= cursor)
        {
            stats.duplicates++;
            return true;
        }
        cursorBroadcast[i] = seq;
        if (isMeasured())
        {
            stats.broadcastDelivered++;
            final long latencyNs = recordLatency(stats.broadcastLatency, nowNs);
            stats.broadcastMaxNs = Math.max(stats.broadcastMaxNs, latencyNs);
        }
        return true;
    }

    /**
     * @return true if the message in {@link #msg} belongs to the current measurement: its payload carries
     * the run's nonce after the send time. Messages retained from earlier runs (a reconnecting device
     * PULLs them) are delivered and ACKed like any other but not counted.
     */
    private boolean isMeasured()
    {
        return msg.payloadLength() >= 2 * Long.BYTES && read.getLong(msg.payloadOffset() + Long.BYTES) == stats.nonce;
    }

    private long recordLatency(final Histogram histogram, final long nowNs)
    {
        if (msg.payloadLength() < Long.BYTES)
        {
            return 0;
        }
        final long latencyNs = Math.max(1, Math.min(SimStats.MAX_NS, nowNs - read.getLong(msg.payloadOffset())));
        histogram.recordValue(latencyNs);
        return latencyNs;
    }

    /**
     * PULLs {@code from..to} (at most {@link #PULL_WINDOW}), unless a PULL already asked for that far and is younger
     * than {@link #PULL_RETRY_NS}: like the SDK, a device does not pull a range again while its answer is on the way
     * (dispatch continues a PULL answer that back pressure cut short), so a burst of NOTIFYs or holes costs one PULL.
     */
    private void pull(final int i, final long streamId, final long from, final long to) throws IOException
    {
        final boolean unicast = streamId == Protocol.UNICAST_STREAM_ID;
        final long end = Math.min(to, from + PULL_WINDOW - 1);
        final long pulledTo = unicast ? pulledToUnicast[i] : pulledToBroadcast[i];
        final long sentNs = unicast ? pullSentUnicastNs[i] : pullSentBroadcastNs[i];
        final long nowNs = System.nanoTime();
        if (end <= pulledTo && nowNs - sentNs < PULL_RETRY_NS)
        {
            return;
        }
        stats.pulls++;
        if (unicast)
        {
            pulledToUnicast[i] = end;
            pullSentUnicastNs[i] = nowNs;
        }
        else
        {
            pulledToBroadcast[i] = end;
            pullSentBroadcastNs[i] = nowNs;
        }
        send(i, FrameEncoder.pull(write, 0, streamId, from, end));
    }

    private int sweepHeartbeats(final long nowNs)
    {
        final int slice = Math.max(64, count / 100);
        int work = 0;
        for (int k = 0; k < slice && count > 0; k++)
        {
            final int i = sweep;
            sweep = sweep + 1 == count ? 0 : sweep + 1;
            if (state[i] == OPEN && nowNs - nextPingNs[i] >= 0)
            {
                nextPingNs[i] = nowNs + TimeUnit.SECONDS.toNanos(serverHeartbeatSec);
                try
                {
                    send(i, FrameEncoder.ping(write, 0, heartbeatSec));
                    stats.pings++;
                    work++;
                }
                catch (final IOException ex)
                {
                    stats.closedByPeer++;
                    reset(i, true);
                }
            }
        }
        return work;
    }

    private void send(final int i, final int length) throws IOException
    {
        final SocketChannel channel = channels[i];
        if (null != pendingOut[i])
        {
            appendPending(i, 0, length);
            return;
        }
        writeBuffer.clear().limit(length);
        channel.write(writeBuffer);
        stats.bytesOut += length - writeBuffer.remaining();
        if (writeBuffer.hasRemaining())
        {
            appendPending(i, writeBuffer.position(), length);
            channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void appendPending(final int i, final int from, final int to)
    {
        final ByteBuffer old = pendingOut[i];
        final int oldLength = null == old ? 0 : old.remaining();
        final ByteBuffer next = ByteBuffer.allocate(oldLength + to - from);
        if (null != old)
        {
            next.put(old);
        }
        for (int p = from; p < to; p++)
        {
            next.put(write.getByte(p));
        }
        next.flip();
        pendingOut[i] = next;
    }

    private void flushPending(final int i, final SelectionKey key) throws IOException
    {
        final ByteBuffer pending = pendingOut[i];
        if (null != pending)
        {
            final int before = pending.remaining();
            channels[i].write(pending);
            stats.bytesOut += before - pending.remaining();
            if (!pending.hasRemaining())
            {
                pendingOut[i] = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    private void reset(final int i, final boolean reconnect)
    {
        final SocketChannel channel = channels[i];
        if (state[i] == OPEN)
        {
            stats.welcomedNow--;
        }
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing a socket that already failed: nothing to do
            }
        }
        channels[i] = null;
        partial[i] = null;
        pendingOut[i] = null;
        ackPending[i] = 0;
        pulledToUnicast[i] = 0;
        pulledToBroadcast[i] = 0;
        state[i] = FREE;
        if (reconnect)
        {
            stats.reconnects++;
            toConnect.addInt(i);
        }
    }

    public void close()
    {
        for (int i = 0; i < count; i++)
        {
            if (state[i] != FREE)
            {
                reset(i, false);
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // shutting down
        }
    }
}
