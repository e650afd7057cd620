package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Strict UTF-8 validation and allocation-free encoding from a {@link CharSequence}.
 * <p>
 * Valid means well-formed per Unicode Table 3-7: no overlong forms, no surrogates (U+D800 to U+DFFF), nothing above
 * U+10FFFF, no stray continuation bytes, no truncated sequences. Stateless and thread-safe.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param buffer the bytes.
     * @param offset the first byte.
     * @param length how many bytes.
     * @return true if the bytes are well-formed UTF-8.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                i++;
                continue;
            }
            if (b0 < 0xC2)
            {
                return false; // continuation byte as a lead, or overlong 2-byte lead C0/C1
            }
            if (b0 < 0xE0)
            {
                if (i + 1 >= end || !isContinuation(buffer.getByte(i + 1)))
                {
                    return false;
                }
                i += 2;
                continue;
            }
            if (b0 < 0xF0)
            {
                if (i + 2 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                final int lo = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                final int hi = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
                if (b1 < lo || b1 > hi || !isContinuation(buffer.getByte(i + 2)))
                {
                    return false;
                }
                i += 3;
                continue;
            }
            if (b0 < 0xF5)
            {
                if (i + 3 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                final int lo = b0 == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                final int hi = b0 == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
                if (b1 < lo || b1 > hi || !isContinuation(buffer.getByte(i + 2)) || !isContinuation(buffer.getByte(i + 3)))
                {
                    return false;
                }
                i += 4;
                continue;
            }
            return false; // F5..FF never appear in UTF-8
        }
        return true;
    }

    /**
     * @param text the characters; an unpaired surrogate counts as the 1 byte of its replacement {@code '?'}.
     * @return the bytes of its UTF-8 encoding.
     */
    public static int encodedLength(final CharSequence text)
    {
        return encodedLength(text, Integer.MAX_VALUE);
    }

    /**
     * @param text     the characters.
     * @param maxBytes the most bytes wanted.
     * @return the bytes of the longest prefix of whole characters whose encoding fits in {@code maxBytes}.
     */
    public static int encodedLength(final CharSequence text, final int maxBytes)
    {
        int bytes = 0;
        final int n = text.length();
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            final int size;
            if (c < 0x80)
            {
                size = 1;
            }
            else if (c < 0x800)
            {
                size = 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                if (bytes + 4 > maxBytes)
                {
                    break;
                }
                bytes += 4;
                i++;
                continue;
            }
            else if (Character.isSurrogate(c))
            {
                size = 1;
            }
            else
            {
                size = 3;
            }
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
        }
        return bytes;
    }

    /**
     * Writes the UTF-8 encoding of the longest prefix of whole characters that fits in {@code maxBytes}. An unpaired
     * surrogate is written as {@code '?'}. Allocates nothing.
     *
     * @param buffer   where to write.
     * @param offset   where the first byte goes.
     * @param text     the characters.
     * @param maxBytes the most bytes to write.
     * @return the bytes written, equal to {@link #encodedLength(CharSequence, int)}.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final CharSequence text, final int maxBytes)
    {
        int p = offset;
        final int limit = offset + maxBytes;
        final int n = text.length();
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                if (p + 1 > limit)
                {
                    break;
                }
                buffer.putByte(p++, (byte)c);
            }
            else if (c < 0x800)
            {
                if (p + 2 > limit)
                {
                    break;
                }
                buffer.putByte(p++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                if (p + 4 > limit)
                {
                    break;
                }
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(p++, (byte)(0xF0 | (cp >> 18)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                if (p + 1 > limit)
                {
                    break;
                }
                buffer.putByte(p++, (byte)'?');
            }
            else
            {
                if (p + 3 > limit)
                {
                    break;
                }
                buffer.putByte(p++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(p++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return p - offset;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
