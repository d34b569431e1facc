package org.rdmabus.transport.impl.loopback;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry that connects the {@link LoopbackNodeChannel}s of one JVM. Its id is part of every advertisement,
 * so a channel in another JVM (another fabric) is never mistaken for a reachable one.
 */
public final class LoopbackFabric {

    private static final LoopbackFabric SHARED = new LoopbackFabric();

    private final String id = UUID.randomUUID().toString();
    private final Map<String, LoopbackNodeChannel> endpoints = new ConcurrentHashMap<>();

    /** A fabric of its own, e.g. for a test that must not see the channels of running clusters. */
    public LoopbackFabric() {
    }

    /**
     * The fabric of this JVM, used by {@link LoopbackNodeChannelFactory}.
     *
     * @return the shared fabric
     */
    public static LoopbackFabric shared() {
        return SHARED;
    }

    String id() {
        return id;
    }

    void attach(String endpointId, LoopbackNodeChannel channel) {
        endpoints.put(endpointId, channel);
    }

    void detach(String endpointId) {
        endpoints.remove(endpointId);
    }

    LoopbackNodeChannel endpoint(String endpointId) {
        return endpoints.get(endpointId);
    }

    /**
     * The started channel of a node.
     *
     * @param nodeId a cluster node id
     * @return its channel, or {@code null} when no open channel of this fabric runs under that id
     */
    public LoopbackNodeChannel channelOf(String nodeId) {
        for (LoopbackNodeChannel channel : endpoints.values()) {
            if (nodeId.equals(channel.localNodeId())) {
                return channel;
            }
        }
        return null;
    }
}
