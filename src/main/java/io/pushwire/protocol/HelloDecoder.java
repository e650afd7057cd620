package io.pushwire.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over a HELLO body (device to server, the first frame of a connection).
 * <pre>
 *   version       varint   client's highest supported version, 1..2^31-1 (0 is UNSUPPORTED_VERSION)
 *   deviceId      str      1..128 bytes of UTF-8
 *   token         bytes    1..256 bytes
 *   heartbeatSec  varint   the interval the client proposes
 *   cursorCount   varint   0..64
 *   cursorCount x (streamId varint, seq varint)
 * </pre>
 * {@link #wrap} validates everything and copies the cursors into arrays allocated once with the decoder, so nothing is
 * allocated per frame. Negotiate the version with {@link Protocol#negotiateVersion(long)}; verify the token with
 * {@link TokenVerifier}. Not thread-safe: one instance per thread.
 */
public final class HelloDecoder extends BodyDecoder
{
    private final long[] cursorStreamIds = new long[Protocol.MAX_CURSORS];
    private final long[] cursorSeqs = new long[Protocol.MAX_CURSORS];
    private int version;
    private int deviceIdOffset;
    private int deviceIdLength;
    private int tokenOffset;
    private int tokenLength;
    private int heartbeatSec;
    private int cursorCount;

    /**
     * @param buffer     holds the body.
     * @param bodyOffset where the body starts.
     * @param bodyLength the body length.
     * @return 0, or a negative {@code -ErrorCode} for the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        begin(buffer, bodyOffset, bodyLength);
        cursorCount = 0;
        version = intVarint();
        if (error == 0 && version == 0)
        {
            fail(ErrorCode.UNSUPPORTED_VERSION);
        }
        deviceIdOffset = string(1, Protocol.MAX_DEVICE_ID_LENGTH);
        deviceIdLength = fieldLength;
        tokenOffset = lengthPrefixed(1, Protocol.MAX_TOKEN_LENGTH);
        tokenLength = fieldLength;
        heartbeatSec = intVarint();
        final long count = varint();
        if (error == 0 && (count < 0 || count > Protocol.MAX_CURSORS))
        {
            fail(ErrorCode.FIELD_TOO_LONG);
        }
        if (error == 0)
        {
            final int n = (int)count;
            for (int i = 0; i < n; i++)
            {
                cursorStreamIds[i] = varint();
                cursorSeqs[i] = varint();
            }
            cursorCount = error == 0 ? n : 0;
        }
        return finish();
    }

    public int version()
    {
        return version;
    }

    public int deviceIdOffset()
    {
        return deviceIdOffset;
    }

    public int deviceIdLength()
    {
        return deviceIdLength;
    }

    public int tokenOffset()
    {
        return tokenOffset;
    }

    public int tokenLength()
    {
        return tokenLength;
    }

    public int heartbeatSec()
    {
        return heartbeatSec;
    }

    public int cursorCount()
    {
        return cursorCount;
    }

    /**
     * @param i cursor index, 0 to {@link #cursorCount()} - 1.
     * @return the stream id of that cursor.
     */
    public long cursorStreamId(final int i)
    {
        return cursorStreamIds[i];
    }

    /**
     * @param i cursor index, 0 to {@link #cursorCount()} - 1.
     * @return the highest seq the device has processed on that stream.
     */
    public long cursorSeq(final int i)
    {
        return cursorSeqs[i];
    }

    /**
     * @return the device id as a {@code String}; allocates, so for logs and tests.
     */
    public String deviceIdAsString()
    {
        return utf8(buffer, deviceIdOffset, deviceIdLength);
    }

    /**
     * @return a copy of the token; allocates, so for logs and tests.
     */
    public byte[] tokenAsBytes()
    {
        final byte[] token = new byte[tokenLength];
        buffer.getBytes(tokenOffset, token);
        return token;
    }

    static String utf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
