package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * The peer did not answer within the fabric's peer timeout ({@link CompletionStatus#RETRY_EXCEEDED}): it is dead
 * or cut off. The message may or may not have arrived. Later sends to the peer fail fast with this exception until
 * the peer is heard from again, its directory entry changes, or the pool's back-off elapses.
 */
public final class PeerUnreachableException extends PoolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param nodeId the peer.
     * @param status the status that showed it unreachable.
     */
    public PeerUnreachableException(String nodeId, CompletionStatus status) {
        super("node '" + nodeId + "' is unreachable: " + status.advice(), status);
    }

    /**
     * For a peer the pool could not connect to (on RC, the connect handshake got no usable answer).
     *
     * @param nodeId the peer.
     * @param reason what went wrong, as a sentence fragment.
     */
    public PeerUnreachableException(String nodeId, String reason) {
        super("node '" + nodeId + "' is unreachable: " + reason, null);
    }
}
