package org.rdmabus.transport.impl.vertx;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reply routes: for each reply taken off Vert.x's reply path, the node it goes to, until the node selector picks
 * the reply up (normally microseconds later, on the same thread).
 *
 * <p>Keys are the reply messages themselves, compared by identity and held weakly. So a route needs no expiry: a
 * reply that a user interceptor holds back keeps its route as long as it is held, and a reply an interceptor drops
 * takes its route with it to the garbage collector.
 */
final class ReplyRoutes {

    private final ConcurrentHashMap<Key, String> routes = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();

    void put(Object reply, String nodeId) {
        purgeDropped();
        routes.put(new Key(reply, dropped), nodeId);
    }

    /**
     * Removes and returns the route of a reply.
     *
     * @param reply a message being selected
     * @return the destination, or {@code null} when the message has no route
     */
    String take(Object reply) {
        if (routes.isEmpty()) {
            return null;
        }
        return routes.remove(new Key(reply, null));
    }

    /**
     * The number of routes held, for tests.
     *
     * @return the count, including routes of replies already collected but not yet purged
     */
    int size() {
        purgeDropped();
        return routes.size();
    }

    private void purgeDropped() {
        Object stale;
        while ((stale = dropped.poll()) != null) {
            routes.remove(stale);
        }
    }

    /** A weak, identity-compared reference to a reply. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key)) {
                return false;
            }
            Object referent = get();
            return referent != null && referent == ((Key) other).get();
        }
    }
}
