package org.rdmabus.verbs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link Nic}. Fluent and mutable; {@link Fabric#open(NicOptions)} takes a copy.
 */
public final class NicOptions {
    /** Provider name meaning "the highest-priority provider that works here". */
    public static final String AUTO = "auto";
    /** Default bound on RNR retries before a SEND completes with {@link CompletionStatus#RNR_RETRY_EXCEEDED}. */
    public static final Duration DEFAULT_RNR_TIMEOUT = Duration.ofMillis(100);
    /** Default time after which an unresponsive peer fails posts with {@link CompletionStatus#RETRY_EXCEEDED}. */
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(1);

    private String provider = AUTO;
    private String device;
    private Path directory;
    private Duration rnrTimeout = DEFAULT_RNR_TIMEOUT;
    private Duration peerTimeout = DEFAULT_PEER_TIMEOUT;
    private int gidIndex = -1;

    /** Creates options with the defaults. */
    public NicOptions() {
    }

    /** @param other options to copy. */
    public NicOptions(NicOptions other) {
        this.provider = other.provider;
        this.device = other.device;
        this.directory = other.directory;
        this.rnrTimeout = other.rnrTimeout;
        this.peerTimeout = other.peerTimeout;
        this.gidIndex = other.gidIndex;
    }

    /** @return the provider to open, or {@link #AUTO}. */
    public String provider() {
        return provider;
    }

    /**
     * @param provider a provider name such as {@code soft} or {@code rdma}, or {@link #AUTO}.
     * @return this.
     */
    public NicOptions provider(String provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** @return the device name, or {@code null} for the provider's first usable device. */
    public String device() {
        return device;
    }

    /**
     * @param device a device name such as {@code mlx5_0}; {@code null} picks the first usable one.
     * @return this.
     */
    public NicOptions device(String device) {
        this.device = device;
        return this;
    }

    /** @return the software fabric's shared-memory directory, or {@code null} for the per-user default. */
    public Path directory() {
        return directory;
    }

    /**
     * @param directory where the software fabric keeps its shared-memory files; {@code null} for the default.
     * @return this.
     */
    public NicOptions directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** @return how long a SEND retries when the target has no posted receive. */
    public Duration rnrTimeout() {
        return rnrTimeout;
    }

    /**
     * @param rnrTimeout how long a SEND retries when the target has no posted receive; must be positive.
     * @return this.
     */
    public NicOptions rnrTimeout(Duration rnrTimeout) {
        this.rnrTimeout = positive(rnrTimeout, "rnrTimeout");
        return this;
    }

    /** @return after how long an unresponsive peer is declared dead. */
    public Duration peerTimeout() {
        return peerTimeout;
    }

    /**
     * @param peerTimeout after how long an unresponsive peer is declared dead; must be positive.
     * @return this.
     */
    public NicOptions peerTimeout(Duration peerTimeout) {
        this.peerTimeout = positive(peerTimeout, "peerTimeout");
        return this;
    }

    /** @return the GID index to use, or -1 to let the provider choose. */
    public int gidIndex() {
        return gidIndex;
    }

    /**
     * @param gidIndex the GID index to use, or -1 to prefer RoCE v2 with an IPv4-mapped address.
     * @return this.
     */
    public NicOptions gidIndex(int gidIndex) {
        if (gidIndex < -1) {
            throw new IllegalArgumentException("gidIndex must be -1 or an index: " + gidIndex);
        }
        this.gidIndex = gidIndex;
        return this;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "NicOptions{provider=" + provider + ", device=" + device + ", directory=" + directory
            + ", rnrTimeout=" + rnrTimeout + ", peerTimeout=" + peerTimeout + ", gidIndex=" + gidIndex + '}';
    }
}
