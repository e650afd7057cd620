package io.pushwire.dispatch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pushwire.link.CommandAdapter;
import io.pushwire.link.CommandEncoder;
import io.pushwire.link.CommandErrors;
import io.pushwire.link.CommandListener;
import io.pushwire.link.CommandMessages;
import io.pushwire.link.PushCommandDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the command decoding dispatch runs on whatever senders put on the command stream: arbitrary and
 * mutated bytes through {@link CommandAdapter}. Invariants: no exception (Agrona bounds checks are on), every
 * part a PUSH decoder reports lies inside the message, and a command is either decoded or answered with a
 * known error code. A sender cannot crash the dispatch agent with a bad command.
 */
class CommandDecoderFuzzTest
{
    private final Checker checker = new Checker();
    private final CommandAdapter adapter = new CommandAdapter(null, checker);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);

    @FuzzTest(maxDuration = "60s")
    void decodeCommand(final byte[] input)
    {
        check(input);
    }

    @Test
    void shouldHoldTheInvariantsOnRandomAndMutatedCommands()
    {
        final Random random = new Random(20261121);
        final UnsafeBuffer valid = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5 });
        for (int i = 0; i < 50_000; i++)
        {
            final byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.nextInt(96)];
                random.nextBytes(input);
            }
            else
            {
                final int length = switch (i % 4)
                {
                    case 0 -> CommandEncoder.push(valid, 0, 1, i, 1 + random.nextInt(5), List.of("dev-a", "dev-b"),
                        7, 1000, "ck", 1, "idem", payload, 0, 5);
                    case 1 -> CommandEncoder.alias(valid, 0, 1, i, true, "alias", "dev");
                    case 2 -> CommandEncoder.device(valid, 0, CommandMessages.WHO, 1, i, "dev");
                    default -> CommandEncoder.receipt(valid, 0, 1, i, 42);
                };
                input = new byte[length];
                valid.getBytes(0, input);
                final int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++)
                {
                    input[random.nextInt(length)] ^= (byte)(1 << random.nextInt(8));
                }
                if (random.nextInt(8) == 0)
                {
                    final byte[] cut = new byte[random.nextInt(length + 1)];
                    System.arraycopy(input, 0, cut, 0, cut.length);
                    check(cut);
                    continue;
                }
            }
            check(input);
        }
        assertTrue(checker.decoded > 1000, "many mutated commands still decode: " + checker.decoded);
        assertTrue(checker.rejected > 1000, "and many are refused: " + checker.rejected);
    }

    @Test
    void shouldDecodeAWellFormedPushExactly()
    {
        final UnsafeBuffer payload = new UnsafeBuffer("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final int length = CommandEncoder.push(buffer, 0, 77, 9, CommandMessages.TARGET_DEVICES, List.of("a", "bb"), 3,
            5000, "key", 1, "idem-7", payload, 0, 5);
        final PushCommandDecoder decoder = new PushCommandDecoder();
        assertEquals(0, decoder.wrap(buffer, 0, length));
        assertEquals(CommandMessages.TARGET_DEVICES, decoder.targetKind());
        assertEquals(2, decoder.targetCount());
        assertEquals("bb", buffer.getStringWithoutLengthAscii(decoder.targetOffset(1), decoder.targetLength(1)));
        assertEquals("key", buffer.getStringWithoutLengthAscii(decoder.collapseKeyOffset(), decoder.collapseKeyLength()));
        assertEquals("idem-7", buffer.getStringWithoutLengthAscii(decoder.idempotencyKeyOffset(), decoder.idempotencyKeyLength()));
        assertEquals("hello", buffer.getStringWithoutLengthAscii(decoder.payloadOffset(), decoder.payloadLength()));
        assertEquals(3, decoder.appId());
        assertEquals(5000, decoder.ttlMs());
        assertEquals(1, decoder.priority());
    }

    private void check(final byte[] input)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        final int length = Math.min(input.length, buffer.capacity() - 16);
        buffer.putBytes(16, input, 0, length);
        checker.end = 16 + length;
        adapter.onFragment(buffer, 16, length, null);
    }

    private static final class Checker implements CommandListener
    {
        int end;
        long decoded;
        long rejected;

        public void onPush(final long clientId, final long correlationId, final PushCommandDecoder push)
        {
            for (int i = 0; i < push.targetCount(); i++)
            {
                inside(push.targetOffset(i), push.targetLength(i));
            }
            inside(push.collapseKeyOffset(), push.collapseKeyLength());
            inside(push.idempotencyKeyOffset(), push.idempotencyKeyLength());
            inside(push.payloadOffset(), push.payloadLength());
            decoded++;
        }

        public void onReceipt(final long clientId, final long correlationId, final long messageId)
        {
            decoded++;
        }

        public void onAlias(final long clientId, final long correlationId, final boolean bind, final DirectBuffer buffer,
            final int aliasOffset, final int aliasLength, final int deviceIdOffset, final int deviceIdLength)
        {
            inside(aliasOffset, aliasLength);
            inside(deviceIdOffset, deviceIdLength);
            decoded++;
        }

        public void onDeviceCommand(final long clientId, final long correlationId, final int type, final DirectBuffer buffer,
            final int deviceIdOffset, final int deviceIdLength)
        {
            inside(deviceIdOffset, deviceIdLength);
            decoded++;
        }

        public void onBadCommand(final long clientId, final long correlationId, final int code, final String text)
        {
            assertTrue(code >= CommandErrors.MALFORMED && code <= CommandErrors.IDEMPOTENCY_CONFLICT, "code " + code);
            assertTrue(CommandErrors.name(code).length() > 0 && !text.isEmpty());
            rejected++;
        }

        private void inside(final int offset, final int length)
        {
            assertTrue(length >= 0 && offset >= 16 && offset + length <= end, "part [" + offset + ", +" + length + ") outside the message");
        }
    }
}
