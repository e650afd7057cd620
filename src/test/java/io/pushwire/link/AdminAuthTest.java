package io.pushwire.link;

import io.pushwire.config.ConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdminAuthTest
{
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long NOW = 1_700_000_000_000L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    private int signedDrain(final AdminSigner signer, final long timestampMs, final long nonce)
    {
        ControlMessages.header(buffer, 0, ControlMessages.DRAIN, 5L, 9L);
        buffer.putInt(ControlMessages.GATEWAY_ID_OFFSET, 2);
        buffer.putInt(ControlMessages.DRAIN_RATE_OFFSET, 100);
        return signer.sign(buffer, 0, ControlMessages.DRAIN_LENGTH, timestampMs, nonce);
    }

    private static AdminVerifier verifier(final int replayEntries)
    {
        return new AdminVerifier(Map.of(3, SECRET), 30_000, replayEntries);
    }

    @Test
    void shouldAcceptAGoodSignatureOnceAndRefuseItsReplay()
    {
        final AdminSigner signer = new AdminSigner(3, SECRET, () -> NOW);
        final AdminVerifier verifier = verifier(16);
        final int length = signedDrain(signer, NOW, 77L);
        assertEquals(ControlMessages.DRAIN_LENGTH + AdminAuth.TRAILER_LENGTH, length);
        assertEquals(AdminAuth.FLAG_SIGNED, buffer.getInt(AdminAuth.FLAGS_OFFSET) & AdminAuth.FLAG_SIGNED);
        assertEquals(AdminAuth.OK, verifier.verify(buffer, 0, length, NOW + 1_000));
        assertEquals(AdminAuth.REPLAYED, verifier.verify(buffer, 0, length, NOW + 2_000));
    }

    @Test
    void shouldRefuseATamperedBodyUnknownKeyAndShortMessage()
    {
        final AdminVerifier verifier = verifier(16);
        int length = signedDrain(new AdminSigner(3, SECRET, () -> NOW), NOW, 1L);
        buffer.putInt(ControlMessages.DRAIN_RATE_OFFSET, 100_000);
        assertEquals(AdminAuth.BAD_MAC, verifier.verify(buffer, 0, length, NOW));

        length = signedDrain(new AdminSigner(4, SECRET, () -> NOW), NOW, 2L);
        assertEquals(AdminAuth.UNKNOWN_KEY, verifier.verify(buffer, 0, length, NOW));
        assertEquals(AdminAuth.MALFORMED, verifier.verify(buffer, 0, AdminAuth.TRAILER_LENGTH, NOW));
    }

    @Test
    void shouldRefuseTimestampsOutsideTheSkewEitherWay()
    {
        final AdminSigner signer = new AdminSigner(3, SECRET, () -> NOW);
        final AdminVerifier verifier = verifier(16);
        assertEquals(AdminAuth.STALE, verifier.verify(buffer, 0, signedDrain(signer, NOW - 30_001, 1L), NOW));
        assertEquals(AdminAuth.STALE, verifier.verify(buffer, 0, signedDrain(signer, NOW + 30_001, 2L), NOW));
        assertEquals(AdminAuth.OK, verifier.verify(buffer, 0, signedDrain(signer, NOW - 30_000, 3L), NOW));
    }

    @Test
    void shouldRefuseWhenTheReplayCacheIsFullAndAcceptAgainOnceNoncesExpire()
    {
        final AdminSigner signer = new AdminSigner(3, SECRET, () -> NOW);
        final AdminVerifier verifier = verifier(2);
        assertEquals(AdminAuth.OK, verifier.verify(buffer, 0, signedDrain(signer, NOW, 1L), NOW));
        assertEquals(AdminAuth.OK, verifier.verify(buffer, 0, signedDrain(signer, NOW, 2L), NOW));
        assertEquals(AdminAuth.REPLAY_CACHE_FULL, verifier.verify(buffer, 0, signedDrain(signer, NOW, 3L), NOW));
        final long later = NOW + 60_000;
        assertEquals(AdminAuth.OK, verifier.verify(buffer, 0, signedDrain(signer, later, 3L), later));
    }

    @Test
    void shouldForgetNoncesOnlyAfterTheirRetention()
    {
        final ReplayCache cache = new ReplayCache(1_000, 4);
        assertEquals(ReplayCache.ADDED, cache.add(5L, 0));
        assertEquals(ReplayCache.SEEN, cache.add(5L, 999));
        assertEquals(ReplayCache.ADDED, cache.add(5L, 1_000));
        assertEquals(1, cache.size());
    }

    @Test
    void shouldMatchAnIndependentHmacComputation() throws Exception
    {
        final int length = signedDrain(new AdminSigner(3, SECRET, () -> NOW), NOW, 0x0102030405060708L);
        final byte[] signed = new byte[length - AdminAuth.MAC_LENGTH];
        buffer.getBytes(0, signed);
        final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        final byte[] expected = java.util.Arrays.copyOf(mac.doFinal(signed), AdminAuth.MAC_LENGTH);
        final byte[] actual = new byte[AdminAuth.MAC_LENGTH];
        buffer.getBytes(length - AdminAuth.MAC_LENGTH, actual);
        assertArrayEquals(expected, actual);
        assertEquals(3, buffer.getShort(ControlMessages.DRAIN_LENGTH + AdminAuth.KEY_ID_OFFSET));
    }

    @Test
    void shouldParseOperatorKeysAndRejectBadOnes()
    {
        final Map<Integer, byte[]> keys = AdminConfiguration.parseKeys("k", "1:" + "00".repeat(16) + ", 2:" + "ff".repeat(32));
        assertEquals(2, keys.size());
        assertEquals(32, keys.get(2).length);
        assertThrows(ConfigurationException.class, () -> AdminConfiguration.parseKeys("k", "1:abcd"));
        assertThrows(ConfigurationException.class, () -> AdminConfiguration.parseKeys("k", "70000:" + "00".repeat(16)));
        assertThrows(ConfigurationException.class, () -> AdminConfiguration.parseKeys("k", "x:zz"));
    }

    @Test
    void shouldCreateTheAeronDirectoryParentOwnerOnly(@TempDir final File dir) throws Exception
    {
        final File aeronDir = new File(dir, "pushwire-box/aeron");
        assertEquals("rwx------", BoxMediaDriver.secureParentDirectory(aeronDir.getPath()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aeronDir.getParentFile().toPath())));
    }
}
