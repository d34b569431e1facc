package org.rdmabus.verbs;

import java.util.Set;

/**
 * An opened device: the factory of every verbs resource. Thread-safe for resource creation; each resource
 * documents its own threading. Closing the NIC closes every resource it created.
 */
public interface Nic extends AutoCloseable {

    /** @return the provider's name. */
    String provider();

    /** @return the device's name, such as {@code soft0} or {@code mlx5_0}. */
    String deviceName();

    /** @return what this device can do. */
    NicCapabilities capabilities();

    /**
     * Allocates and registers off-heap memory.
     *
     * @param length the region's length in bytes.
     * @param access what local and remote queue pairs may do with it.
     * @return the registered region.
     * @throws VerbsException if the memory cannot be allocated or registered (for example the memlock limit).
     */
    MemoryRegion allocateRegion(int length, Set<Access> access);

    /**
     * @param capacity the most completions held at once.
     * @return a new completion queue.
     */
    CompletionQueue createCompletionQueue(int capacity);

    /**
     * @param capacity the most receive buffers posted at once.
     * @return a new shared receive queue.
     */
    SharedReceiveQueue createSharedReceiveQueue(int capacity);

    /**
     * Creates a DC initiator. On devices without DC ({@link NicCapabilities#dynamicallyConnected()} false) this
     * throws {@link UnsupportedOperationException}.
     *
     * @param completions    where its send completions go.
     * @param sendQueueDepth the most work requests outstanding at once.
     * @return a new initiator, ready to post.
     */
    DcInitiator createInitiator(CompletionQueue completions, int sendQueueDepth);

    /**
     * Creates a DC target. On devices without DC this throws {@link UnsupportedOperationException}.
     *
     * @param receives    where SENDs land.
     * @param completions where its receive completions go.
     * @param accessKey   the key every initiator must present, usually the cluster secret.
     * @return a new target, reachable at {@link DcTarget#address()}.
     */
    DcTarget createTarget(SharedReceiveQueue receives, CompletionQueue completions, long accessKey);

    /**
     * Creates an unconnected reliable queue pair.
     *
     * @param sendCompletions    where its send completions go.
     * @param receives           where SENDs from its peer land.
     * @param receiveCompletions where its receive completions go.
     * @param sendQueueDepth     the most work requests outstanding at once.
     * @return a new queue pair; exchange addresses and call {@link ReliableQueuePair#connect(TargetAddress)}.
     */
    ReliableQueuePair createReliableQueuePair(CompletionQueue sendCompletions, SharedReceiveQueue receives,
                                              CompletionQueue receiveCompletions, int sendQueueDepth);

    /**
     * Creates a datagram queue pair with its own receive queue. On devices without datagrams
     * ({@link NicCapabilities#datagrams()} false) this throws {@link UnsupportedOperationException}.
     *
     * @param sendCompletions    where its send completions go.
     * @param receiveCompletions where its receive completions go.
     * @param sendQueueDepth     the most sends outstanding at once.
     * @param receiveQueueDepth  the most receive buffers posted at once.
     * @param accessKey          the key a datagram must carry to be received, usually the cluster secret.
     * @return a new queue pair, ready to post, reachable at {@link DatagramQueuePair#address()}.
     */
    DatagramQueuePair createDatagramQueuePair(CompletionQueue sendCompletions, CompletionQueue receiveCompletions,
                                              int sendQueueDepth, int receiveQueueDepth, long accessKey);

    /** Closes every resource and the device. Idempotent. */
    @Override
    void close();
}
