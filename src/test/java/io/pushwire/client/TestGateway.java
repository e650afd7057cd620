package io.pushwire.client;

import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameDecoders;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHandler;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.HelloDecoder;
import io.pushwire.protocol.Probe;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.StreamingFrameDecoder;
import io.pushwire.protocol.TokenKeys;
import io.pushwire.protocol.TokenVerifier;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small gateway for the SDK's tests: a real TCP server and UDP probe socket on one loopback address, speaking the
 * device protocol through the protocol package. It verifies tokens, answers HELLO with WELCOME, PING with a clamped
 * PONG, PULL from its stored messages (GAP for ranges marked expired), SUB/UNSUB with SUB_ACK and UP with UP_ACK,
 * records what the device sent, and sends MSG, NOTIFY, GAP, REDIRECT, ERROR and BYE on demand. Probes are answered
 * after a configurable delay with configurable flags. One device connection at a time (a newer one replaces the
 * older). Settings are volatile so tests may change them while the gateway runs.
 */
final class TestGateway implements AutoCloseable
{
    record Hello(String deviceId, int heartbeatSec, Map<Long, Long> cursors)
    {
    }

    record StreamSeq(long streamId, long seq)
    {
    }

    record Range(long streamId, long fromSeq, long toSeq)
    {
    }

    private record Stored(long messageId, int appId, byte[] payload)
    {
    }

    private static final AtomicLong SESSION_IDS = new AtomicLong(1);

