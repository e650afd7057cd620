package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts a byte stream into frames, whatever the split of the input: one byte per call or many frames per call give the
 * same frames. For the client SDK, tests and simple servers; the gateway's reactors decode in place themselves.
 * <p>
 * A frame wholly inside the input is handed to the {@link FrameHandler} in place, without copying. Only a partial
 * frame at the end of an input is copied, into a buffer of {@link FrameHeader#MAX_HEADER_LENGTH} + max body length
 * bytes allocated once at construction; it never holds more than one frame. Header errors are found as early as the
 * bytes allow (see {@link FrameHeader}), so an oversize length is refused before any of its body is buffered.
 * <p>
 * With {@code validateBodies} set, each body is also checked by the decoder for its type ({@link #decoders()}) before
 * the handler sees it, and the handler may read that decoder's accessors. After an error the decoder refuses all input
 * with the same error until {@link #reset()}. Not thread-safe: one instance per connection or per thread.
 */
public final class StreamingFrameDecoder
{
    private final UnsafeBuffer partial;
    private final int maxBodyLength;
    private final FrameDecoders decoders;
    private int pendingLength;
    private int expectedLength;
    private int error;

    /**
     * Frames only: bodies are not validated.
     *
     * @param maxBodyLength largest body accepted, at most {@link Protocol#MAX_BODY_LENGTH}.
     */
    public StreamingFrameDecoder(final int maxBodyLength)
    {
        this(maxBodyLength, false);
    }

    /**
     * @param maxBodyLength  largest body accepted, at most {@link Protocol#MAX_BODY_LENGTH}.
     * @param validateBodies true to check each body with its decoder before calling the handler.
     */
    public StreamingFrameDecoder(final int maxBodyLength, final boolean validateBodies)
    {
        if (maxBodyLength < 0 || maxBodyLength > Protocol.MAX_BODY_LENGTH)
        {
            throw new IllegalArgumentException("maxBodyLength " + maxBodyLength + " is outside 0.." + Protocol.MAX_BODY_LENGTH);
        }
        this.maxBodyLength = maxBodyLength;
        this.partial = new UnsafeBuffer(new byte[FrameHeader.MAX_HEADER_LENGTH + maxBodyLength]);
        this.decoders = validateBodies ? new FrameDecoders() : null;
    }

    /**
     * Feeds bytes.
     *
     * @param src     the bytes.
     * @param offset  first byte.
     * @param length  how many.
     * @param handler called for each whole frame, in order.
     * @return 0, or a negative {@code -ErrorCode} as soon as the input is bad (frames before the bad one have been
     * delivered; call {@link #reset()} before reusing the decoder).
     */
    public int onBytes(final DirectBuffer src, final int offset, final int length, final FrameHandler handler)
    {
        if (error != 0)
        {
            return error;
        }
        int position = offset;
        final int end = offset + length;

        if (pendingLength > 0)
        {
            if (expectedLength == 0)
            {
                // Header still incomplete: take at most the rest of a header, then see what it says.
                final int take = Math.min(FrameHeader.MAX_HEADER_LENGTH - pendingLength, end - position);
                partial.putBytes(pendingLength, src, position, take);
                final int required = FrameHeader.requiredLength(partial, 0, pendingLength + take, maxBodyLength);
                if (required < 0)
                {
                    return fail(required);
                }
                if (required == 0)
                {
                    pendingLength += take;
                    return 0;
                }
                expectedLength = required;
                final int used = Math.min(take, required - pendingLength);
                pendingLength += used;
                position += used;
            }

            final int take = Math.min(expectedLength - pendingLength, end - position);
            partial.putBytes(pendingLength, src, position, take);
            pendingLength += take;
            position += take;
            if (pendingLength < expectedLength)
            {
                return 0;
            }
            final int frameLength = expectedLength;
            pendingLength = 0;
            expectedLength = 0;
            final int result = deliver(partial, 0, frameLength, handler);
            if (result < 0)
            {
                return fail(result);
            }
        }

        while (position < end)
        {
            final int remaining = end - position;
            final int required = FrameHeader.requiredLength(src, position, remaining, maxBodyLength);
            if (required < 0)
            {
                return fail(required);
            }
            if (required == 0 || required > remaining)
            {
                partial.putBytes(0, src, position, remaining);
                pendingLength = remaining;
                expectedLength = required;
                return 0;
            }
            final int result = deliver(src, position, required, handler);
            if (result < 0)
            {
                return fail(result);
            }
            position += required;
        }
        return 0;
    }

    /**
     * @return the decoders used when bodies are validated, or null when they are not.
     */
    public FrameDecoders decoders()
    {
        return decoders;
    }

    /**
     * @return bytes of a partial frame held from earlier input.
     */
    public int pendingLength()
    {
        return pendingLength;
    }

    /**
     * @return the error that stopped the decoder, or 0.
     */
    public int error()
    {
        return error;
    }

    /**
     * Drops any partial frame and any error, for a new connection.
     */
    public void reset()
    {
        pendingLength = 0;
        expectedLength = 0;
        error = 0;
    }

    private int deliver(final DirectBuffer buffer, final int offset, final int frameLength, final FrameHandler handler)
    {
        final int type = FrameHeader.type(buffer, offset);
        final int flags = FrameHeader.flags(buffer, offset);
        final int headerLength = FrameHeader.headerLength(buffer, offset);
        final int bodyOffset = offset + headerLength;
        final int bodyLength = frameLength - headerLength;
        if (null != decoders)
        {
            final int result = decoders.wrap(type, flags, buffer, bodyOffset, bodyLength);
            if (result < 0)
            {
                return result;
            }
        }
        handler.onFrame(type, flags, buffer, bodyOffset, bodyLength);
        return 0;
    }

    private int fail(final int errorCode)
    {
        error = errorCode;
        pendingLength = 0;
        expectedLength = 0;
        return errorCode;
    }
}
