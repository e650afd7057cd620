package io.pushwire.gateway;

import io.pushwire.link.DispatchProxy;
import io.pushwire.protocol.CloseReason;
import io.pushwire.protocol.ErrorCode;
import io.pushwire.protocol.FrameDecoders;
import io.pushwire.protocol.FrameHeader;
import io.pushwire.protocol.FrameType;
import io.pushwire.protocol.HelloDecoder;
import io.pushwire.protocol.Protocol;
import io.pushwire.protocol.TokenVerifier;
import org.agrona.DirectBuffer;

/**
 * Cuts one connection's received bytes into whole frames, in place, and acts on each: HELLO (token,
 * version, heartbeat) before anything else, PING answered here, ACK / PULL / SUB / UNSUB / UP validated
 * and forwarded to dispatch, BYE closes, anything else is a protocol error that closes only this
 * connection. Single-threaded: owned by a reactor; allocates nothing per frame.
 * <p>
 * When an upstream offer fails (back pressure, or no dispatch) the frame is left unconsumed and
 * {@link #isBlocked()} says so: the reactor keeps the bytes and stops reading that socket until an offer
 * succeeds.
 * <p>
 * Rate limit: a token bucket per connection of {@code rate-burst-frames} tokens refilled at
 * {@code rate-frames-per-sec}, every frame after HELLO (PINGs included) taking one; a frame that finds the bucket
 * empty closes the connection (RATE_LIMITED). It is kept as one number, the generic cell rate algorithm's
 * theoretical arrival time: each frame moves it on by {@code 1 s / rate} from {@code max(it, now)}, and a frame
 * that would move it more than {@code burst / rate} past now is over the limit. A device that ACKs every MSG of
 * a 64-MSG PULL batch sends 65 frames at once, which a bucket of 400 takes without question, while a sustained
 * flood is still cut off within {@code burst / rate} seconds.
 */
final class DeviceFrameAdapter
{
    /**
     * {@link #onBytes} result: the connection was closed while its bytes were handled.
     */
    static final int CLOSED = -1;

    private final ReactorAgent reactor;
    private final ConnectionTable table;
    private final DispatchProxy dispatch;
    private final GatewayCounters counters;
    private final TokenVerifier verifier;
    private final FrameDecoders decoders = new FrameDecoders();
    private final int maxBodyLength;
    private final long rateIntervalNs;
    private final long rateToleranceNs;
    private final int heartbeatMinSec;
    private final int heartbeatMaxSec;
    private boolean blocked;
    private long framesIn;
    private long nowNs;
    private long nowEpochMs;

    DeviceFrameAdapter(
        final ReactorAgent reactor,
        final ConnectionTable table,
        final DispatchProxy dispatch,
        final GatewayCounters counters,
        final TokenVerifier verifier,
        final GatewayContext ctx)
    {
        this.reactor = reactor;
        this.table = table;
        this.dispatch = dispatch;
        this.counters = counters;
        this.verifier = verifier;
        this.maxBodyLength = ctx.maxBodyLength();
        this.rateIntervalNs = 1_000_000_000L / ctx.rateFramesPerSec();
        this.rateToleranceNs = rateIntervalNs * ctx.rateBurstFrames();
        this.heartbeatMinSec = ctx.heartbeatMinSec();
        this.heartbeatMaxSec = ctx.heartbeatMaxSec();
    }

    void now(final long nowNs, final long nowEpochMs)
    {
        this.nowNs = nowNs;
        this.nowEpochMs = nowEpochMs;
    }

    /**
     * @return true if the last {@link #onBytes} stopped at a frame the dispatch link did not take.
     */
    boolean isBlocked()
    {
        return blocked;
    }

    /**
     * @param seconds an interval a device asks for.
     * @return it clamped to the configured heartbeat bounds.
     */
    int clampHeartbeat(final int seconds)
    {
        return Math.max(heartbeatMinSec, Math.min(heartbeatMaxSec, seconds));
    }

