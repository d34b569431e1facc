package org.rdmabus.pool;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdmabus.pool.impl.PoolCore;
import org.rdmabus.verbs.TargetAddress;

/**
 * The warm pool of DC queue pairs one JVM shares: KRCore's control plane, in user space, over the verbs SPI.
 * <p>
 * {@link #start()} creates everything up front, off the caller's thread: the DC initiators
 * ({@link PoolOptions#initiatorsPerPoller()} per poller), this node's DC target with a shared receive queue kept
 * topped up, and the registered send and receive buffers. After that, {@link #connect(String)} hands out virtual
 * {@link Connection}s without creating any queue pair: a peer already in the {@link TargetDirectory} costs a map
 * lookup.
 * <p>
 * <b>Threading contract.</b> The pool starts no poller threads. The transport runs {@link #pollerCount()} threads,
 * and thread {@code i} calls {@link #doWork(int) doWork(i)} in a loop with an idle strategy, backing off when it
 * returns 0, Agrona-agent style. Poller {@code i} completes the sends of its own share of the initiators; poller 0
 * also receives: it calls the {@link MessageSink} for each inbound message, in per-source order. Senders post from
 * their own threads when they can, so a send needs no thread hop; what they cannot post waits for a poller.
 * <p>
 * <b>Sharing.</b> {@link #shared(PoolOptions)} returns one reference-counted instance per distinct options, for
 * every verticle and function in the JVM; each call must be matched by one {@link #close()}. The constructor makes
 * a private pool, for tests and for processes that manage their own.
 */
public final class QpPool implements AutoCloseable {
    private static final ConcurrentHashMap<PoolOptions, QpPool> SHARED = new ConcurrentHashMap<>();
    private static final long CLOSE_WAITS_FOR_START_SECONDS = 60;

    private final PoolOptions sharedKey;
    private final TargetDirectory directory;
    private final PoolCore core;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean starting = new AtomicBoolean();
    private final CompletableFuture<QpPool> startup = new CompletableFuture<>();

    /**
     * A private pool with its own, empty directory. Creates nothing until {@link #start()}.
     *
     * @param options how to size and secure it; copied.
     * @throws IllegalArgumentException if the options are inconsistent.
     * @throws IllegalStateException    if no access key is set and {@value PoolOptions#ACCESS_KEY_ENV} is empty.
     */
    public QpPool(PoolOptions options) {
        this(options, new TargetDirectory(), null);
    }

    /**
     * A private pool on a directory the caller fills.
     *
     * @param options   how to size and secure it; copied.
     * @param directory where peers' addresses come from.
     */
    public QpPool(PoolOptions options, TargetDirectory directory) {
        this(options, directory, null);
    }

    private QpPool(PoolOptions options, TargetDirectory directory, PoolOptions sharedKey) {
        Objects.requireNonNull(options, "options");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.core = new PoolCore(options, directory);
        this.sharedKey = sharedKey;
    }

    /**
     * The JVM's pool for these options: created and started by the first caller, shared by later ones.
     *
     * @param options how to size and secure it.
     * @return the started pool; each successful call takes a reference that {@link #close()} gives back.
     */
    public static CompletionStage<QpPool> shared(PoolOptions options) {
        PoolOptions key = new PoolOptions(options);
        while (true) {
            QpPool existing = SHARED.get(key);
            if (existing != null) {
                if (existing.retain()) {
                    return existing.start();
                }
                SHARED.remove(key, existing); // closing: make room for a fresh pool
                continue;
            }
            QpPool created = new QpPool(key, new TargetDirectory(), key);
            if (SHARED.putIfAbsent(key, created) == null) {
                CompletionStage<QpPool> started = created.start();
                started.whenComplete((pool, failure) -> {
                    if (failure != null) {
                        SHARED.remove(key, created);
                    }
                });
                return started;
            }
        }
    }

