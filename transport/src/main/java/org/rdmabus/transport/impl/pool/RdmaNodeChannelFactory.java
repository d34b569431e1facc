package org.rdmabus.transport.impl.pool;

import org.rdmabus.verbs.NicOptions;

import java.time.Duration;

/** The event-bus channel over a real RDMA NIC. */
public final class RdmaNodeChannelFactory extends FabricNodeChannelFactory {

    /**
     * How long a peer may leave a frame unacknowledged before it is declared dead: 470 ms of transport retries (an
     * ACK timeout of 67 ms, perftest's default, and 6 retries). Half the software fabric's second, because here the
     * NIC acknowledges, in hardware or in the kernel (Soft-RoCE), not the peer's JVM: a garbage-collection pause
     * cannot delay an ACK, so only a dead process or a broken link runs the retries out. Requests waiting on a killed
     * node then fail in about half a second plus the 100 ms probe period.
     */
    static final Duration PEER_TIMEOUT = Duration.ofMillis(500);

    /** Service-loaded. */
    public RdmaNodeChannelFactory() {
        super("rdma");
    }

    @Override
    NicOptions nicOptions() {
        return super.nicOptions().peerTimeout(PEER_TIMEOUT);
    }
}
