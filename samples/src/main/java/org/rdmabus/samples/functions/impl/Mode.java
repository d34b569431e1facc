package org.rdmabus.samples.functions.impl;

import java.util.Locale;

/** The three ways the runtime makes a fresh function instance reach its services: the table's columns, in order. */
public enum Mode {
    /** The event bus over rdmabus's warm, shared pool of DC queue pairs. */
    WARM_POOL("warm pool", "(rdmabus)"),
    /** Each instance opens a NIC, creates queue pairs and exchanges addresses: RDMA without a pool. */
    CLASSIC("classic RDMA", "(QPs per instance)"),
    /** Vert.x's own TCP event bus, with rdmabus disabled. */
    TCP("TCP", "(event bus)");

    private final String label;
    private final String detail;

    Mode(String label, String detail) {
        this.label = label;
        this.detail = detail;
    }

    /** @return the column's heading, first line. */
    public String label() {
        return label;
    }

    /** @return the column's heading, second line. */
    public String detail() {
        return detail;
    }

    /** @return the name in the node protocol's JSON. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param key a name from {@link #key()}.
     * @return the mode.
     * @throws IllegalArgumentException if no mode has that name.
     */
    public static Mode fromKey(String key) {
        for (Mode mode : values()) {
            if (mode.key().equals(key)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + key + "'");
    }
}
