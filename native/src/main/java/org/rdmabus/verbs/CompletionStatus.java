package org.rdmabus.verbs;

/**
 * The outcome of a work request, following the verbs work-completion status codes. Every status except
 * {@link #SUCCESS} moves the queue pair that produced it into {@link QueuePairState#ERROR}, as verbs do.
 */
public enum CompletionStatus {
    /** The operation completed. */
    SUCCESS("completed"),
    /** A local length was wrong: a SEND larger than the receive buffer, or a scatter entry past its region. */
    LOCAL_LENGTH("a length did not fit: post a larger receive buffer or send less"),
    /** A local buffer was not inside a registered region, or the lkey is wrong. */
    LOCAL_PROTECTION("the local buffer is not inside a registered region with this lkey: register it first"),
    /** The target refused a one-sided access: wrong rkey, wrong access key, out of bounds or no permission. */
    REMOTE_ACCESS("the target refused access: check the rkey, the cluster access key and the region's bounds"),
    /** The target could not process the request, for example a SEND larger than its receive buffer. */
    REMOTE_INVALID_REQUEST("the target could not process the request: check message size against its receive buffers"),
    /** The target had no receive posted for longer than the RNR timeout. */
    RNR_RETRY_EXCEEDED("the target posted no receive buffer in time: it is overloaded; slow down or raise its credits"),
    /** The target did not answer in the peer timeout: it is dead or unreachable. */
    RETRY_EXCEEDED("the target did not respond: it is dead or unreachable; reconnect or fail over"),
    /** The queue pair was in error or closed, so the request was not executed. It is safe to post it again. */
    FLUSHED("not executed because the queue pair was in error or closed: reset it and post again");

    private static final CompletionStatus[] VALUES = values();
    private final String advice;

    CompletionStatus(String advice) {
        this.advice = advice;
    }

    /** @return what this status means and what to do about it. */
    public String advice() {
        return advice;
    }

    /**
     * @param ordinal an ordinal previously taken from {@link #ordinal()}.
     * @return the status, without allocating.
     */
    public static CompletionStatus ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
