package org.rdmabus.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.TargetAddress;

/**
 * Round-trip latency between two JVMs: the soft fabric (SEND, receive completion, SEND back) next to Aeron IPC
 * through an embedded media driver, at 64 B and 4 KiB, each under a busy-spin and a yielding idle strategy used
 * by both sides of both systems. Prints p50, p99 and p99.9 and the soft/Aeron ratio of the medians. Without Aeron
 * on the class path (the {@code rdmabus} command-line jar), it runs the soft fabric alone and says where the
 * baseline is.
 * <p>
 * Options: {@code --warmup N} (default 20 000), {@code --iterations N} (default 100 000), {@code --seconds S}
 * (default 10): every run stops at whichever bound comes first.
 */
public final class PingPongBench {
    /** Checked once: the {@code rdmabus} command-line jar carries the soft side only. */
    private static final String AERON_MISSING = aeronMissing();
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
        if (AERON_MISSING != null) {
            System.out.println("Aeron baseline not in this jar (" + AERON_MISSING + "): run "
                + "`java -jar bench/target/rdmabus-bench.jar pingpong` for it");
        }
        System.out.printf("%-26s %10s %10s %10s %8s%n", "run", "p50 us", "p99 us", "p99.9 us", "count");
        for (int size : new int[] {64, 4096}) {
            for (String idle : new String[] {"spin", "yield"}) {
                Histogram soft = soft(size, idle, warmup, iterations, seconds);
                print("soft  " + size + " B " + idle, soft);
                if (AERON_MISSING == null) {
                    Histogram aeron = AeronPing.run(size, idle, warmup, iterations, seconds);
                    print("aeron " + size + " B " + idle, aeron);
                    System.out.printf(Locale.ROOT, "%-26s %10.2f (p99 %.2f)%n", "  soft/aeron p50",
                        ratio(soft, aeron, 50), ratio(soft, aeron, 99));
                }
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

    /** @return why Aeron's media driver cannot be loaded, or null when it can. */
    private static String aeronMissing() {
        try {
            Class.forName("io.aeron.driver.MediaDriver", false, PingPongBench.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return e.toString();
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
