package org.rdmabus.transport;

/** Which path a Vert.x instance's event-bus traffic takes, as decided at start-up. */
public final class RdmaEventBusStatus {

    private final boolean active;
    private final String description;

    RdmaEventBusStatus(boolean active, String description) {
        this.active = active;
        this.description = description;
    }

    /**
     * Whether traffic to nodes that have a channel takes it.
     *
     * @return {@code true} when rdmabus diverts this instance's outbound traffic
     */
    public boolean isActive() {
        return active;
    }

    /**
     * The start-up log line: the provider and its pool, or why the instance stays on TCP.
     *
     * @return the description
     */
    public String getDescription() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
