package io.pushwire.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives whole frames from a {@link StreamingFrameDecoder}.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * Called once per whole frame. The bytes are valid only during the call: they may be the caller's input buffer
     * or the decoder's own, which the next call overwrites.
     *
     * @param type       frame type, 1 to {@link FrameType#MAX_TYPE}.
     * @param flags      flag bits of the type byte, in place (e.g. {@link FrameType#FLAG_HIGH_PRIORITY}).
     * @param buffer     holds the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength the body length.
     */
    void onFrame(int type, int flags, DirectBuffer buffer, int bodyOffset, int bodyLength);
}
