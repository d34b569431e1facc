package org.rdmabus.transport.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * Samples this JVM's heap and off-heap use (NIO direct buffers and mapped files, which is where the soft fabric's
 * shared memory lives) and fits a line through the samples. Some samples also force a full collection first and
 * record the heap left after it, the live heap: its slope is what a leak changes, while the raw heap's saw-tooth
 * follows the collector. Synchronized: one sampling thread, reports from any.
 */
final class MemorySampler {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
    private final JsonArray samples = new JsonArray();
    private final long origin = System.currentTimeMillis();
    /**
     * Live-heap samples before this, counted from the JVM's first sample, are warm-up (classes loading, the JIT,
     * the cluster join, pools filling) and left out of the live heap's slope.
     */
    static final long WARM_UP_MILLIS = 10_000;

    /**
     * Takes one sample: {@code [millis since start, heap used, direct used, mapped used, live heap or -1]}.
     *
     * @param collect whether to force a full collection and record the heap left after it (the live heap); it
     *                pauses every thread of the JVM for as long as the collection takes
     */
    synchronized void sample(boolean collect) {
        long heap = memory.getHeapMemoryUsage().getUsed();
        long live = -1;
        if (collect) {
            memory.gc();
            live = memory.getHeapMemoryUsage().getUsed();
        }
        samples.add(new JsonArray().add(System.currentTimeMillis() - origin).add(heap).add(pool("direct")).add(pool("mapped")).add(live));
    }

    private long pool(String name) {
        for (BufferPoolMXBean pool : pools) {
            if (pool.getName().equals(name)) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    /**
     * Peaks and least-squares slopes over the second half of the samples (the first half is warm-up).
     *
     * @return {@code samples}, {@code heapMax}, {@code directMax}, {@code mappedMax} in bytes and
     *     {@code heapSlope}, {@code directSlope}, {@code mappedSlope}, {@code heapFloorSlope} in bytes per minute;
     *     for the live heap, over the samples after {@link #WARM_UP_MILLIS}: {@code liveSamples}, {@code liveMax},
     *     {@code liveFirst}, {@code liveLast} in bytes, {@code liveSpanMillis} and {@code liveSlope} in bytes per minute
     */
    synchronized JsonObject report() {
        return report(samples);
    }

    /**
     * The same report for samples taken elsewhere.
     *
     * @param samples {@code [millis, heap, direct, mapped]} rows
     * @return the report
     */
    static JsonObject report(JsonArray samples) {
        JsonObject report = new JsonObject().put("samples", samples.size());
        String[] names = {"heap", "direct", "mapped"};
        for (int column = 1; column <= 3; column++) {
            long max = 0;
            for (int i = 0; i < samples.size(); i++) {
                max = Math.max(max, samples.getJsonArray(i).getLong(column));
            }
            report.put(names[column - 1] + "Max", max).put(names[column - 1] + "Slope", slopePerMinute(samples, column));
        }
        report.put("heapFloorSlope", floorSlopePerMinute(samples));
        JsonArray live = new JsonArray();
        for (int i = 0; i < samples.size(); i++) {
            JsonArray sample = samples.getJsonArray(i);
            if (sample.size() > 4 && sample.getLong(4) >= 0 && sample.getLong(0) >= WARM_UP_MILLIS) {
                live.add(new JsonArray().add(sample.getLong(0)).add(sample.getLong(4)));
            }
        }
        long liveMax = 0;
        for (int i = 0; i < live.size(); i++) {
            liveMax = Math.max(liveMax, live.getJsonArray(i).getLong(1));
        }
        report.put("liveSamples", live.size()).put("liveMax", liveMax).put("liveSlope", slopePerMinute(live, 1, 0));
        if (!live.isEmpty()) {
            JsonArray first = live.getJsonArray(0);
            JsonArray last = live.getJsonArray(live.size() - 1);
            report.put("liveFirst", first.getLong(1)).put("liveLast", last.getLong(1)).put("liveSpanMillis", last.getLong(0) - first.getLong(0));
        }
        return report;
    }

    /**
     * The heap's trend without the collector's saw-tooth: the least-squares slope through the lowest heap sample of
     * each window of ten, over the second half. A leak shows here; garbage waiting for the next collection does not.
     */
    private static double floorSlopePerMinute(JsonArray samples) {
        JsonArray floors = new JsonArray();
        for (int from = samples.size() / 2; from + 10 <= samples.size(); from += 10) {
            JsonArray lowest = samples.getJsonArray(from);
            for (int i = from + 1; i < from + 10; i++) {
                if (samples.getJsonArray(i).getLong(1) < lowest.getLong(1)) {
                    lowest = samples.getJsonArray(i);
                }
            }
            floors.add(new JsonArray().add(samples.getJsonArray(from + 5).getLong(0)).add(lowest.getLong(1)));
        }
        return floors.size() < 2 ? 0 : slopePerMinute(floors, 1, 0);
    }

    /** @return the raw samples */
    synchronized JsonArray samples() {
        return samples.copy();
    }

    private static double slopePerMinute(JsonArray samples, int column) {
        return slopePerMinute(samples, column, samples.size() / 2);
    }

    private static double slopePerMinute(JsonArray samples, int column, int from) {
        int n = samples.size() - from;
        if (n < 2) {
            return 0;
        }
        double meanT = 0;
        double meanV = 0;
        for (int i = from; i < samples.size(); i++) {
            meanT += samples.getJsonArray(i).getLong(0);
            meanV += samples.getJsonArray(i).getLong(column);
        }
        meanT /= n;
        meanV /= n;
        double covariance = 0;
        double variance = 0;
        for (int i = from; i < samples.size(); i++) {
            double dt = samples.getJsonArray(i).getLong(0) - meanT;
            covariance += dt * (samples.getJsonArray(i).getLong(column) - meanV);
            variance += dt * dt;
        }
        return variance == 0 ? 0 : covariance / variance * 60_000;
    }
}
