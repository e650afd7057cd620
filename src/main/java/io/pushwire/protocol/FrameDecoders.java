package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * One of each body decoder, and a dispatch by frame type: {@link #wrap(int, int, DirectBuffer, int, int)} validates a
 * body with the decoder for its type, after which that decoder's accessors describe it. Allocated once, allocates
 * nothing per frame. Not thread-safe: one instance per thread.
 */
public final class FrameDecoders
{
    private final HelloDecoder hello = new HelloDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final PingDecoder ping = new PingDecoder();
    private final MsgDecoder msg = new MsgDecoder();
    private final NotifyDecoder notify = new NotifyDecoder();
    private final PullDecoder pull = new PullDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final GapDecoder gap = new GapDecoder();
    private final SubDecoder sub = new SubDecoder();
    private final SubAckDecoder subAck = new SubAckDecoder();
    private final UpDecoder up = new UpDecoder();
    private final UpAckDecoder upAck = new UpAckDecoder();
    private final RedirectDecoder redirect = new RedirectDecoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private final ByeDecoder bye = new ByeDecoder();

    /**
     * @param type       frame type.
     * @param flags      flag bits of the type byte (kept by {@link MsgDecoder}).
     * @param buffer     holds the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength the body length.
     * @return 0, or a negative {@code -ErrorCode} ({@link ErrorCode#UNKNOWN_TYPE} for a type v1 does not define).
     */
    public int wrap(final int type, final int flags, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        return switch (type)
        {
            case FrameType.HELLO -> hello.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.WELCOME -> welcome.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.PING, FrameType.PONG -> ping.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.MSG -> msg.wrap(buffer, bodyOffset, bodyLength, flags);
            case FrameType.NOTIFY -> notify.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.PULL -> pull.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.ACK -> ack.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.GAP -> gap.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.SUB, FrameType.UNSUB -> sub.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.SUB_ACK -> subAck.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.UP -> up.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.UP_ACK -> upAck.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.REDIRECT -> redirect.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.ERROR -> errorDecoder.wrap(buffer, bodyOffset, bodyLength);
            case FrameType.BYE -> bye.wrap(buffer, bodyOffset, bodyLength);
            default -> -ErrorCode.UNKNOWN_TYPE;
        };
    }

    public HelloDecoder hello()
    {
        return hello;
    }

    public WelcomeDecoder welcome()
    {
        return welcome;
    }

    /**
     * @return the decoder for PING and PONG bodies.
     */
    public PingDecoder ping()
    {
        return ping;
    }

    public MsgDecoder msg()
    {
        return msg;
    }

    public NotifyDecoder notifyDecoder()
    {
        return notify;
    }

    public PullDecoder pull()
    {
        return pull;
    }

    public AckDecoder ack()
    {
        return ack;
    }

    public GapDecoder gap()
    {
        return gap;
    }

    /**
     * @return the decoder for SUB and UNSUB bodies.
     */
    public SubDecoder sub()
    {
        return sub;
    }

    public SubAckDecoder subAck()
    {
        return subAck;
    }

    public UpDecoder up()
    {
        return up;
    }

    public UpAckDecoder upAck()
    {
        return upAck;
    }

    public RedirectDecoder redirect()
    {
        return redirect;
    }

    public ErrorDecoder error()
    {
        return errorDecoder;
    }

    public ByeDecoder bye()
    {
        return bye;
    }
}
