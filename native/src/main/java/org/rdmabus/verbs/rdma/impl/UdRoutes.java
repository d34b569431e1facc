package org.rdmabus.verbs.rdma.impl;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rdmabus.verbs.TargetAddress;

/**
 * One UD queue pair's address handles, by destination address: at most {@code capacity}, least recently used
 * evicted first, so a node that talks to a changing set of peers holds a bounded number of handles while posting
 * to a known peer creates nothing (a {@link LinkedHashMap} in access order looks up and reorders without
 * allocating).
 * <p>
 * A handle is destroyed only once every send that used it has completed: an evicted handle still in use waits
 * in a retired list, bounded by the send queue's depth, until the send queue's completed sequence passes its
 * last use. Used by the queue pair's one posting thread only.
 */
final class UdRoutes {
    /** The default bound: generous for first contact in a cluster, small in memory and handles. */
    static final int DEFAULT_CAPACITY = 128;

    private final int capacity;
    private final int localMaxDatagram;
    private final Handles handles;
    private final LinkedHashMap<TargetAddress, UdRoute> routes;
    private final ArrayDeque<UdRoute> retired = new ArrayDeque<>();

    /**
     * @param capacity         the most handles kept for reuse.
     * @param localMaxDatagram this port's MTU in bytes.
     * @param handles          creates and destroys address handles.
     */
    UdRoutes(int capacity, int localMaxDatagram, Handles handles) {
        if (capacity < 1) {
            throw new IllegalArgumentException("route capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.localMaxDatagram = localMaxDatagram;
        this.handles = handles;
        this.routes = new LinkedHashMap<>(capacity * 2, 0.75f, true);
    }

    /**
     * @param target    a peer's UD queue pair address.
     * @param completed the send queue's last completed sequence number: handles used only up to it may go.
     * @return the route, created on first use.
     * @throws IllegalArgumentException if the address is not an {@code rdma} UD address.
     */
    UdRoute route(TargetAddress target, long completed) {
        UdRoute known = routes.get(target);
        if (known != null) {
            return known;
        }
        RdmaLocator peer = RdmaLocator.of(target);
        if (peer.kind() != RdmaLocator.Kind.UD) {
            throw new IllegalArgumentException(target + " is a " + peer.kind() + " address, not a datagram queue pair");
        }
        reap(completed);
        if (routes.size() >= capacity) {
            Iterator<UdRoute> eldest = routes.values().iterator();
            UdRoute evicted = eldest.next();
            eldest.remove();
            if (evicted.lastUse() <= completed) {
                handles.destroy(evicted.ah());
            } else {
                retired.add(evicted);
            }
        }
        UdRoute route = new UdRoute(handles.create(peer), target.targetNumber(), QueueKeys.of(target.accessKey()),
            Math.min(localMaxDatagram, 128 << peer.mtu()));
        routes.put(target, route);
        return route;
    }

    private void reap(long completed) {
        retired.removeIf(route -> {
            if (route.lastUse() <= completed) {
                handles.destroy(route.ah());
                return true;
            }
            return false;
        });
    }

    /** @return how many handles are kept for reuse. */
    int size() {
        return routes.size();
    }

    /** @return how many evicted handles wait for their sends to complete. */
    int retired() {
        return retired.size();
    }

    /** Destroys every handle; after the queue pair is destroyed, so no send can still use one. */
    void close() {
        for (Map.Entry<TargetAddress, UdRoute> entry : routes.entrySet()) {
            handles.destroy(entry.getValue().ah());
        }
        routes.clear();
        for (UdRoute route : retired) {
            handles.destroy(route.ah());
        }
        retired.clear();
    }

    /** Creates and destroys address handles; the NIC's verbs calls, or a fake in tests. */
    interface Handles {
        /**
         * @param peer where the handle leads.
         * @return an {@code ibv_ah}.
         */
        long create(RdmaLocator peer);

        /** @param ah a handle from {@link #create}; destroyed. */
        void destroy(long ah);
    }
}
