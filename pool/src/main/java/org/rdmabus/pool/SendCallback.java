package org.rdmabus.pool;

/**
 * Told the outcome of one accepted message. Called exactly once, on a poller thread or, for messages refused at
 * once, on the sending thread. It must be quick and must not throw; an exception it throws is caught and counted.
 */
@FunctionalInterface
public interface SendCallback {

    /**
     * @param failure {@code null} when the NIC has delivered the frame to the peer's receive queue; otherwise why it
     *                was not, as a {@link PoolException} subtype.
     */
    void onComplete(PoolException failure);
}
