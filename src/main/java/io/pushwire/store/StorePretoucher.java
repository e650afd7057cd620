package io.pushwire.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes the page faults of the store's next pages off the appending thread. The appender writes through
 * a memory mapping of the queue file; the first write to each new page faults, and on a disk file system
 * that fault reads the hole in (zero-filling a readahead window), reserves a block and updates the file's
 * mtime through the journal. perf on dispatch's agent thread (ext4, 20,000 pushes a second) showed those
 * faults in runs of 3-6 ms, and the push latency log a stall of ~19 ms every few seconds that the same
 * run on tmpfs did not have.
 * <p>
 * A daemon thread follows the appender's write position (published by the appending thread after each
 * append: one ordered store of a long and, when the mapped chunk changes, of its reference) and touches
 * every page from there to {@code aheadBytes} beyond with a compare-and-swap of 0 for 0 through the same
 * mapping, as Chronicle's own micro-toucher does on the appending thread: the write cycle makes the kernel
 * fault the page in and mark it writable, and it cannot change data (a non-zero word stays as it is; a zero
 * word is written as zero), so racing the appender is harmless. The chunk is reserved while it is touched,
 * so a chunk the appender has moved past cannot be unmapped under the toucher. It touches at most
 * {@link #MAX_PAGES_PER_PASS} pages between parks, so it never holds a core for long.
 */
final class StorePretoucher implements Runnable, AutoCloseable
{
    static final int PAGE_SIZE = 4096;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long BUSY_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    static final int MAX_PAGES_PER_PASS = 64;

    private final long aheadBytes;
    private final ReferenceOwner owner = ReferenceOwner.temporary("store-pretoucher");
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicReference<MappedBytesStore> store = new AtomicReference<>();
    private final AtomicLong writePosition = new AtomicLong(-1);
    private MappedBytesStore publishedStore; // the appending thread's own copy, so it need not read the shared one
    private MappedBytesStore lastStore;
    private long touchedTo;
    private volatile long pagesTouched; // written by the pretoucher thread only

    /**
     * @param aheadBytes how far beyond the write position to keep pages touched.
     * @param name       the thread's name.
     */
    StorePretoucher(final long aheadBytes, final String name)
    {
        this.aheadBytes = aheadBytes;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    StorePretoucher start()
    {
        thread.start();
        return this;
    }

    /**
     * Called by the appending thread after an append: where the next record goes.
     *
     * @param bytes the appender's bytes (a mapping of the current queue file).
     */
    void writerAt(final Bytes<?> bytes)
    {
        final BytesStore<?, ?> current = bytes.bytesStore();
        if (current instanceof MappedBytesStore mapped)
        {
            // Ordered stores, no fence: this runs after every append on dispatch's agent thread, and the
            // pretoucher only needs a recent position, not the latest.
            if (mapped != publishedStore)
            {
                publishedStore = mapped;
                store.lazySet(mapped);
            }
            writePosition.lazySet(bytes.writePosition());
        }
    }

    /**
     * @return pages touched so far (read by tests and the store's counters).
     */
    long pagesTouched()
    {
        return pagesTouched;
    }

    public void run()
    {
        while (running)
        {
            // At most 64 pages (~0.3 ms of faults) between parks: touching 16 MiB in one go held a core for
            // 19 ms (perf sched), and every latency-sensitive thread on a small box waited behind it.
            LockSupport.parkNanos(touchSome() < MAX_PAGES_PER_PASS ? IDLE_PARK_NS : BUSY_PARK_NS);
        }
    }

    /**
     * @return pages touched in this pass.
     */
    int touchSome()
    {
        final long position = writePosition.get();
        final MappedBytesStore mapped = store.get();
        if (position < 0 || null == mapped)
        {
            return 0;
        }
        if (mapped != lastStore)
        {
            lastStore = mapped;
            touchedTo = 0;
        }
        final long from = Math.max(touchedTo, (position + PAGE_SIZE) & -PAGE_SIZE);
        if (from >= position + aheadBytes)
        {
            return 0;
        }
        int touched = 0;
        if (tryReserve(mapped))
        {
            try
            {
                final long to = Math.min(position + aheadBytes, mapped.safeLimit());
                long page = from;
                for (; page + Long.BYTES <= to && running && touched < MAX_PAGES_PER_PASS; page += PAGE_SIZE)
                {
                    if (page >= mapped.start())
                    {
                        mapped.compareAndSwapLong(page, 0L, 0L);
                        touched++;
                    }
                }
                touchedTo = page;
            }
            finally
            {
                mapped.release(owner);
            }
        }
        pagesTouched += touched;
        return touched;
    }

    private boolean tryReserve(final MappedBytesStore mapped)
    {
        try
        {
            return mapped.tryReserve(owner);
        }
        catch (final IllegalStateException ex)
        {
            return false; // released and unmapped since it was published: the appender has moved on
        }
    }

    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
