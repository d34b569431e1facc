package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * A send failed with a completion status that has no more specific exception, such as a peer whose receive
 * buffers are smaller than this node's frames ({@link CompletionStatus#REMOTE_INVALID_REQUEST}).
 */
public final class TransferFailedException extends PoolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param nodeId the peer.
     * @param status the completion status.
     */
    public TransferFailedException(String nodeId, CompletionStatus status) {
        super("send to node '" + nodeId + "' failed with " + status + ": " + status.advice(), status);
    }
}
