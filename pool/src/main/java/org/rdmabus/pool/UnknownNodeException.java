package org.rdmabus.pool;

/**
 * The {@link TargetDirectory} has no address for a node and its lookup found none, or failed.
 */
public final class UnknownNodeException extends PoolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param nodeId the node.
     * @param cause  the lookup's failure, or {@code null} if it found nothing.
     */
    public UnknownNodeException(String nodeId, Throwable cause) {
        super("no target address for node '" + nodeId + "'"
            + (cause == null ? ": it is not in the directory and the lookup found none" : ": lookup failed: " + cause),
            null, cause);
    }
}
