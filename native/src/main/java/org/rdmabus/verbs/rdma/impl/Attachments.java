package org.rdmabus.verbs.rdma.impl;

/**
 * Counts the queue pairs and targets that use a completion queue or shared receive queue. Verbs refuses to
 * destroy such a queue while it is in use, and destroying it anyway would let the NIC write into buffers the
 * caller was told are free, so closing a queue in use is refused with a clear error instead.
 */
final class Attachments {
    private final String what;
    private int users;
    private boolean closing;

    /** @param what the kind of queue, for messages. */
    Attachments(String what) {
        this.what = what;
    }

    /** Registers a user; throws {@link IllegalStateException} once the queue is closed. */
    synchronized void attach() {
        if (closing) {
            throw new IllegalStateException("the " + what + " is closed");
        }
        users++;
    }

    /** Unregisters a user. */
    synchronized void detach() {
        users--;
    }

    /**
     * Starts closing.
     *
     * @return {@code false} if closing already started.
     * @throws IllegalStateException if queue pairs or targets still use the queue.
     */
    synchronized boolean beginClose() {
        if (closing) {
            return false;
        }
        if (users > 0) {
            throw new IllegalStateException("the " + what + " is still used by " + users
                + " queue pair(s) or target(s): close them first");
        }
        closing = true;
        return true;
    }
}