    /**
     * Handles every whole frame in {@code [offset, offset + length)}.
     *
     * @param slot   the connection.
     * @param buffer its received bytes.
     * @param offset where they start.
     * @param length how many.
     * @return bytes consumed (whole frames; the rest is a partial frame or a blocked one), or {@link #CLOSED}.
     */
    int onBytes(final int slot, final DirectBuffer buffer, final int offset, final int length)
    {
        blocked = false;
        final int generation = table.generation[slot];
        int position = 0;
        while (position < length)
        {
            final int frameOffset = offset + position;
            final int frameLength = FrameHeader.frameLength(buffer, frameOffset, length - position, maxBodyLength);
            if (0 == frameLength)
            {
                break;
            }
            if (frameLength < 0)
            {
                decodeError(slot, -frameLength);
                return CLOSED;
            }
            final boolean consumed = onFrame(slot, buffer, frameOffset, frameLength);
            if (table.generation[slot] != generation)
            {
                return CLOSED;
            }
            if (!consumed)
            {
                blocked = true;
                break;
            }
            framesIn++;
            position += frameLength;
        }
        return position;
    }

    private boolean onFrame(final int slot, final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        final int type = FrameHeader.type(buffer, frameOffset);
        final int headerLength = FrameHeader.headerLength(buffer, frameOffset);
        final int bodyOffset = frameOffset + headerLength;
        final int bodyLength = frameLength - headerLength;
        if (!FrameType.isClientToServer(type))
        {
            decodeError(slot, ErrorCode.WRONG_DIRECTION);
            return true;
        }

        final int result = decoders.wrap(type, FrameHeader.flags(buffer, frameOffset), buffer, bodyOffset, bodyLength);
        if (ConnectionTable.AWAITING_HELLO == table.stateOf(slot))
        {
            if (FrameType.HELLO != type)
            {
                decodeError(slot, ErrorCode.HELLO_REQUIRED);
                return true;
            }
            if (result < 0)
            {
                decodeError(slot, -result);
                return true;
            }
            return onHello(slot, buffer, bodyOffset, bodyLength);
        }

        if (!rateAllows(slot))
        {
            counters.rateLimitedCloses.increment();
            reactor.close(slot, CloseReason.RATE_LIMITED, ErrorCode.RATE_LIMITED);
            return true;
        }
        if (result < 0)
        {
            decodeError(slot, -result);
            return true;
        }

        switch (type)
        {
            case FrameType.PING ->
                reactor.onPing(slot, clampHeartbeat(decoders.ping().intervalSec()));
            case FrameType.BYE ->
                reactor.close(slot, CloseReason.CLIENT_CLOSE, 0);
            case FrameType.HELLO ->
                decodeError(slot, ErrorCode.DUPLICATE_HELLO);
            default ->
            {
                final long position = dispatch.deviceFrame(reactor.connectionId(slot), type, buffer, bodyOffset, bodyLength);
                if (position < 0)
                {
                    table.rateTatNs[slot] -= rateIntervalNs;
                    counters.upstreamBackPressure.increment();
                    return false;
                }
            }
        }
        return true;
    }

    private boolean onHello(final int slot, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        final HelloDecoder hello = decoders.hello();
        final int version = Protocol.negotiateVersion(hello.version());
        if (version < 0)
        {
            decodeError(slot, -version);
            return true;
        }
        final int verified = verifier.verify(
            buffer, hello.tokenOffset(), hello.tokenLength(),
            buffer, hello.deviceIdOffset(), hello.deviceIdLength(),
            nowEpochMs / 1000);
        if (verified < 0)
        {
            counters.authFailures.increment();
            reactor.close(slot, CloseReason.AUTH_FAILED, -verified);
            return true;
        }
        final int heartbeatSec = clampHeartbeat(hello.heartbeatSec());
        final long position = dispatch.sessionOpened(
            reactor.connectionId(slot), nowEpochMs, heartbeatSec, buffer, bodyOffset, bodyLength);
        if (position < 0)
        {
            counters.upstreamBackPressure.increment();
            return false;
        }
        table.rateTatNs[slot] = nowNs;
        reactor.onSessionOpened(slot, version, heartbeatSec);
        return true;
    }

    private boolean rateAllows(final int slot)
    {
        final long tat = table.rateTatNs[slot];
        final long next = (tat - nowNs < 0 ? nowNs : tat) + rateIntervalNs;
        if (next - nowNs > rateToleranceNs)
        {
            return false;
        }
        table.rateTatNs[slot] = next;
        return true;
    }

    private void decodeError(final int slot, final int errorCode)
    {
        counters.decodeErrors.increment();
        reactor.close(slot, CloseReason.PROTOCOL_ERROR, errorCode);
    }

    /**
     * Adds the frames received since the last call to the shared counter.
     */
    void flushCounters()
    {
        if (0 != framesIn)
        {
            counters.framesIn.getAndAdd(framesIn);
            framesIn = 0;
        }
    }
}
