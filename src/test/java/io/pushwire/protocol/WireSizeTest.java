package io.pushwire.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytes on the wire for three exchanges, pushwire against MQTT 3.1.1 and newline-delimited JSON. The pushwire column
 * comes from the real encoders; MQTT is computed from its packet layouts; JSON from real strings. The table in
 * {@code bench/README.md} is this class's output ({@code main} prints it), and the test fails if they differ.
 */
class WireSizeTest
{
    static final String DEVICE_ID = "a1b2c3d4e5f6g7h8i9j0kl"; // 22 characters, as in the MQTT topic "d/<id>"
    static final long SEQ = 1234;
    static final long MESSAGE_ID = 1_099_511_627_776L + 12_345; // a 41-bit id: 6 varint bytes
    static final long SESSION_ID = 0x0001_0002_0000_0005L;
    static final long SERVER_TIME_MS = 1_767_225_600_000L;
    static final int PAYLOAD = 64;

    private static final UnsafeBuffer BUFFER = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldMeetTheWireSizeTargets()
    {
        final int[][] rows = rows();
        assertTrue(FrameEncoder.ping(BUFFER, 0, 270) <= 4 && FrameEncoder.pong(BUFFER, 0, 270) <= 4, "heartbeat <= 4 B each way");
        assertTrue(rows[1][0] * 2 <= rows[1][2], "64-byte push + ACK at least 50% smaller than JSON: " + rows[1][0] + " vs " + rows[1][2]);
    }

    @Test
    void shouldMatchTheTableInBenchReadme() throws IOException
    {
        final String readme = Files.readString(Path.of("bench", "README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(table()), "bench/README.md is out of date; paste the output of WireSizeTest.main:\n" + table());
    }

    public static void main(final String[] args)
    {
        System.out.print(table());
    }

    static String table()
    {
        final int[][] rows = rows();
        final String[] names = { "(a) heartbeat exchange (270 s)", "(b) 64-byte push + its ACK", "(c) reconnect: hello + welcome + notify" };
        final StringBuilder sb = new StringBuilder();
        sb.append("| exchange | pushwire | MQTT 3.1.1 | JSON lines | pushwire vs JSON |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.length; i++)
        {
            sb.append("| ").append(names[i]).append(" | ").append(rows[i][0]).append(" | ").append(rows[i][1]).append(" | ")
                .append(rows[i][2]).append(" | ").append(Math.round(100.0 * (rows[i][2] - rows[i][0]) / rows[i][2]))
                .append("% smaller |\n");
        }
        return sb.toString();
    }

    static int[][] rows()
    {
        return new int[][]
            {
                { pushwireHeartbeat(), mqttHeartbeat(), jsonHeartbeat() },
                { pushwirePush(), mqttPush(), jsonPush() },
                { pushwireReconnect(), mqttReconnect(), jsonReconnect() },
            };
    }

    static int pushwireHeartbeat()
    {
        return FrameEncoder.ping(BUFFER, 0, 270) + FrameEncoder.pong(BUFFER, 0, 270);
    }

    static int pushwirePush()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        return FrameEncoder.msg(BUFFER, 0, 0, 0, SEQ, MESSAGE_ID, 7, payload, 0, PAYLOAD) + FrameEncoder.ack(BUFFER, 0, 0, SEQ);
    }

    static byte[] token()
    {
        return new TokenIssuer(TokenKeys.of(1, new byte[32])).issue(1, DEVICE_ID, 1_767_225_600L, 1_769_817_600L);
    }

    static int pushwireReconnect()
    {
        return FrameEncoder.hello(BUFFER, 0, 1, DEVICE_ID, token(), 270, new long[]{ 0 }, new long[]{ SEQ }, 1) +
            FrameEncoder.welcome(BUFFER, 0, 1, 270, SESSION_ID, SERVER_TIME_MS) +
            FrameEncoder.notify(BUFFER, 0, 0, SEQ + 6);
    }

    /**
     * PINGREQ (C0 00) + PINGRESP (D0 00).
     */
    static int mqttHeartbeat()
    {
        return 2 + 2;
    }

    /**
     * QoS 1 PUBLISH: fixed header 1 + remaining length; topic "d/&lt;id&gt;" as 2-byte length + 24; packet id 2;
     * payload. Then PUBACK: 4.
     */
    static int mqttPush()
    {
        final int topic = 2 + ("d/" + DEVICE_ID).length();
        final int remaining = topic + 2 + PAYLOAD;
        return 1 + mqttLengthSize(remaining) + remaining + 4;
    }

    /**
     * CONNECT: fixed header 1 + remaining length; variable header 10 (protocol name 2+4, level 1, flags 1,
     * keep-alive 2); payload client id 2+22, user name (the device id) 2+22, password (the raw token) 2+n.
     * Then CONNACK: 4. MQTT has no cursor or notify: queued messages simply follow.
     */
    static int mqttReconnect()
    {
        final int remaining = 10 + (2 + DEVICE_ID.length()) + (2 + DEVICE_ID.length()) + (2 + token().length);
        return 1 + mqttLengthSize(remaining) + remaining + 4;
    }

    static int mqttLengthSize(final int remaining)
    {
        return remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    }

    static int jsonHeartbeat()
    {
        return json("{\"type\":\"ping\",\"interval\":270}") + json("{\"type\":\"pong\",\"interval\":270}");
    }

    static int jsonPush()
    {
        final String payload = Base64.getEncoder().encodeToString(new byte[PAYLOAD]);
        return json("{\"type\":\"msg\",\"stream\":0,\"seq\":" + SEQ + ",\"id\":" + MESSAGE_ID + ",\"app\":7,\"payload\":\"" +
            payload + "\"}") + json("{\"type\":\"ack\",\"stream\":0,\"seq\":" + SEQ + "}");
    }

    static int jsonReconnect()
    {
        final String token = Token.toBase64Url(token());
        return json("{\"type\":\"hello\",\"version\":1,\"deviceId\":\"" + DEVICE_ID + "\",\"token\":\"" + token +
            "\",\"heartbeat\":270,\"cursors\":[{\"stream\":0,\"seq\":" + SEQ + "}]}") +
            json("{\"type\":\"welcome\",\"version\":1,\"heartbeat\":270,\"sessionId\":" + SESSION_ID + ",\"serverTime\":" +
            SERVER_TIME_MS + "}") +
            json("{\"type\":\"notify\",\"stream\":0,\"newestSeq\":" + (SEQ + 6) + "}");
    }

    private static int json(final String line)
    {
        return (line + "\n").getBytes(StandardCharsets.UTF_8).length;
    }
}
