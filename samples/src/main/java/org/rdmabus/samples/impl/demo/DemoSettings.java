package org.rdmabus.samples.impl.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one demo run does.
 *
 * @param requests   measured sequential round trips per phase; also the requests of the throughput load.
 * @param warmup     warm-up round trips per phase, not measured.
 * @param inflight   requests in flight during the throughput load.
 * @param payload    request and reply body size in bytes.
 * @param freshNodes how many never-contacted nodes the first-contact measurement reaches per phase.
 * @param output     the directory the HTML report goes to.
 * @param loadLimit  how long each load may run at most; a load stops at its count or at this limit.
 */
public record DemoSettings(int requests, int warmup, int inflight, int payload, int freshNodes, Path output,
                           Duration loadLimit) {

    /** The default of {@link #requests()}. */
    public static final int DEFAULT_REQUESTS = 20_000;
    /** The default of {@link #warmup()}. */
    public static final int DEFAULT_WARMUP = 10_000;
    /** The default of {@link #inflight()}. */
    public static final int DEFAULT_INFLIGHT = 32;
    /** The default of {@link #payload()}. */
    public static final int DEFAULT_PAYLOAD = 64;
    /** The default of {@link #freshNodes()}. */
    public static final int DEFAULT_FRESH_NODES = 3;
    /** The default of {@link #output()}. */
    public static final String DEFAULT_OUTPUT = "rdmabus-report";
    /** The default of {@link #loadLimit()}, in seconds. */
    public static final int DEFAULT_LOAD_LIMIT_SECONDS = 20;

    /** The most requests a load may send: the time limit bounds it anyway, this bounds the histogram's count. */
    public static final int MAX_REQUESTS = 10_000_000;
    /** The most requests in flight. */
    public static final int MAX_INFLIGHT = 4096;
    /** The largest body: the demo measures small messages, not bulk transfer. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** The longest time limit of a load. */
    public static final Duration MAX_LOAD_LIMIT = Duration.ofMinutes(10);
    /** The most fresh nodes: each is a Hazelcast member joining the cluster. */
    public static final int MAX_FRESH_NODES = 10;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range.
     */
    public DemoSettings {
        check("requests", requests, 1, MAX_REQUESTS);
        check("warmup", warmup, 0, MAX_REQUESTS);
        check("inflight", inflight, 1, MAX_INFLIGHT);
        check("payload", payload, 0, MAX_PAYLOAD);
        check("fresh-nodes", freshNodes, 1, MAX_FRESH_NODES);
        if (output == null) {
            throw new IllegalArgumentException("output: a directory is required");
        }
        if (loadLimit == null || loadLimit.isNegative() || loadLimit.isZero()
            || loadLimit.compareTo(MAX_LOAD_LIMIT) > 0) {
            throw new IllegalArgumentException("the time limit must be between 1 s and "
                + MAX_LOAD_LIMIT.toSeconds() + " s, not " + (loadLimit == null ? null : loadLimit.toSeconds() + " s"));
        }
    }

    /** @return the defaults, which finish in under a minute on a 2-core machine. */
    public static DemoSettings defaults() {
        return new DemoSettings(DEFAULT_REQUESTS, DEFAULT_WARMUP, DEFAULT_INFLIGHT, DEFAULT_PAYLOAD,
            DEFAULT_FRESH_NODES, Path.of(DEFAULT_OUTPUT), Duration.ofSeconds(DEFAULT_LOAD_LIMIT_SECONDS));
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
