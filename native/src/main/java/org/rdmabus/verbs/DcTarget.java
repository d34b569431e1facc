package org.rdmabus.verbs;

/**
 * A Dynamically Connected target (DCT): the receiving end any {@link DcInitiator} can reach by address.
 * SENDs land in buffers posted to its {@link SharedReceiveQueue}; one-sided operations check its access key.
 */
public interface DcTarget extends AutoCloseable {

    /** @return the address peers use to reach this target; it carries the access key, so treat it as a secret. */
    TargetAddress address();

    /** Destroys the target; later posts to it fail at the initiator. Idempotent. */
    @Override
    void close();
}