    private boolean retain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Creates every resource on a new thread; later calls return the same stage.
     *
     * @return completes with this pool once it is warm, or with the reason it could not start.
     */
    public CompletionStage<QpPool> start() {
        if (starting.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> {
                try {
                    core.start();
                    startup.complete(this);
                } catch (Throwable t) {
                    startup.completeExceptionally(t);
                }
            }, "rdmabus-pool-start-" + core.nodeId());
            thread.setDaemon(true);
            thread.start();
        }
        return startup;
    }

    /** @return the directory peers are resolved through; the transport fills it from cluster membership. */
    public TargetDirectory directory() {
        return directory;
    }

    /** @return this node's id. */
    public String nodeId() {
        return core.nodeId();
    }

    /**
     * @return this node's DC target address with the access key removed, to advertise to the cluster.
     * @throws IllegalStateException before start-up completed.
     */
    public TargetAddress advertisedAddress() {
        return core.advertisedAddress();
    }

    /**
     * A virtual connection to a peer. A peer already known, or in the directory, costs a lookup and the stage is
     * already complete; otherwise the directory's asynchronous lookup runs, once however many callers miss.
     *
     * @param nodeId the peer's node id.
     * @return the connection, or a failure with {@link UnknownNodeException}.
     * @throws IllegalStateException before start-up completed.
     */
    public CompletionStage<Connection> connect(String nodeId) {
        Connection hit = connectIfKnown(nodeId);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        return core.connectByLookup(nodeId);
    }

    /**
     * The synchronous form of {@link #connect(String)} for peers already known: never starts a lookup.
     *
     * @param nodeId the peer's node id.
     * @return the connection, or {@code null} if the peer is neither connected nor in the directory.
     */
    public Connection connectIfKnown(String nodeId) {
        Connection hit = core.connectIfKnown(Objects.requireNonNull(nodeId, "nodeId"));
        if (hit != null) {
            directory.countHit();
        }
        return hit;
    }

    /** @param sink where inbound messages go; {@code null} drops them (counted in the stats). */
    public void messageSink(MessageSink sink) {
        core.sink(sink);
    }

    /** @return how many poller threads must drive {@link #doWork(int)}. */
    public int pollerCount() {
        return core.pollerCount();
    }

    /** @return how the started pool reaches peers, {@link TransportService#DC} or {@link TransportService#RC}. */
    public TransportService transportService() {
        return core.transportService();
    }

    /** @return the start-up description of the paths to peers, for example "2 DC initiators". */
    public String describePaths() {
        return core.describePaths();
    }

    /**
     * One unit of completion work, for poller thread {@code pollerIndex}: completes sends, posts what senders
     * left queued, and on poller 0 receives. Never blocks; exceptions from user callbacks are caught and counted.
     *
     * @param pollerIndex 0 to {@link #pollerCount()} - 1; one thread per index at a time.
     * @return how much work was done, 0 when idle.
     */
    public int doWork(int pollerIndex) {
        return core.doWork(pollerIndex);
    }

    /** @return the largest payload one message may have. */
    public int maxMessageSize() {
        return core.maxMessageSize();
    }

    /** @return the pool's live counters. */
    public PoolStats stats() {
        return core.stats();
    }

    /**
     * @param nodeId a peer.
     * @return its live counters, or {@code null} if the pool has exchanged nothing with it.
     */
    public PeerStats peerStats(String nodeId) {
        return core.peerStats(nodeId);
    }

    /**
     * Promotes a connected peer to a dedicated reliable queue pair now, whatever its traffic. The switch happens in
     * the background without losing, duplicating or reordering messages.
     *
     * @param nodeId the peer.
     * @return whether a promotion began.
     */
    public boolean promote(String nodeId) {
        return core.promote(nodeId);
    }

    /**
     * Returns a peer this node promoted to the shared initiators now.
     *
     * @param nodeId the peer.
     * @return whether a demotion began.
     */
    public boolean demote(String nodeId) {
        return core.demote(nodeId);
    }

    /**
     * Gives back one reference. The last one stops the pool: messages still queued or in flight fail with
     * {@link ConnectionClosedException}, and every queue pair, buffer and shared-memory file is released. Stop the
     * pollers first; running {@link #doWork} calls are waited for.
     */
    @Override
    public void close() {
        int left = references.decrementAndGet();
        if (left > 0) {
            return;
        }
        if (left < 0) {
            references.set(0);
            return;
        }
        if (sharedKey != null) {
            SHARED.remove(sharedKey, this);
        }
        if (starting.get()) {
            try {
                startup.get(CLOSE_WAITS_FOR_START_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // A pool that failed to start has already released what it had; closing is still safe.
            }
        }
        core.close();
    }

    /** @return the machinery, for tests in this package (fault injection). */
    PoolCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "QpPool{node=" + core.nodeId() + ", references=" + references.get() + '}';
    }
}
