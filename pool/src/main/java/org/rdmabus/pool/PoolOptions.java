package org.rdmabus.pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import org.rdmabus.verbs.NicOptions;

/**
 * How a {@link QpPool} is sized and secured. Fluent and mutable; the pool takes a copy when it is created, and
 * every setter validates its argument at once. Two option sets that are {@link #equals(Object) equal} share one
 * pool through {@link QpPool#shared(PoolOptions)}.
 * <p>
 * The access key is the cluster secret every DC target checks. Set it with {@link #accessKey(long)} or
 * {@link #accessKey(String)}, or leave it unset and the pool reads the {@value #ACCESS_KEY_ENV} environment
 * variable at start-up. {@link #toString()} never shows it.
 */
public final class PoolOptions {
    /** The environment variable the access key is read from when none is set. */
    public static final String ACCESS_KEY_ENV = "RDMABUS_ACCESS_KEY";
    /** Default number of DC initiators per completion poller. */
    public static final int DEFAULT_INITIATORS_PER_POLLER = 2;
    /** Default number of completion pollers the transport runs. */
    public static final int DEFAULT_POLLER_COUNT = 1;
    /** Default depth of each initiator's send queue. */
    public static final int DEFAULT_INITIATOR_QUEUE_DEPTH = 128;
    /** Default number of one connection's frames that may be in flight on an initiator at once. */
    public static final int DEFAULT_INITIATOR_QUOTA = 16;
    /** Default bound of each connection's send queue. */
    public static final int DEFAULT_SEND_QUEUE_DEPTH = 1024;
    /** Default number of receive buffers kept posted. */
    public static final int DEFAULT_RECEIVE_BUFFERS = 512;
    /** Default size of one receive buffer, header included. */
    public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 8192;
    /** Default size of each send slab. */
    public static final int DEFAULT_SEND_SLAB_SIZE = 1 << 20;
    /** Default smallest chunk a send slab hands out. */
    public static final int DEFAULT_SEND_CHUNK_SIZE = 256;
    /** Default credits each node grants every peer: frames a peer may have unreleased at this node. */
    public static final int DEFAULT_INITIAL_CREDITS = 32;
    /** Default frames per second, both directions, above which a peer gets a dedicated reliable queue pair. */
    public static final int DEFAULT_PROMOTION_THRESHOLD = 20_000;
    /** Default idle time after which a promoted peer returns to the shared DC initiators. */
    public static final Duration DEFAULT_DEMOTION_IDLE = Duration.ofSeconds(5);
    /** Default most peers promoted at once. */
    public static final int DEFAULT_MAX_PROMOTED_PEERS = 16;
    /** Default most peers holding an RC queue pair at once when the pool runs on {@link TransportService#RC}. */
    public static final int DEFAULT_MAX_CONNECTED_PEERS = 256;
    /** Default RC queue pairs kept created and ready, so a new peer or promotion never waits for one. */
    public static final int DEFAULT_WARM_QUEUE_PAIRS = 4;
    /** Default time sends to an unreachable peer fail fast before one is let through to probe it again. */
    public static final Duration DEFAULT_UNREACHABLE_BACKOFF = Duration.ofSeconds(1);

    private static final int MAX_THREADS = 64;
    private static final int MAX_DEPTH = 1 << 16;

    private String nodeId;
    private NicOptions nicOptions = new NicOptions();
    private int pollerCount = DEFAULT_POLLER_COUNT;
    private int initiatorsPerPoller = DEFAULT_INITIATORS_PER_POLLER;
    private int initiatorQueueDepth = DEFAULT_INITIATOR_QUEUE_DEPTH;
    private int initiatorQuota = DEFAULT_INITIATOR_QUOTA;
    private int sendQueueDepth = DEFAULT_SEND_QUEUE_DEPTH;
    private int receiveBuffers = DEFAULT_RECEIVE_BUFFERS;
    private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER_SIZE;
    private int sendSlabSize = DEFAULT_SEND_SLAB_SIZE;
    private int sendChunkSize = DEFAULT_SEND_CHUNK_SIZE;
    private int maxMessageSize;
    private int initialCredits = DEFAULT_INITIAL_CREDITS;
    private int promotionThreshold = DEFAULT_PROMOTION_THRESHOLD;
    private Duration demotionIdle = DEFAULT_DEMOTION_IDLE;
    private int maxPromotedPeers = DEFAULT_MAX_PROMOTED_PEERS;
    private Duration unreachableBackoff = DEFAULT_UNREACHABLE_BACKOFF;
    private long accessKey;
    private boolean warmRoutes = true;
    private TransportService transportService = TransportService.AUTO;
    private int maxConnectedPeers = DEFAULT_MAX_CONNECTED_PEERS;
    private int warmQueuePairs = DEFAULT_WARM_QUEUE_PAIRS;

