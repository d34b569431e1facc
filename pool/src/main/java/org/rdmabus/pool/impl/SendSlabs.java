package org.rdmabus.pool.impl;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;

/**
 * The registered memory messages are copied into before they are posted, carved into size classes.
 * <p>
 * Class {@code i} holds chunks of {@code minChunk << i} bytes, doubling up to the largest frame; each class is one
 * registered region of about {@code slabSize} bytes (at least four chunks). A request takes the smallest class
 * that fits and falls back to larger ones when that class is empty. All chunk objects exist from start-up, so
 * allocation never allocates. Thread-safe: any thread allocates, any thread releases.
 */
final class SendSlabs implements AutoCloseable {
    private static final int MIN_CHUNKS_PER_CLASS = 4;

    private final int minChunk;
    private final List<MemoryRegion> regions = new ArrayList<>();
    private final BoundedQueue<SlabChunk>[] free;
    private final int[] chunkCounts;
    private final AtomicInteger inUse = new AtomicInteger();

    @SuppressWarnings("unchecked")
    SendSlabs(Nic nic, int slabSize, int minChunk, int largestFrame) {
        this.minChunk = minChunk;
        int classes = 1;
        while ((minChunk << (classes - 1)) < largestFrame) {
            classes++;
        }
        this.free = new BoundedQueue[classes];
        this.chunkCounts = new int[classes];
        try {
            for (int c = 0; c < classes; c++) {
                int chunk = minChunk << c;
                int count = Math.max(MIN_CHUNKS_PER_CLASS, slabSize / chunk);
                MemoryRegion region = nic.allocateRegion(Math.multiplyExact(count, chunk), EnumSet.of(Access.LOCAL_WRITE));
                regions.add(region);
                Pages.touch(region);
                free[c] = new BoundedQueue<>(count);
                chunkCounts[c] = count;
                for (int i = 0; i < count; i++) {
                    free[c].offer(new SlabChunk(this, c, region, i * chunk, chunk));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * @param length the bytes needed.
     * @return an owned chunk of at least {@code length} bytes, or {@code null} if every class that fits is empty.
     */
    SlabChunk allocate(int length) {
        int c = classFor(length);
        for (; c < free.length; c++) {
            SlabChunk chunk = free[c].poll();
            if (chunk != null) {
                if (!chunk.acquire()) {
                    throw new IllegalStateException("a free send chunk was owned");
                }
                inUse.incrementAndGet();
                return chunk;
            }
        }
        return null;
    }

    void recycle(SlabChunk chunk) {
        inUse.decrementAndGet();
        free[chunk.sizeClass()].offer(chunk);
    }

    private int classFor(int length) {
        if (length <= minChunk) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros((length - 1) / minChunk);
    }

    /** @return chunks currently owned by messages. */
    int chunksInUse() {
        return inUse.get();
    }

    /** @return registered bytes across every class. */
    long registeredBytes() {
        long total = 0;
        for (MemoryRegion region : regions) {
            total += region.length();
        }
        return total;
    }

    /** @return how many chunks each class holds. */
    int chunkCount(int sizeClass) {
        return chunkCounts[sizeClass];
    }

    @Override
    public void close() {
        for (MemoryRegion region : regions) {
            region.close();
        }
        regions.clear();
    }
}
