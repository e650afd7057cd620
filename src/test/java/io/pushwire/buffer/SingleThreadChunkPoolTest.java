package io.pushwire.buffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SingleThreadChunkPoolTest
{
    private final SingleThreadChunkPool pool = new SingleThreadChunkPool(64, 4);

    @Test
    void shouldHandOutEveryChunkOnceThenReportExhaustion()
    {
        final int a = pool.acquire();
        final int b = pool.acquire();
        final int c = pool.acquire();
        final int d = pool.acquire();
        assertEquals(6, a + b + c + d, "chunks 0..3");
        assertEquals(0, pool.available());
        assertEquals(SingleThreadChunkPool.NONE, pool.acquire());
        assertEquals(1, pool.exhaustions());

        pool.release(c);
        assertEquals(c, pool.acquire());
        assertEquals(0, pool.start(c));
        assertEquals(0, pool.limit(c));
    }

    @Test
    void shouldAppendAcrossChainedChunksAndReleaseTheChain()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[150]);
        for (int i = 0; i < 150; i++)
        {
            src.putByte(i, (byte)i);
        }
        final int head = pool.acquire();
        final int tail = pool.append(head, src, 0, 150);
        assertNotEquals(head, tail);
        assertEquals(1, pool.available(), "150 bytes take three 64-byte chunks");
        int chunk = head;
        int expected = 0;
        while (SingleThreadChunkPool.NONE != chunk)
        {
            for (int i = pool.start(chunk); i < pool.limit(chunk); i++)
            {
                assertEquals((byte)expected++, pool.buffer().getByte(pool.offset(chunk) + i));
            }
            chunk = pool.next(chunk);
        }
        assertEquals(150, expected);
        pool.releaseChain(head);
        assertEquals(4, pool.available());
    }

    @Test
    void shouldReturnNoneWhenAnAppendRunsOutAndKeepThePrefixChained()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[300]);
        final int head = pool.acquire();
        assertEquals(SingleThreadChunkPool.NONE, pool.append(head, src, 0, 300));
        assertEquals(0, pool.available());
        pool.releaseChain(head);
        assertEquals(4, pool.available());
    }

    @Test
    void shouldCompactReadableBytesToTheStart()
    {
        final int chunk = pool.acquire();
        pool.append(chunk, new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5 }), 0, 5);
        pool.start(chunk, 3);
        pool.compact(chunk);
        assertEquals(0, pool.start(chunk));
        assertEquals(2, pool.limit(chunk));
        assertEquals(4, pool.buffer().getByte(pool.offset(chunk)));
        assertEquals(5, pool.buffer().getByte(pool.offset(chunk) + 1));
    }

    @Test
    void shouldRefuseNonsensicalSizes()
    {
        assertThrows(IllegalArgumentException.class, () -> new SingleThreadChunkPool(8, 4));
        assertThrows(IllegalArgumentException.class, () -> new SingleThreadChunkPool(64, 0));
    }
}
