package org.rdmabus.bench.pool;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.verbs.NicOptions;

/** What the pool benchmarks share: a private shared-memory directory, options, histograms, child JVMs, memory. */
final class BenchSupport {
    static final long KEY = 0xBE4C4_0001L;
    private static final Pattern MAPPING_HEADER = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    private BenchSupport() {
    }

    /** @return a new owner-only directory for the soft fabric, under /dev/shm when it exists. */
    static Path directory() throws IOException {
        Path shm = Paths.get("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
            : Paths.get(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(parent, "rdmabus-pool-bench-");
    }

    /** Removes a directory made by {@link #directory()} and whatever a crashed run left in it. */
    static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static PoolOptions options(Path directory, String nodeId) {
        return new PoolOptions().nodeId(nodeId).accessKey(KEY)
            .nicOptions(new NicOptions().provider("soft").directory(directory))
            .receiveBuffers(256).receiveBufferSize(4096).sendSlabSize(256 * 1024).promotionThreshold(0);
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    static void header() {
        System.out.printf(Locale.ROOT, "%-52s %10s %10s %10s %8s%n", "measure", "p50 us", "p99 us", "max us",
            "count");
    }

    static void print(String name, Histogram histogram) {
        System.out.printf(Locale.ROOT, "%-52s %10.2f %10.2f %10.2f %8d%n", name,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
    }

    static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /**
     * What this process holds resident: heap in use after a full collection plus direct buffers, and separately
     * the resident (touched) pages of every shared-memory file mapped from {@code directory}.
     *
     * @return {heap + direct bytes, mapped resident bytes}.
     */
    static long[] residentBytes(Path directory) throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        return new long[] {heap + direct, mappedResident(directory)};
    }

    /** Sums the Rss of this process's mappings of files under {@code directory}, from /proc/self/smaps. */
    static long mappedResident(Path directory) throws IOException {
        Path smaps = Paths.get("/proc/self/smaps");
        if (!Files.isReadable(smaps)) {
            return 0;
        }
        String prefix = directory.toRealPath().toString();
        long kib = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(smaps)) {
            if (MAPPING_HEADER.matcher(line).lookingAt()) {
                inside = line.contains(prefix);
            } else if (inside && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib * 1024;
    }

}
