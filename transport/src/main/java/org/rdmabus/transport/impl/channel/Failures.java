package org.rdmabus.transport.impl.channel;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.rdmabus.pool.ConnectionClosedException;
import org.rdmabus.pool.MessageTooLargeException;
import org.rdmabus.pool.PeerUnreachableException;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.UnknownNodeException;
import org.rdmabus.transport.RdmaChannelClosedException;
import org.rdmabus.transport.RdmaChannelException;
import org.rdmabus.transport.RdmaMessageTooLargeException;
import org.rdmabus.transport.RdmaPeerUnreachableException;
import org.rdmabus.transport.RdmaUnknownNodeException;

/** Turns the pool's failures into the public {@link RdmaChannelException} types, keeping the pool's as the cause. */
final class Failures {
    private Failures() {
    }

    /**
     * @param nodeId       the peer the operation was for.
     * @param failure      what the pool, or a stage over it, reported.
     * @param headerLength bytes the channel adds to a payload, to report the application's limit.
     * @return the public failure.
     */
    static Throwable of(String nodeId, Throwable failure, int headerLength) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RdmaChannelException) {
            return cause;
        }
        if (cause instanceof UnknownNodeException) {
            return new RdmaUnknownNodeException(nodeId, cause);
        }
        if (cause instanceof PeerUnreachableException) {
            return new RdmaPeerUnreachableException(nodeId, cause);
        }
        if (cause instanceof MessageTooLargeException tooLarge) {
            return new RdmaMessageTooLargeException(tooLarge.length() - headerLength, tooLarge.limit() - headerLength);
        }
        if (cause instanceof ConnectionClosedException) {
            RdmaChannelClosedException closed = new RdmaChannelClosedException(
                "the connection to node '" + nodeId + "' closed: " + cause.getMessage());
            closed.initCause(cause);
            return closed;
        }
        if (cause instanceof PoolException) {
            return new RdmaChannelException("the transfer to node '" + nodeId + "' failed: " + cause.getMessage(), cause);
        }
        return cause;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
            && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
