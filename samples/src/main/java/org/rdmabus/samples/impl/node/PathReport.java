package org.rdmabus.samples.impl.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusStatus;

/**
 * Which path a node's event-bus traffic takes, as the node reports it to its launcher: the rdmabus transport's own
 * account of what it installed at start-up, or why it stayed on TCP.
 *
 * @param description what the launcher prints, e.g. {@code rdmabus: ... takes the 'soft' channel ...} or
 *                    {@code tcp (rdmabus is not installed ...)}.
 * @param overRdma    whether the traffic really leaves TCP for the rdmabus channel.
 */
public record PathReport(String description, boolean overRdma) {

    /** The system property that switches the rdmabus transport off when {@code false}. */
    public static final String ENABLED_PROPERTY = "rdmabus.enabled";

    /** The JSON field of a node's report that carries {@link #description()}. */
    public static final String PATH_FIELD = "path";

    /** The JSON field of a node's report that carries {@link #overRdma()}. */
    public static final String OVER_RDMA_FIELD = "overRdma";

    /**
     * @param vertx a clustered Vert.x instance.
     * @return the path its event bus takes, as the transport decided when the instance was built.
     */
    public static PathReport of(Vertx vertx) {
        RdmaEventBusStatus status = RdmaEventBus.status(vertx);
        String reason = status.getDescription();
        if (status.isActive()) {
            return new PathReport(reason, true);
        }
        boolean enabled = Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"));
        return new PathReport(enabled ? "tcp (" + reason + ")" : "tcp", false);
    }

    /**
     * @param json a node's report holding {@link #PATH_FIELD} and {@link #OVER_RDMA_FIELD}.
     * @return the path it reports.
     * @throws IllegalArgumentException if the report lacks the path.
     */
    public static PathReport fromJson(JsonObject json) {
        String description = json.getString(PATH_FIELD);
        if (description == null) {
            throw new IllegalArgumentException("a node report without a '" + PATH_FIELD + "' field: " + json.encode());
        }
        return new PathReport(description, json.getBoolean(OVER_RDMA_FIELD, false));
    }

    /**
     * @param json where to add the two fields.
     * @return {@code json}.
     */
    public JsonObject writeTo(JsonObject json) {
        return json.put(PATH_FIELD, description).put(OVER_RDMA_FIELD, overRdma);
    }
}
