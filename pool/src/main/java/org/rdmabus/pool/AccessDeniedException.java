package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * The peer's target refused the message ({@link CompletionStatus#REMOTE_ACCESS}), usually because this node and
 * the peer do not share the cluster access key. The message was not delivered.
 */
public final class AccessDeniedException extends PoolException {
    private static final long serialVersionUID = 1L;

    /** @param nodeId the peer. */
    public AccessDeniedException(String nodeId) {
        super("node '" + nodeId + "' refused access: " + CompletionStatus.REMOTE_ACCESS.advice()
            + " (set the same RDMABUS_ACCESS_KEY on every node)", CompletionStatus.REMOTE_ACCESS);
    }
}
