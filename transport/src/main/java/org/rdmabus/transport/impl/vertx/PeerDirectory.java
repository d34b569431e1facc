package org.rdmabus.transport.impl.vertx;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeInfo;
import org.rdmabus.transport.impl.NodeChannel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * What this node knows about its peers: their cluster {@link NodeInfo}, looked up once per node, and their channel
 * advertisement (metadata key {@value #METADATA_KEY}), which it passes to the node channel.
 */
final class PeerDirectory {

    /** The NodeInfo metadata key under which every node advertises its channel. */
    static final String METADATA_KEY = "rdmabus";

    private final ClusteredNode cluster;
    private final NodeChannel channel;
    private final ConcurrentMap<String, NodeInfo> known = new ConcurrentHashMap<>();

    PeerDirectory(ClusteredNode cluster, NodeChannel channel) {
        this.cluster = cluster;
        this.channel = channel;
    }

    /**
     * Learns a peer: its node info and, when it advertises one, its channel.
     *
     * @param nodeId the peer
     * @param done   receives the node info, or {@code null} when the cluster has none for the node; called once,
     *               possibly on the calling thread
     */
    void learn(String nodeId, Consumer<NodeInfo> done) {
        NodeInfo cached = known.get(nodeId);
        if (cached != null) {
            done.accept(cached);
            return;
        }
        cluster.getNodeInfo(nodeId, (info, failure) -> {
            if (failure != null || info == null || !cluster.getNodes().contains(nodeId)) {
                done.accept(null);
                return;
            }
            known.put(nodeId, info);
            String advertisement = advertisementOf(info);
            if (advertisement != null) {
                channel.peerAdvertised(nodeId, advertisement);
            }
            done.accept(info);
        });
    }

    /**
     * Looks a peer's advertisement up in the cluster.
     *
     * @param nodeId the peer
     * @return its advertisement, or {@code null} when it publishes none or is not a member
     */
    CompletionStage<String> advertisement(String nodeId) {
        CompletableFuture<String> found = new CompletableFuture<>();
        learn(nodeId, info -> found.complete(info == null ? null : advertisementOf(info)));
        return found;
    }

    void forget(String nodeId) {
        known.remove(nodeId);
    }

    /**
     * This node's cluster metadata with its channel's advertisement added.
     *
     * @param metadata      the metadata the application set, or {@code null}; not modified
     * @param advertisement the channel's advertisement, or {@code null} to publish the metadata unchanged
     * @return the metadata to publish
     */
    static JsonObject advertising(JsonObject metadata, String advertisement) {
        if (advertisement == null) {
            return metadata;
        }
        JsonObject advertised = metadata == null ? new JsonObject() : metadata.copy();
        return advertised.put(METADATA_KEY, advertisement);
    }

    static String advertisementOf(NodeInfo info) {
        JsonObject metadata = info.metadata();
        Object value = metadata == null ? null : metadata.getValue(METADATA_KEY);
        return value instanceof String ? (String) value : null;
    }
}
