package org.rdmabus.samples.ticker.impl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** How the launcher prints the ticker: a row per second while it runs, and a summary at the end. */
final class TickerReport {

    /** The samples' heading of the slow subscriber's heap. */
    static final String HEAP = "slow heap after GC";
    /** The samples' heading of the slow subscriber's ticks so far. */
    static final String SLOW_TOOK = "slow took";

    private static final double MIB = 1024.0 * 1024.0;
    private static final String CELL = " %12s";

    private TickerReport() {
    }

    /**
     * @param out  where.
     * @param fast the fast subscribers' names.
     */
    static void header(PrintStream out, List<String> fast) {
        List<Object> cells = new ArrayList<>(List.of("second"));
        fast.forEach(name -> cells.add(name + " /s"));
        cells.add(SLOW_TOOK);
        cells.add(HEAP);
        out.println(String.format(Locale.ROOT, "%6s" + CELL.repeat(fast.size() + 1) + " %20s", cells.toArray()));
    }

    /**
     * @param out       where.
     * @param second    the sample's index: seconds since just before the first tick.
     * @param fastRates each fast subscriber's ticks in the second before the sample, or {@code null} at 0.
     * @param slowTook  the slow subscriber's ticks so far.
     * @param heapBytes its heap after GC.
     */
    static void row(PrintStream out, int second, List<Long> fastRates, long slowTook, long heapBytes) {
        List<Object> cells = new ArrayList<>(List.of(second));
        fastRates.forEach(rate -> cells.add(rate == null ? "-" : String.format(Locale.ROOT, "%,d", rate)));
        cells.add(String.format(Locale.ROOT, "%,d", slowTook));
        cells.add(megabytes(heapBytes));
        out.println(String.format(Locale.ROOT, "%6d" + CELL.repeat(fastRates.size() + 1) + " %20s", cells.toArray()));
        out.flush();
    }

    /**
     * @param out      where.
     * @param outcome  what the run did.
     * @param settings what it was asked to do.
     */
    static void summary(PrintStream out, TickerOutcome outcome, TickerSettings settings) {
        long published = outcome.published();
        out.printf(Locale.ROOT, "%-8s %10s %9s %9s %10s %14s%n", "", "took", "in order", "missing", "dropped",
            "held at end");
        for (SubscriberResult subscriber : outcome.subscribers()) {
            boolean fast = subscriber.role() == TickerRole.FAST;
            out.printf(Locale.ROOT, "%-8s %10s %9s %9s %10s %14s%n", subscriber.name(),
                String.format(Locale.ROOT, "%,d", subscriber.received()), subscriber.backwards() == 0 ? "yes" : "NO",
                fast ? String.format(Locale.ROOT, "%,d", subscriber.dropped(published)) : "-",
                fast ? "-" : String.format(Locale.ROOT, "%,d", subscriber.dropped(published)),
                String.format(Locale.ROOT, "%,d", subscriber.heldAtEnd()));
        }
        out.println();
        for (TickerOutcome.Throughput fast : outcome.throughput()) {
            List<Long> busy = fast.perSecond().stream().filter(rate -> rate > 0).toList();
            out.printf(Locale.ROOT, "%s took %s: %s ticks/s (min / median / max over the seconds it took ticks)%n",
                fast.name(), outcome.subscribers().stream().filter(s -> s.name().equals(fast.name())).findFirst()
                    .map(s -> s.tookEvery(published) ? "every tick, in order" : "NOT every tick in order")
                    .orElse("?"), spread(busy));
        }
        outcome.subscribers().stream().filter(s -> s.role() == TickerRole.SLOW).findFirst().ifPresent(slow -> {
            List<Long> heap = slow.heapAfterGc();
            if (!heap.isEmpty()) {
                long first = heap.get(0);
                long max = Collections.max(heap);
                out.printf(Locale.ROOT, "slow heap after GC: %s before the first tick, at most %s, last %s "
                    + "(%+.1f MB at most over %d samples)%n", megabytes(first), megabytes(max),
                    megabytes(heap.get(heap.size() - 1)), (max - first) / MIB, heap.size());
            }
            long behind = published - (slow.received() - slow.heldAtEnd());
            out.printf(Locale.ROOT, "slow: working %s per tick, it was %,d ticks behind when the stream ended and "
                + "held %,d of them (consumer buffer %,d + prefetch %d); it dropped %,d, counted from sequence gaps%n",
                workText(settings), behind, slow.heldAtEnd(), settings.buffer(), TickerNode.SLOW_PREFETCH,
                slow.dropped(published));
        });
        out.println();
        out.println("Over the event bus, back-pressure stops at the slow subscriber's own consumer: request(n) becomes "
            + "fetch(n),");
        out.printf(Locale.ROOT, "Vert.x buffers at most %,d ticks for it (setMaxBufferedMessages) and drops the "
            + "excess, counted above;%n", settings.buffer());
        out.println("the publisher is never slowed down. Receive credits (rdmabus's RdmaChannel, not on this build "
            + "yet) would push back on the publisher instead.");
        out.flush();
    }

    private static String spread(List<Long> rates) {
        if (rates.isEmpty()) {
            return "-";
        }
        List<Long> sorted = rates.stream().sorted().toList();
        return String.format(Locale.ROOT, "%,d / %,d / %,d", sorted.get(0), sorted.get(sorted.size() / 2),
            sorted.get(sorted.size() - 1));
    }

    private static String workText(TickerSettings settings) {
        long micros = settings.slowWork().toNanos() / 1_000;
        return micros % 1_000 == 0 ? (micros / 1_000) + " ms" : micros + " us";
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / MIB);
    }
}
