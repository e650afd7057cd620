package io.pushwire.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPersistCursorsAndLearnedHeartbeatsAcrossInstances()
    {
        final Path file = dir.resolve("state");
        final CursorStore store = new CursorStore(file, 0);
        store.advance(0, 41);
        store.advance(1, 7);
        store.advance(17, 1200);
        store.learnedHeartbeatSec("wifi: home net", 270);
        assertTrue(store.flush());
        assertFalse(Files.exists(dir.resolve("state.tmp")), "the temp file was moved into place");

        final CursorStore loaded = new CursorStore(file, 0);
        assertEquals(Map.of(0L, 41L, 1L, 7L, 17L, 1200L), loaded.cursors());
        assertEquals(270, loaded.learnedHeartbeatSec("wifi: home net"));
        assertEquals(0, loaded.learnedHeartbeatSec("lte"));
        assertFalse(loaded.loadedCorrupt());
    }

    @Test
    void shouldWriteTheFormatDocumentedInClientMd()
    {
        final CursorStore store = new CursorStore(null, 0);
        store.advance(17, 1200);
        store.advance(1, 7);
        store.advance(0, 41);
        store.learnedHeartbeatSec("wifi: home", 270);
        assertEquals("""
            pushwire-device-state 1
            cursor 0 41
            cursor 1 7
            cursor 17 1200
            heartbeat wifi%3A+home 270
            crc32 4a5507b2
            """, store.render());
    }

    @Test
    void shouldOnlyMoveCursorsForward()
    {
        final CursorStore store = new CursorStore(null, 0);
        assertTrue(store.advance(0, 5));
        assertFalse(store.advance(0, 3));
        assertFalse(store.advance(0, 5));
        assertEquals(5, store.cursor(0));
        store.remove(0);
        assertFalse(store.contains(0));
    }

    @Test
    void shouldStartEmptyWhenTheFileIsCorrupt() throws IOException
    {
        final Path file = dir.resolve("state");
        final CursorStore store = new CursorStore(file, 0);
        store.advance(0, 41);
        store.flush();
        final String text = Files.readString(file).replace("cursor 0 41", "cursor 0 99");
        Files.writeString(file, text, StandardCharsets.UTF_8);

        final CursorStore loaded = new CursorStore(file, 0);
        assertTrue(loaded.loadedCorrupt(), "checksum mismatch detected");
        assertTrue(loaded.cursors().isEmpty());

        Files.writeString(file, "garbage", StandardCharsets.UTF_8);
        assertTrue(new CursorStore(file, 0).cursors().isEmpty());
        assertFalse(new CursorStore(dir.resolve("missing"), 0).loadedCorrupt(), "a missing file is not corrupt");
    }

    @Test
    void shouldThrottleWrites()
    {
        final CursorStore store = new CursorStore(dir.resolve("state"), 1_000);
        store.advance(0, 1);
        assertTrue(store.flushIfDue(10_000));
        store.advance(0, 2);
        assertFalse(store.flushIfDue(10_500), "within the flush interval");
        assertTrue(store.flushIfDue(11_000));
        assertFalse(store.flushIfDue(50_000), "nothing changed");
        assertEquals(2, store.writes());
    }

    @Test
    void shouldPutUnicastAndBroadcastFirstInHello()
    {
        final CursorStore store = new CursorStore(null, 0);
        store.advance(17, 3);
        store.advance(0, 9);
        final long[] ids = new long[64];
        final long[] seqs = new long[64];
        assertEquals(3, store.helloCursors(ids, seqs));
        assertArrayEquals(new long[]{ 0, 1, 17 }, java.util.Arrays.copyOf(ids, 3));
        assertArrayEquals(new long[]{ 9, 0, 3 }, java.util.Arrays.copyOf(seqs, 3));
    }
}
