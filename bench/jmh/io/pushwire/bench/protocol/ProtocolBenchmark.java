package io.pushwire.bench.protocol;

import io.pushwire.protocol.AckDecoder;
import io.pushwire.protocol.FrameEncoder;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.HelloDecoder;
import io.pushwire.protocol.MsgDecoder;
import io.pushwire.protocol.NotifyDecoder;
import io.pushwire.protocol.PingDecoder;
import io.pushwire.protocol.Protocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Encode-then-decode of the frames on the hot path, into and out of a direct buffer as a reactor would. Each
 * benchmark returns a value derived from the decoded fields so nothing is dead code. Run with {@code -prof gc}: the
 * allocation per operation must be about 0 B.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ProtocolBenchmark
{
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer payload64 = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final UnsafeBuffer payload1k = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer deviceId = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
    private final UnsafeBuffer token = new UnsafeBuffer(ByteBuffer.allocateDirect(44));
    private final long[] cursorStreamIds = { 0, 1 };
    private final long[] cursorSeqs = { 4_711, 93 };
    private final HelloDecoder hello = new HelloDecoder();
    private final PingDecoder ping = new PingDecoder();
    private final MsgDecoder msg = new MsgDecoder();
    private final NotifyDecoder notify = new NotifyDecoder();
    private final AckDecoder ack = new AckDecoder();
    private int deviceIdLength;
    private long seq;

    @Setup
    public void setup()
    {
        final byte[] id = "a1b2c3d4e5f6g7h8i9j0kl".getBytes(StandardCharsets.US_ASCII);
        deviceId.putBytes(0, id);
        deviceIdLength = id.length;
        for (int i = 0; i < 44; i++)
        {
            token.putByte(i, (byte)(i * 31));
        }
    }

    @Benchmark
    public long hello()
    {
        final int length = FrameEncoder.hello(frame, 0, 1, deviceId, 0, deviceIdLength, token, 0, 44, 270,
            cursorStreamIds, cursorSeqs, 2);
        final int body = decodeHeader(length);
        if (hello.wrap(frame, body, length - body) != 0)
        {
            throw new IllegalStateException();
        }
        return hello.cursorSeq(1) + hello.tokenLength();
    }

    @Benchmark
    public long ping()
    {
        final int length = FrameEncoder.ping(frame, 0, 270);
        final int body = decodeHeader(length);
        if (ping.wrap(frame, body, length - body) != 0)
        {
            throw new IllegalStateException();
        }
        return ping.intervalSec();
    }

    @Benchmark
    public long msg64()
    {
        return msg(payload64, 64);
    }

    @Benchmark
    public long msg1k()
    {
        return msg(payload1k, 1024);
    }

    @Benchmark
    public long notifyFrame()
    {
        final int length = FrameEncoder.notify(frame, 0, 1, ++seq);
        final int body = decodeHeader(length);
        if (notify.wrap(frame, body, length - body) != 0)
        {
            throw new IllegalStateException();
        }
        return notify.newestSeq();
    }

    @Benchmark
    public long ack()
    {
        final int length = FrameEncoder.ack(frame, 0, 0, ++seq);
        final int body = decodeHeader(length);
        if (ack.wrap(frame, body, length - body) != 0)
        {
            throw new IllegalStateException();
        }
        return ack.seq();
    }

    private long msg(final UnsafeBuffer payload, final int payloadLength)
    {
        final int length = FrameEncoder.msg(frame, 0, 0, 0, ++seq, 1_234_567_890_123L + seq, 7, payload, 0, payloadLength);
        final int body = decodeHeader(length);
        if (msg.wrap(frame, body, length - body, FrameHeader.flags(frame, 0)) != 0)
        {
            throw new IllegalStateException();
        }
        return msg.seq() + msg.payloadLength();
    }

    private int decodeHeader(final int available)
    {
        final int length = FrameHeader.frameLength(frame, 0, available, Protocol.DEFAULT_MAX_BODY_LENGTH);
        if (length != available)
        {
            throw new IllegalStateException("frameLength " + length);
        }
        return FrameHeader.headerLength(frame, 0);
    }
}
