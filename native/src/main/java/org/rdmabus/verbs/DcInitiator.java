package org.rdmabus.verbs;

/**
 * A Dynamically Connected initiator (DCI): one send queue that reaches any {@link DcTarget} by address,
 * with no per-peer connection set-up. Completions appear on the completion queue it was created with.
 */
public interface DcInitiator extends QueuePair {

    /**
     * Posts a work request to a target.
     *
     * @param target the target's address, from {@link DcTarget#address()}, usually via the cluster directory.
     * @param request what to do; the initiator copies what it needs, so the request may be reused at once.
     * @return {@code false} if the send queue is full (nothing was posted); {@code true} otherwise, in which
     *     case the outcome arrives as a completion (always for failures, for success only if signalled).
     */
    boolean post(TargetAddress target, WorkRequest request);
}
