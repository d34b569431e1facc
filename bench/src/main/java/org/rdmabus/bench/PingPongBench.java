package org.rdmabus.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.TargetAddress;

/**
 * Round-trip latency between two JVMs: the soft fabric (SEND, receive completion, SEND back) next to Aeron IPC
 * through an embedded media driver, at 64 B and 4 KiB, each under a busy-spin and a yielding idle strategy used
 * by both sides of both systems. Prints p50, p99 and p99.9 and the soft/Aeron ratio of the medians.
 * <p>
 * Options: {@code --warmup N} (default 20 000), {@code --iterations N} (default 100 000), {@code --seconds S}
 * (default 10): every run stops at whichever bound comes first.
 */
public final class PingPongBench {
    static final String AERON_CHANNEL = "aeron:ipc?term-length=1m|mtu=8192";
    static final int PING_STREAM = 1001;
    static final int PONG_STREAM = 1002;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private PingPongBench() {
    }

    /**
     * @param args options, see the class comment.
     * @throws Exception if a run fails.
     */
    public static void main(String[] args) throws Exception {
        int warmup = intOption(args, "--warmup", 20_000);
        int iterations = intOption(args, "--iterations", 100_000);
        int seconds = intOption(args, "--seconds", 10);
        System.out.printf("round trip between two JVMs, %d warm-up + up to %d measured, at most %d s per run%n",
            warmup, iterations, seconds);
        System.out.printf("%-26s %10s %10s %10s %8s%n", "run", "p50 us", "p99 us", "p99.9 us", "count");
        for (int size : new int[] {64, 4096}) {
            for (String idle : new String[] {"spin", "yield"}) {
                Histogram soft = soft(size, idle, warmup, iterations, seconds);
                Histogram aeron = aeron(size, idle, warmup, iterations, seconds);
                print("soft  " + size + " B " + idle, soft);
                print("aeron " + size + " B " + idle, aeron);
                System.out.printf(Locale.ROOT, "%-26s %10.2f (p99 %.2f)%n", "  soft/aeron p50",
                    ratio(soft, aeron, 50), ratio(soft, aeron, 99));
            }
        }
    }

    private static Histogram soft(int size, String idleName, int warmup, int iterations, int seconds)
        throws Exception {
        int total = warmup + iterations;
        try (SoftEndpoint ping = new SoftEndpoint(64, size, 64);
             ChildJvm pong = new ChildJvm(SoftPong.class, String.valueOf(size), idleName, String.valueOf(total),
                 String.valueOf(seconds + 5))) {
            TargetAddress to = TargetAddress.fromExternalForm(pong.readLine());
            pong.writeLine(ping.target.address().toExternalForm());
            IdleStrategy idle = Idle.of(idleName);
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Completion[] one = Completion.array(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                while (!ping.send(to, size)) {
                    idle.idle();
                }
                while (ping.receiveCompletions.poll(one) == 0) {
                    idle.idle();
                    if (System.nanoTime() > deadline + STALL_NANOS) {
                        throw new IllegalStateException("no pong for " + STALL_NANOS / 1_000_000 + " ms after round trip " + i);
                    }
                }
                long end = System.nanoTime();
                if (!one[0].isSuccess()) {
                    throw new IllegalStateException("receive failed: " + one[0]);
                }
                ping.repost(one[0].wrId());
                if (i >= warmup) {
                    histogram.recordValue(end - start);
                }
                if ((i & 1023) == 0) {
                    ping.checkSends();
                }
            }
            return histogram;
        }
    }

    private static Histogram aeron(int size, String idleName, int warmup, int iterations, int seconds)
        throws Exception {
        int total = warmup + iterations;
        Path dir = Paths.get(Files.isDirectory(Paths.get("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"),
            "rdmabus-bench-aeron-" + ProcessHandle.current().pid());
        MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(100),
                TimeUnit.MILLISECONDS.toNanos(1)))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
             Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
             Publication publication = aeron.addPublication(AERON_CHANNEL, PING_STREAM);
             Subscription subscription = aeron.addSubscription(AERON_CHANNEL, PONG_STREAM);
             ChildJvm pong = new ChildJvm(AeronPong.class, driver.aeronDirectoryName(), idleName,
                 String.valueOf(total), String.valueOf(seconds + 5))) {
            long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(publication.isConnected() && subscription.isConnected())) {
                if (System.nanoTime() > connectDeadline) {
                    throw new IllegalStateException("the Aeron pong did not connect");
                }
                Thread.sleep(1);
            }
            IdleStrategy idle = Idle.of(idleName);
            UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            int[] received = new int[1];
            FragmentAssembler handler = new FragmentAssembler((buffer, offset, length, header) -> received[0]++);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                while (publication.offer(message, 0, size) < 0) {
                    idle.idle();
                }
                received[0] = 0;
                while (received[0] == 0) {
                    idle.idle(subscription.poll(handler, 1));
                    if (System.nanoTime() > deadline + STALL_NANOS) {
                        throw new IllegalStateException("no pong for " + STALL_NANOS / 1_000_000 + " ms after round trip " + i);
                    }
                }
                long end = System.nanoTime();
                if (i >= warmup) {
                    histogram.recordValue(end - start);
                }
            }
            return histogram;
        }
    }

    private static double ratio(Histogram soft, Histogram aeron, double percentile) {
        return soft.getValueAtPercentile(percentile) / (double) aeron.getValueAtPercentile(percentile);
    }

    static void print(String name, Histogram histogram) {
        System.out.printf(Locale.ROOT, "%-26s %10.2f %10.2f %10.2f %8d%n", name,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getValueAtPercentile(99.9) / 1000.0, histogram.getTotalCount());
    }

    static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
