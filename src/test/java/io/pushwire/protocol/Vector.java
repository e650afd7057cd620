package io.pushwire.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One test vector of {@code docs/protocol.md}: a fenced block tagged {@code vector} of {@code key: value} lines, and
 * the encoding of its fields with the real encoders.
 */
final class Vector
{
    static final Path DOCUMENT = Path.of("docs", "protocol.md");

    final String name;
    final Map<String, String> fields;

    Vector(final String name, final Map<String, String> fields)
    {
        this.name = name;
        this.fields = fields;
    }

    static List<Vector> readAll(final Path document) throws IOException
    {
        final List<Vector> vectors = new ArrayList<>();
        Map<String, String> fields = null;
        for (final String line : Files.readAllLines(document, StandardCharsets.UTF_8))
        {
            if (null == fields)
            {
                if (line.trim().equals("```vector"))
                {
                    fields = new LinkedHashMap<>();
                }
                continue;
            }
            if (line.trim().equals("```"))
            {
                vectors.add(new Vector(fields.get("name"), fields));
                fields = null;
                continue;
            }
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return vectors;
    }

    String type()
    {
        return get("type");
    }

    String get(final String key)
    {
        final String value = fields.get(key);
        if (null == value)
        {
            throw new IllegalArgumentException("vector '" + name + "' has no field '" + key + "'");
        }
        return value;
    }

    long number(final String key)
    {
        return parseNumber(get(key));
    }

    int intNumber(final String key)
    {
        return Math.toIntExact(number(key));
    }

    byte[] bytes(final String key)
    {
        return hex(get(key));
    }

    byte[] hex()
    {
        return hex(get("hex"));
    }

    static long parseNumber(final String text)
    {
        final String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
    }

    static byte[] hex(final String text)
    {
        final String compact = text.replace(" ", "");
        return compact.equals("-") ? new byte[0] : HexFormat.of().parseHex(compact);
    }

    static String hex(final byte[] bytes)
    {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    static UnsafeBuffer wrap(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes);
    }

    /**
     * @return the bytes the encoders produce from this vector's fields.
     */
    byte[] encode()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        final int length = switch (type())
        {
            case "HELLO" ->
            {
                final long[][] cursors = cursors(get("cursors"));
                yield FrameEncoder.hello(out, 0, intNumber("version"), get("deviceId"), bytes("token"),
                    intNumber("heartbeatSec"), cursors[0], cursors[1], cursors[0].length);
            }
            case "WELCOME" -> FrameEncoder.welcome(
                out, 0, intNumber("version"), intNumber("heartbeatSec"), number("sessionId"), number("serverTimeMs"));
            case "PING" -> FrameEncoder.ping(out, 0, intNumber("intervalSec"));
            case "PONG" -> FrameEncoder.pong(out, 0, intNumber("intervalSec"));
            case "MSG" ->
            {
                final byte[] payload = bytes("payload");
                yield FrameEncoder.msg(out, 0, intNumber("flags"), number("streamId"), number("seq"),
                    number("messageId"), intNumber("appId"), wrap(payload), 0, payload.length);
            }
            case "NOTIFY" -> FrameEncoder.notify(out, 0, number("streamId"), number("newestSeq"));
            case "PULL" -> FrameEncoder.pull(out, 0, number("streamId"), number("fromSeq"), number("toSeq"));
            case "ACK" -> FrameEncoder.ack(out, 0, number("streamId"), number("seq"));
            case "GAP" -> FrameEncoder.gap(
                out, 0, number("streamId"), number("fromSeq"), number("toSeq"), intNumber("reason"));
            case "SUB" -> FrameEncoder.sub(out, 0, number("requestId"), get("topic"));
            case "UNSUB" -> FrameEncoder.unsub(out, 0, number("requestId"), get("topic"));
            case "SUB_ACK" -> FrameEncoder.subAck(
                out, 0, number("requestId"), intNumber("status"), number("streamId"), number("headSeq"));
            case "UP" ->
            {
                final byte[] payload = bytes("payload");
                yield FrameEncoder.up(out, 0, number("requestId"), intNumber("appId"), wrap(payload), 0, payload.length);
            }
            case "UP_ACK" -> FrameEncoder.upAck(out, 0, number("requestId"), intNumber("status"));
            case "REDIRECT" ->
            {
                final String[] targets = get("targets").equals("-") ? new String[0] : get("targets").split(" +");
                final String[] hosts = new String[targets.length];
                final int[] ports = new int[targets.length];
                for (int i = 0; i < targets.length; i++)
                {
                    final int colon = targets[i].lastIndexOf(':');
                    hosts[i] = targets[i].substring(0, colon);
                    ports[i] = Integer.parseInt(targets[i].substring(colon + 1));
                }
                yield FrameEncoder.redirect(out, 0, intNumber("reason"), intNumber("delayMs"), hosts, ports, hosts.length);
            }
            case "ERROR" -> FrameEncoder.error(out, 0, intNumber("code"), get("reason"));
            case "BYE" -> FrameEncoder.bye(out, 0, intNumber("reason"));
            case "PROBE_REQUEST" -> Probe.encodeRequest(out, 0, number("nonce"));
            case "PROBE_RESPONSE" -> Probe.encodeResponse(out, 0, number("nonce"), intNumber("loadPermille"),
                number("connections"), intNumber("flags"));
            case "TOKEN" ->
            {
                final byte[] token = new TokenIssuer(TokenKeys.of(intNumber("keyId"), bytes("secret")))
                    .issue(intNumber("keyId"), get("deviceId"), number("issuedAt"), number("expiresAt"));
                out.putBytes(0, token);
                yield token.length;
            }
            default -> throw new IllegalArgumentException("vector '" + name + "' has unknown type " + type());
        };
        final byte[] bytes = new byte[length];
        out.getBytes(0, bytes);
        return bytes;
    }

    static long[][] cursors(final String text)
    {
        if (text.equals("-"))
        {
            return new long[][]{ new long[0], new long[0] };
        }
        final String[] pairs = text.split(" +");
        final long[][] cursors = { new long[pairs.length], new long[pairs.length] };
        for (int i = 0; i < pairs.length; i++)
        {
            final int colon = pairs[i].indexOf(':');
            cursors[0][i] = parseNumber(pairs[i].substring(0, colon));
            cursors[1][i] = parseNumber(pairs[i].substring(colon + 1));
        }
        return cursors;
    }

    static String utf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public String toString()
    {
        return name;
    }
}