    /** Creates options with the defaults; {@link #nodeId(String)} must still be set. */
    public PoolOptions() {
    }

    /** @param other options to copy, access key included. */
    public PoolOptions(PoolOptions other) {
        this.nodeId = other.nodeId;
        this.nicOptions = new NicOptions(other.nicOptions);
        this.pollerCount = other.pollerCount;
        this.initiatorsPerPoller = other.initiatorsPerPoller;
        this.initiatorQueueDepth = other.initiatorQueueDepth;
        this.initiatorQuota = other.initiatorQuota;
        this.sendQueueDepth = other.sendQueueDepth;
        this.receiveBuffers = other.receiveBuffers;
        this.receiveBufferSize = other.receiveBufferSize;
        this.sendSlabSize = other.sendSlabSize;
        this.sendChunkSize = other.sendChunkSize;
        this.maxMessageSize = other.maxMessageSize;
        this.initialCredits = other.initialCredits;
        this.promotionThreshold = other.promotionThreshold;
        this.demotionIdle = other.demotionIdle;
        this.maxPromotedPeers = other.maxPromotedPeers;
        this.unreachableBackoff = other.unreachableBackoff;
        this.accessKey = other.accessKey;
        this.warmRoutes = other.warmRoutes;
        this.transportService = other.transportService;
        this.maxConnectedPeers = other.maxConnectedPeers;
        this.warmQueuePairs = other.warmQueuePairs;
    }

