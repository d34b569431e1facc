package org.rdmabus.transport.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * Samples this JVM's heap and off-heap use (NIO direct buffers and mapped files, which is where the soft fabric's
 * shared memory lives) and fits a line through the samples. Not thread-safe: one sampling thread.
 */
final class MemorySampler {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
    private final JsonArray samples = new JsonArray();
    private final long origin = System.currentTimeMillis();

    /** Takes one sample: {@code [millis since start, heap used, direct used, mapped used]}. */
    synchronized void sample() {
        samples.add(new JsonArray().add(System.currentTimeMillis() - origin).add(memory.getHeapMemoryUsage().getUsed())
            .add(pool("direct")).add(pool("mapped")));
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
     *     {@code heapSlope}, {@code directSlope}, {@code mappedSlope}, {@code heapFloorSlope} in bytes per minute
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
        return report.put("heapFloorSlope", floorSlopePerMinute(samples));
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
