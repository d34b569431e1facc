package org.rdmabus.samples.impl.node;

import io.vertx.core.json.JsonObject;

/**
 * Which path this JVM's event-bus traffic takes, as a node reports it to its launcher.
 *
 * <p>Until the rdmabus transport is on the samples' class path, the honest answer with {@code rdmabus.enabled=true}
 * is that the traffic still goes over TCP. When the transport is integrated, {@link #current()} asks it which
 * path it installed (and why it stayed on TCP, if it did) instead.
 *
 * @param description what the launcher prints, e.g. {@code tcp}.
 * @param overRdma    whether the traffic really leaves TCP for the rdmabus channel.
 */
public record PathReport(String description, boolean overRdma) {

    /** The system property that switches the rdmabus transport off when {@code false}. */
    public static final String ENABLED_PROPERTY = "rdmabus.enabled";

    /** The JSON field of a node's report that carries {@link #description()}. */
    public static final String PATH_FIELD = "path";

    /** The JSON field of a node's report that carries {@link #overRdma()}. */
    public static final String OVER_RDMA_FIELD = "overRdma";

    /** @return the path this JVM's event bus takes now. */
    public static PathReport current() {
        boolean enabled = Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"));
        if (!enabled) {
            return new PathReport("tcp", false);
        }
        return new PathReport("rdmabus (transport not on the class path)", false);
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
