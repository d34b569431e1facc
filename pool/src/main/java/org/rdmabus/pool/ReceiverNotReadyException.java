package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * The peer had no receive buffer posted for longer than the fabric's RNR timeout
 * ({@link CompletionStatus#RNR_RETRY_EXCEEDED}). The message was not delivered; the peer is overloaded.
 */
public final class ReceiverNotReadyException extends PoolException {
    private static final long serialVersionUID = 1L;

    /** @param nodeId the peer. */
    public ReceiverNotReadyException(String nodeId) {
        super("node '" + nodeId + "' was not ready to receive: " + CompletionStatus.RNR_RETRY_EXCEEDED.advice(),
            CompletionStatus.RNR_RETRY_EXCEEDED);
    }
}