    private final String host;
    private final ServerSocket serverSocket;
    private final DatagramSocket probeSocket;
    private final TokenVerifier verifier;
    private final Thread acceptThread;
    private final Thread probeThread;
    private volatile boolean running = true;
    private volatile Socket connection;
    private volatile OutputStream out;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[Protocol.MAX_BODY_LENGTH + 8]);

    volatile boolean answerProbes = true;
    volatile long probeDelayMs;
    volatile int probeFlags;
    volatile boolean answerPings = true;
    volatile int minHeartbeatSec = 1;
    volatile int maxHeartbeatSec = 3600;
    volatile boolean ignoreAcks;
    volatile boolean resendUnackedOnHello;

    final AtomicInteger probesReceived = new AtomicInteger();
    final AtomicInteger connectionsAccepted = new AtomicInteger();
    final List<Hello> hellos = new CopyOnWriteArrayList<>();
    final List<Integer> pings = new CopyOnWriteArrayList<>();
    final List<StreamSeq> acks = new CopyOnWriteArrayList<>();
    final List<Range> pulls = new CopyOnWriteArrayList<>();
    final List<String> subs = new CopyOnWriteArrayList<>();
    final List<String> ups = new CopyOnWriteArrayList<>();
    final List<Integer> byes = new CopyOnWriteArrayList<>();
    final List<Integer> authFailures = new CopyOnWriteArrayList<>();

    private final Map<Long, TreeMap<Long, Stored>> streams = new ConcurrentHashMap<>();
    private final Map<Long, TreeMap<Long, Long>> expired = new ConcurrentHashMap<>();
    private final Map<Long, Long> serverAcked = new ConcurrentHashMap<>();
    private final Map<String, Long> topicStreams = new ConcurrentHashMap<>();

    /**
     * @param host a loopback address such as 127.0.0.2.
     * @param keys the token keys to verify HELLO with.
     */
    TestGateway(final String host, final TokenKeys keys) throws IOException
    {
        this.host = host;
        this.verifier = new TokenVerifier(keys);
        final InetAddress address = InetAddress.getByName(host);
        ServerSocket tcp = null;
        DatagramSocket udp = null;
        for (int attempt = 0; attempt < 20 && null == udp; attempt++)
        {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, 0));
            try
            {
                udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()));
            }
            catch (final BindException ex)
            {
                tcp.close();
            }
        }
        if (null == udp)
        {
            throw new IOException("no port free for both TCP and UDP on " + host);
        }
        serverSocket = tcp;
        probeSocket = udp;
        acceptThread = Thread.ofPlatform().daemon().name("test-gateway-accept-" + host).start(this::acceptLoop);
        probeThread = Thread.ofPlatform().daemon().name("test-gateway-probe-" + host).start(this::probeLoop);
    }

    String host()
    {
        return host;
    }

    int port()
    {
        return serverSocket.getLocalPort();
    }

    String address()
    {
        return host + ":" + port();
    }

    InetSocketAddress socketAddress()
    {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /**
     * Stores the next message of a stream.
     *
     * @return its seq.
     */
    long store(final long streamId, final String payload)
    {
        final TreeMap<Long, Stored> stream = streams.computeIfAbsent(streamId, id -> new TreeMap<>());
        synchronized (stream)
        {
            final long seq = stream.isEmpty() ? 1 : stream.lastKey() + 1;
            stream.put(seq, new Stored(1000 * streamId + seq, 7, payload.getBytes(StandardCharsets.UTF_8)));
            return seq;
        }
    }

    /**
     * Marks stored seqs as expired: PULL answers them with GAP(reason expired).
     */
    void expire(final long streamId, final long fromSeq, final long toSeq)
    {
        expired.computeIfAbsent(streamId, id -> new TreeMap<>()).put(fromSeq, toSeq);
    }

    void topic(final String topic, final long streamId)
    {
        topicStreams.put(topic, streamId);
    }

    boolean isConnected()
    {
        final Socket s = connection;
        return null != s && !s.isClosed();
    }

    void sendMsg(final long streamId, final long seq)
    {
        final Stored m = stored(streamId, seq);
        send(FrameEncoder.msg(sendBuffer, 0, 0, streamId, seq, m.messageId(), m.appId(),
            new UnsafeBuffer(m.payload()), 0, m.payload().length));
    }

    void sendNotify(final long streamId, final long newestSeq)
    {
        send(FrameEncoder.notify(sendBuffer, 0, streamId, newestSeq));
    }

    void sendGap(final long streamId, final long fromSeq, final long toSeq, final int reason)
    {
        send(FrameEncoder.gap(sendBuffer, 0, streamId, fromSeq, toSeq, reason));
    }

    void sendRedirect(final int delayMs, final String targetHost, final int targetPort)
    {
        send(FrameEncoder.redirect(sendBuffer, 0, Protocol.REDIRECT_DRAINING, delayMs,
            new CharSequence[]{ targetHost }, new int[]{ targetPort }, 1));
    }

    void sendBye(final int reason)
    {
        send(FrameEncoder.bye(sendBuffer, 0, reason));
    }

    void sendError(final int code, final String reason)
    {
        send(FrameEncoder.error(sendBuffer, 0, code, reason));
    }

    /**
     * Drops the device connection without a word, as a dead network path would.
     */
    void dropConnection()
    {
        final Socket s = connection;
        if (null != s)
        {
            closeQuietly(s);
        }
    }

    long highestAck(final long streamId)
    {
        long highest = 0;
        for (final StreamSeq ack : acks)
        {
            if (ack.streamId() == streamId)
            {
                highest = Math.max(highest, ack.seq());
            }
        }
        return highest;
    }

    public void close()
    {
        running = false;
        dropConnection();
        try
        {
            serverSocket.close();
        }
        catch (final IOException ignore)
        {
            // Closing a test server: nothing to do.
        }
        probeSocket.close();
        try
        {
            acceptThread.join(2_000);
            probeThread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private Stored stored(final long streamId, final long seq)
    {
        final TreeMap<Long, Stored> stream = streams.get(streamId);
        synchronized (stream)
        {
            return stream.get(seq);
        }
    }

    private synchronized void send(final int length)
    {
        final OutputStream o = out;
        if (null == o)
        {
            return;
        }
        try
        {
            o.write(sendBuffer.byteArray(), 0, length);
        }
        catch (final IOException ex)
        {
            dropConnection();
        }
    }

    private void acceptLoop()
    {
        while (running)
        {
            final Socket s;
            try
            {
                s = serverSocket.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            connectionsAccepted.incrementAndGet();
            final Socket old = connection;
            if (null != old)
            {
                closeQuietly(old);
            }
            Thread.ofVirtual().name("test-gateway-conn-" + host).start(() -> serve(s));
        }
    }

    private void serve(final Socket s)
    {
        final StreamingFrameDecoder decoder = new StreamingFrameDecoder(Protocol.DEFAULT_MAX_BODY_LENGTH, true);
        final FrameDecoders d = decoder.decoders();
        final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[4096]);
        try (s)
        {
            s.setTcpNoDelay(true);
            final InputStream in = s.getInputStream();
            synchronized (this)
            {
                connection = s;
                out = s.getOutputStream();
            }
            final FrameHandler handler = (type, flags, buffer, offset, length) -> onFrame(type, d, s);
            int read;
            while (running && (read = in.read(readBuffer.byteArray())) > 0)
            {
                if (decoder.onBytes(readBuffer, 0, read, handler) < 0)
                {
                    send(FrameEncoder.error(sendBuffer, 0, -decoder.error(), "bad frame"));
                    return;
                }
            }
        }
        catch (final IOException ignore)
        {
            // The device went away or the test dropped the connection.
        }
        finally
        {
            synchronized (this)
            {
                if (connection == s)
                {
                    connection = null;
                    out = null;
                }
            }
        }
    }

    private void onFrame(final int type, final FrameDecoders d, final Socket s)
    {
        if (connection != s)
        {
            return;
        }
        switch (type)
        {
            case FrameType.HELLO -> onHello(d.hello(), s);
            case FrameType.PING ->
            {
                final int proposed = d.ping().intervalSec();
                pings.add(proposed);
                if (answerPings)
                {
                    send(FrameEncoder.pong(sendBuffer, 0, clamp(proposed)));
                }
            }
            case FrameType.ACK ->
            {
                acks.add(new StreamSeq(d.ack().streamId(), d.ack().seq()));
                if (!ignoreAcks)
                {
                    serverAcked.merge(d.ack().streamId(), d.ack().seq(), Math::max);
                }
            }
            case FrameType.PULL -> onPull(d.pull().streamId(), d.pull().fromSeq(), d.pull().toSeq());
            case FrameType.SUB, FrameType.UNSUB ->
            {
                final String topic = d.sub().topicAsString();
                subs.add((FrameType.SUB == type ? "sub " : "unsub ") + topic);
                final long streamId = topicStreams.getOrDefault(topic, 0L);
                final TreeMap<Long, Stored> stream = streams.get(streamId);
                final long head = null == stream || stream.isEmpty() ? 0 : stream.lastKey();
                send(FrameEncoder.subAck(sendBuffer, 0, d.sub().requestId(), 0 == streamId ? ErrorCode.BAD_TOPIC : 0,
                    streamId, head));
            }
            case FrameType.UP ->
            {
                final byte[] payload = new byte[d.up().payloadLength()];
                d.up().buffer().getBytes(d.up().payloadOffset(), payload);
                ups.add(d.up().appId() + ":" + new String(payload, StandardCharsets.UTF_8));
                send(FrameEncoder.upAck(sendBuffer, 0, d.up().requestId(), 0));
            }
            case FrameType.BYE -> byes.add(d.bye().reason());
            default ->
            {
            }
        }
    }

    private void onHello(final HelloDecoder hello, final Socket s)
    {
        final int result;
        synchronized (verifier)
        {
            result = verifier.verify(hello.buffer(), hello.tokenOffset(), hello.tokenLength(),
                hello.buffer(), hello.deviceIdOffset(), hello.deviceIdLength(), System.currentTimeMillis() / 1000);
        }
        if (result < 0)
        {
            authFailures.add(-result);
            send(FrameEncoder.error(sendBuffer, 0, -result, "token refused"));
            send(FrameEncoder.bye(sendBuffer, 0, CloseReason.AUTH_FAILED));
            closeQuietly(s);
            return;
        }
        final Map<Long, Long> cursors = new TreeMap<>();
        for (int i = 0; i < hello.cursorCount(); i++)
        {
            cursors.put(hello.cursorStreamId(i), hello.cursorSeq(i));
        }
        hellos.add(new Hello(hello.deviceIdAsString(), hello.heartbeatSec(), cursors));
        send(FrameEncoder.welcome(sendBuffer, 0, 1, clamp(hello.heartbeatSec()), SESSION_IDS.getAndIncrement(),
            System.currentTimeMillis()));
        if (resendUnackedOnHello)
        {
            for (final Map.Entry<Long, TreeMap<Long, Stored>> e : streams.entrySet())
            {
                final long acked = serverAcked.getOrDefault(e.getKey(), 0L);
                final List<Long> seqs;
                synchronized (e.getValue())
                {
                    seqs = List.copyOf(e.getValue().tailMap(acked, false).keySet());
                }
                for (final long seq : seqs)
                {
                    sendMsg(e.getKey(), seq);
                }
            }
        }
    }

    private void onPull(final long streamId, final long fromSeq, final long toSeq)
    {
        pulls.add(new Range(streamId, fromSeq, toSeq));
        final TreeMap<Long, Long> gone = expired.getOrDefault(streamId, new TreeMap<>());
        long seq = fromSeq;
        while (seq <= toSeq)
        {
            final Map.Entry<Long, Long> gap = gone.floorEntry(seq);
            if (null != gap && gap.getValue() >= seq)
            {
                final long to = Math.min(toSeq, gap.getValue());
                sendGap(streamId, seq, to, Protocol.GAP_EXPIRED);
                seq = to + 1;
                continue;
            }
            final TreeMap<Long, Stored> stream = streams.get(streamId);
            if (null != stream && null != stored(streamId, seq))
            {
                sendMsg(streamId, seq);
            }
            seq++;
        }
    }

    private void probeLoop()
    {
        final byte[] bytes = new byte[64];
        final DatagramPacket packet = new DatagramPacket(bytes, bytes.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        while (running)
        {
            try
            {
                packet.setLength(bytes.length);
                probeSocket.receive(packet);
            }
            catch (final IOException ex)
            {
                return;
            }
            if (!Probe.isRequest(buffer, 0, packet.getLength()))
            {
                continue;
            }
            probesReceived.incrementAndGet();
            if (!answerProbes)
            {
                continue;
            }
            final byte[] response = new byte[Probe.RESPONSE_LENGTH];
            Probe.encodeResponse(new UnsafeBuffer(response), 0, Probe.nonce(buffer, 0), 100, 1, probeFlags);
            final InetSocketAddress from = (InetSocketAddress)packet.getSocketAddress();
            final long delayMs = probeDelayMs;
            Thread.ofVirtual().start(() ->
            {
                try
                {
                    if (delayMs > 0)
                    {
                        Thread.sleep(delayMs);
                    }
                    probeSocket.send(new DatagramPacket(response, response.length, from));
                }
                catch (final InterruptedException | IOException ignore)
                {
                    // A test gateway shutting down.
                }
            });
        }
    }

    private int clamp(final int sec)
    {
        return Math.max(minHeartbeatSec, Math.min(maxHeartbeatSec, sec));
    }

    private static void closeQuietly(final Socket s)
    {
        try
        {
            s.close();
        }
        catch (final IOException ignore)
        {
            // Best effort.
        }
    }
}
