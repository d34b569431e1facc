package org.rdmabus.verbs.rdma.impl;

/**
 * Counts the queue pairs and targets that use a completion queue or shared receive queue. Verbs refuses to
 * destroy such a queue while it is in use, so closing only marks it closed; the native queue is destroyed
 * when the last user detaches.
 */
final class Attachments {
    private final String what;
    private final Runnable destroy;
    private int users;
    private boolean closing;
    private boolean destroyed;

    /**
     * @param what    the kind of queue, for messages.
     * @param destroy destroys the native queue; runs exactly once.
     */
    Attachments(String what, Runnable destroy) {
        this.what = what;
        this.destroy = destroy;
    }

    /** Registers a user; throws {@link IllegalStateException} once the queue is closed. */
    synchronized void attach() {
        if (closing) {
            throw new IllegalStateException("the " + what + " is closed");
        }
        users++;
    }

    /** Unregisters a user, destroying a closed queue with its last user. */
    synchronized void detach() {
        users--;
        destroyIfUnused();
    }

    /** Marks the queue closed and destroys it now or with its last user. Idempotent. */
    synchronized void close() {
        closing = true;
        destroyIfUnused();
    }

    private void destroyIfUnused() {
        if (closing && users == 0 && !destroyed) {
            destroyed = true;
            destroy.run();
        }
    }
}
