package org.rdmabus.pool;

/**
 * How the pool reaches its peers: through shared DC initiators, or through pooled RC queue pairs connected at first
 * contact over a datagram queue pair. Both keep the same guarantees (order, credits, error isolation, replay); they
 * differ in what a new peer costs and what each peer holds.
 */
public enum TransportService {
    /** DC where the device has it, RC otherwise. */
    AUTO,
    /**
     * Dynamically Connected: shared initiators reach any peer with no set-up; a hot peer may still be promoted to its
     * own RC queue pair. Needs DC (mlx5, or the soft fabric).
     */
    DC,
    /**
     * Reliable Connected from a warm pool: the first message to a peer takes a pre-created RC queue pair and
     * connects it with one exchange of datagrams (two state changes on each side, no queue-pair creation); every
     * peer then has its own queue pair, up to {@link PoolOptions#maxConnectedPeers()}, and idle ones are released.
     * Works on any verbs device with RC and UD (Soft-RoCE included), and on the soft fabric.
     */
    RC
}