    /** @return this node's id in the cluster, or {@code null} if not set yet. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * @param nodeId this node's id in the cluster, as peers name it in their {@link TargetDirectory}.
     * @return this.
     */
    public PoolOptions nodeId(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isEmpty() || nodeId.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("nodeId must be 1..255 UTF-8 bytes: '" + nodeId + "'");
        }
        this.nodeId = nodeId;
        return this;
    }

    /** @return a copy of the options the NIC is opened with. */
    public NicOptions nicOptions() {
        return new NicOptions(nicOptions);
    }

    /**
     * @param nicOptions which provider and device to open, and its timeouts; copied.
     * @return this.
     */
    public PoolOptions nicOptions(NicOptions nicOptions) {
        this.nicOptions = new NicOptions(Objects.requireNonNull(nicOptions, "nicOptions"));
        return this;
    }

    /** @return how many completion pollers drive the pool through {@link QpPool#doWork(int)}. */
    public int pollerCount() {
        return pollerCount;
    }

    /**
     * @param pollerCount how many poller threads will call {@link QpPool#doWork(int)}; 1..64.
     * @return this.
     */
    public PoolOptions pollerCount(int pollerCount) {
        this.pollerCount = range("pollerCount", pollerCount, 1, MAX_THREADS);
        return this;
    }

    /** @return DC initiators created per poller. */
    public int initiatorsPerPoller() {
        return initiatorsPerPoller;
    }

    /**
     * @param initiatorsPerPoller DC initiators created per poller; 1..64.
     * @return this.
     */
    public PoolOptions initiatorsPerPoller(int initiatorsPerPoller) {
        this.initiatorsPerPoller = range("initiatorsPerPoller", initiatorsPerPoller, 1, MAX_THREADS);
        return this;
    }

    /** @return the send queue depth of each initiator and promoted queue pair. */
    public int initiatorQueueDepth() {
        return initiatorQueueDepth;
    }

    /**
     * @param initiatorQueueDepth the send queue depth of each initiator; at least {@link #initiatorQuota()}.
     * @return this.
     */
    public PoolOptions initiatorQueueDepth(int initiatorQueueDepth) {
        this.initiatorQueueDepth = range("initiatorQueueDepth", initiatorQueueDepth, 1, MAX_DEPTH);
        return this;
    }

    /** @return how many of one connection's frames may be in flight on an initiator at once. */
    public int initiatorQuota() {
        return initiatorQuota;
    }

    /**
     * Bounds how much of a shared initiator one peer may occupy, so a slow or dead peer holds at most this many
     * slots while other peers keep going.
     *
     * @param initiatorQuota frames of one connection in flight on an initiator at once; at least 1.
     * @return this.
     */
    public PoolOptions initiatorQuota(int initiatorQuota) {
        this.initiatorQuota = range("initiatorQuota", initiatorQuota, 1, MAX_DEPTH);
        return this;
    }

    /** @return the most messages a connection queues before {@link SendStatus#BACK_PRESSURED}. */
    public int sendQueueDepth() {
        return sendQueueDepth;
    }

    /**
     * @param sendQueueDepth the most messages a connection queues before refusing with back-pressure.
     * @return this.
     */
    public PoolOptions sendQueueDepth(int sendQueueDepth) {
        this.sendQueueDepth = range("sendQueueDepth", sendQueueDepth, 1, MAX_DEPTH);
        return this;
    }

    /** @return how many receive buffers the node keeps posted. */
    public int receiveBuffers() {
        return receiveBuffers;
    }

    /**
     * @param receiveBuffers how many receive buffers the node keeps posted on its shared receive queue.
     * @return this.
     */
    public PoolOptions receiveBuffers(int receiveBuffers) {
        this.receiveBuffers = range("receiveBuffers", receiveBuffers, 2, MAX_DEPTH);
        return this;
    }

    /** @return each receive buffer's size in bytes, frame header included. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * @param receiveBufferSize each receive buffer's size, frame header included; must be the same on every node.
     * @return this.
     */
    public PoolOptions receiveBufferSize(int receiveBufferSize) {
        this.receiveBufferSize = range("receiveBufferSize", receiveBufferSize, 128, 1 << 24);
        return this;
    }

    /** @return the size of each registered send slab. */
    public int sendSlabSize() {
        return sendSlabSize;
    }

    /**
     * @param sendSlabSize the bytes of each registered send slab; one slab is created per chunk size class.
     * @return this.
     */
    public PoolOptions sendSlabSize(int sendSlabSize) {
        this.sendSlabSize = range("sendSlabSize", sendSlabSize, 4096, 1 << 30);
        return this;
    }

    /** @return the smallest chunk a send slab hands out. */
    public int sendChunkSize() {
        return sendChunkSize;
    }

    /**
     * @param sendChunkSize the smallest send chunk, a power of two; classes double up to the largest frame.
     * @return this.
     */
    public PoolOptions sendChunkSize(int sendChunkSize) {
        range("sendChunkSize", sendChunkSize, 64, 1 << 24);
        if (Integer.bitCount(sendChunkSize) != 1) {
            throw new IllegalArgumentException("sendChunkSize must be a power of two: " + sendChunkSize);
        }
        this.sendChunkSize = sendChunkSize;
        return this;
    }

    /** @return the largest message payload, or 0 for "as large as a receive buffer allows". */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * @param maxMessageSize the largest payload of one message; 0 for the receive buffer size minus the frame
     *                       header. Larger values fail at start-up.
     * @return this.
     */
    public PoolOptions maxMessageSize(int maxMessageSize) {
        this.maxMessageSize = range("maxMessageSize", maxMessageSize, 0, 1 << 24);
        return this;
    }

    /** @return the credits each node grants every peer. */
    public int initialCredits() {
        return initialCredits;
    }

    /**
     * @param initialCredits frames a peer may send before this node returns credits; the same on every node.
     * @return this.
     */
    public PoolOptions initialCredits(int initialCredits) {
        this.initialCredits = range("initialCredits", initialCredits, 2, MAX_DEPTH);
        return this;
    }

    /** @return frames per second to a peer, both directions, above which it is promoted; 0 disables promotion. */
    public int promotionThreshold() {
        return promotionThreshold;
    }

    /**
     * @param promotionThreshold frames per second exchanged with a peer above which it is promoted to a dedicated
     *                           reliable queue pair; 0 disables promotion.
     * @return this.
     */
    public PoolOptions promotionThreshold(int promotionThreshold) {
        this.promotionThreshold = range("promotionThreshold", promotionThreshold, 0, Integer.MAX_VALUE);
        return this;
    }

    /** @return how long a promoted peer may stay idle before it is demoted. */
    public Duration demotionIdle() {
        return demotionIdle;
    }

    /**
     * @param demotionIdle idle time after which a promoted peer returns to the shared initiators; positive.
     * @return this.
     */
    public PoolOptions demotionIdle(Duration demotionIdle) {
        this.demotionIdle = positive("demotionIdle", demotionIdle);
        return this;
    }

    /** @return the most peers promoted at once. */
    public int maxPromotedPeers() {
        return maxPromotedPeers;
    }

    /**
     * @param maxPromotedPeers the most peers with a dedicated reliable queue pair at once; 0 disables promotion.
     * @return this.
     */
    public PoolOptions maxPromotedPeers(int maxPromotedPeers) {
        this.maxPromotedPeers = range("maxPromotedPeers", maxPromotedPeers, 0, MAX_DEPTH);
        return this;
    }

    /** @return how the pool reaches its peers. */
    public TransportService transportService() {
        return transportService;
    }

    /**
     * @param transportService {@link TransportService#AUTO} (the default) for DC where the device has it and RC
     *                         otherwise; {@code DC} or {@code RC} to insist, failing {@code start} on a device
     *                         that lacks it.
     * @return this.
     */
    public PoolOptions transportService(TransportService transportService) {
        this.transportService = Objects.requireNonNull(transportService, "transportService");
        return this;
    }

    /** @return the most peers holding an RC queue pair at once on {@link TransportService#RC}. */
    public int maxConnectedPeers() {
        return maxConnectedPeers;
    }

    /**
     * @param maxConnectedPeers on {@link TransportService#RC}, the most peers with a connected RC queue pair at
     *                          once; at the limit, a new peer is refused until an idle one is released (after
     *                          {@link #demotionIdle()}). At least 1.
     * @return this.
     */
    public PoolOptions maxConnectedPeers(int maxConnectedPeers) {
        this.maxConnectedPeers = range("maxConnectedPeers", maxConnectedPeers, 1, MAX_DEPTH);
        return this;
    }

    /** @return how many RC queue pairs are kept created and ready. */
    public int warmQueuePairs() {
        return warmQueuePairs;
    }

    /**
     * @param warmQueuePairs RC queue pairs created ahead of time and refilled in the background as they are taken,
     *                       so connecting a peer (on RC) or promoting one (on DC) never creates a queue pair on its
     *                       path; 0 creates each when needed.
     * @return this.
     */
    public PoolOptions warmQueuePairs(int warmQueuePairs) {
        this.warmQueuePairs = range("warmQueuePairs", warmQueuePairs, 0, MAX_DEPTH);
        return this;
    }

    /** @return how long sends to an unreachable peer fail fast. */
    public Duration unreachableBackoff() {
        return unreachableBackoff;
    }

    /**
     * @param unreachableBackoff how long sends to a peer found unreachable fail fast before one send is let
     *                           through to probe it; positive.
     * @return this.
     */
    public PoolOptions unreachableBackoff(Duration unreachableBackoff) {
        this.unreachableBackoff = positive("unreachableBackoff", unreachableBackoff);
        return this;
    }

    /** @return whether the route to a node is warmed as soon as the directory learns its address. */
    public boolean warmRoutes() {
        return warmRoutes;
    }

    /**
     * Whether to warm the route to each node when the {@link TargetDirectory} learns its address, off the request
     * path: the pool posts a HELLO on a dedicated initiator, so the NIC resolves the peer (an address handle on
     * hardware; mapping the peer's segment on the soft fabric) before the first message needs it, and the peer
     * learns this node's id. On by default.
     *
     * @param warmRoutes {@code false} to resolve each peer on its first message instead.
     * @return this.
     */
    public PoolOptions warmRoutes(boolean warmRoutes) {
        this.warmRoutes = warmRoutes;
        return this;
    }

    /** @return whether an access key was set on these options (the environment is not consulted). */
    public boolean hasAccessKey() {
        return accessKey != 0;
    }

    /**
     * @param accessKey the cluster secret every DC target checks; non-zero, the same on every node.
     * @return this.
     */
    public PoolOptions accessKey(long accessKey) {
        if (accessKey == 0) {
            throw new IllegalArgumentException("the access key must not be 0: 0 marks an advertised address");
        }
        this.accessKey = accessKey;
        return this;
    }

    /**
     * @param secret the cluster secret as text: a decimal or {@code 0x} hexadecimal 64-bit number, or any other
     *               text, which is hashed to 64 bits.
     * @return this.
     */
    public PoolOptions accessKey(String secret) {
        return accessKey(parseAccessKey(secret));
    }

    /**
     * The access key the pool uses: the one set here or, if none, the one in {@value #ACCESS_KEY_ENV}.
     *
     * @return the key.
     * @throws IllegalStateException if neither is set.
     */
    public long resolveAccessKey() {
        if (accessKey != 0) {
            return accessKey;
        }
        String env = System.getenv(ACCESS_KEY_ENV);
        if (env == null || env.isBlank()) {
            throw new IllegalStateException("no cluster access key: set PoolOptions.accessKey or the "
                + ACCESS_KEY_ENV + " environment variable to the same secret on every node");
        }
        return parseAccessKey(env);
    }

    /**
     * Checks the options as a whole; setters already check each value on its own.
     *
     * @param frameHeaderLength the codec's frame header length.
     * @return the largest message payload these options allow.
     * @throws IllegalArgumentException naming the first inconsistency.
     */
    public int validate(int frameHeaderLength) {
        if (nodeId == null) {
            throw new IllegalArgumentException("nodeId is required");
        }
        if (initiatorQuota > initiatorQueueDepth) {
            throw new IllegalArgumentException("initiatorQuota " + initiatorQuota + " exceeds initiatorQueueDepth "
                + initiatorQueueDepth);
        }
        int largest = receiveBufferSize - frameHeaderLength;
        if (maxMessageSize > largest) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " does not fit a receive buffer of "
                + receiveBufferSize + " bytes with a " + frameHeaderLength + "-byte frame header; at most " + largest);
        }
        if (sendChunkSize > sendSlabSize) {
            throw new IllegalArgumentException("sendChunkSize " + sendChunkSize + " exceeds sendSlabSize " + sendSlabSize);
        }
        return maxMessageSize == 0 ? largest : maxMessageSize;
    }

    private static long parseAccessKey(String secret) {
        Objects.requireNonNull(secret, "secret");
        String text = secret.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the access key must not be blank");
        }
        long key;
        try {
            key = text.startsWith("0x") || text.startsWith("0X")
                ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            key = hash(text);
        }
        if (key == 0) {
            throw new IllegalArgumentException("the access key must not be 0");
        }
        return key;
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                key = (key << 8) | (digest[i] & 0xFF);
            }
            return key == 0 ? 1 : key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoolOptions other)) {
            return false;
        }
        return pollerCount == other.pollerCount && initiatorsPerPoller == other.initiatorsPerPoller
            && initiatorQueueDepth == other.initiatorQueueDepth && initiatorQuota == other.initiatorQuota
            && sendQueueDepth == other.sendQueueDepth && receiveBuffers == other.receiveBuffers
            && receiveBufferSize == other.receiveBufferSize && sendSlabSize == other.sendSlabSize
            && sendChunkSize == other.sendChunkSize && maxMessageSize == other.maxMessageSize
            && initialCredits == other.initialCredits && promotionThreshold == other.promotionThreshold
            && maxPromotedPeers == other.maxPromotedPeers && accessKey == other.accessKey
            && warmRoutes == other.warmRoutes && transportService == other.transportService
            && maxConnectedPeers == other.maxConnectedPeers && warmQueuePairs == other.warmQueuePairs
            && Objects.equals(nodeId, other.nodeId) && demotionIdle.equals(other.demotionIdle)
            && unreachableBackoff.equals(other.unreachableBackoff) && sameNic(nicOptions, other.nicOptions);
    }

    private static boolean sameNic(NicOptions a, NicOptions b) {
        return a.provider().equals(b.provider()) && Objects.equals(a.device(), b.device())
            && Objects.equals(a.directory(), b.directory()) && a.rnrTimeout().equals(b.rnrTimeout())
            && a.peerTimeout().equals(b.peerTimeout()) && a.gidIndex() == b.gidIndex();
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, nicOptions.provider(), nicOptions.device(), nicOptions.directory(), pollerCount,
            initiatorsPerPoller, initiatorQueueDepth, initiatorQuota, sendQueueDepth, receiveBuffers,
            receiveBufferSize, sendSlabSize, sendChunkSize, maxMessageSize, initialCredits, promotionThreshold,
            maxPromotedPeers, accessKey, warmRoutes, transportService, maxConnectedPeers, warmQueuePairs);
    }

    /** @return every option, with the access key masked. */
    @Override
    public String toString() {
        return "PoolOptions{nodeId=" + nodeId + ", nic=" + nicOptions + ", pollerCount=" + pollerCount
            + ", initiatorsPerPoller=" + initiatorsPerPoller + ", initiatorQueueDepth=" + initiatorQueueDepth
            + ", initiatorQuota=" + initiatorQuota + ", sendQueueDepth=" + sendQueueDepth
            + ", receiveBuffers=" + receiveBuffers + ", receiveBufferSize=" + receiveBufferSize
            + ", sendSlabSize=" + sendSlabSize + ", sendChunkSize=" + sendChunkSize
            + ", maxMessageSize=" + (maxMessageSize == 0 ? "auto" : maxMessageSize)
            + ", initialCredits=" + initialCredits + ", promotionThreshold=" + promotionThreshold
            + ", demotionIdle=" + demotionIdle + ", maxPromotedPeers=" + maxPromotedPeers
            + ", unreachableBackoff=" + unreachableBackoff + ", warmRoutes=" + warmRoutes
            + ", transportService=" + transportService + ", maxConnectedPeers=" + maxConnectedPeers
            + ", warmQueuePairs=" + warmQueuePairs
            + ", accessKey=" + (accessKey != 0 ? "****" : "from " + ACCESS_KEY_ENV) + '}';
    }
}
