package org.rdmabus.samples.impl.demo;

/** The two ways the demo runs the same workload. */
public enum Transport {
    /** Vert.x's own TCP event bus: the node JVMs run with {@code rdmabus.enabled=false}. */
    TCP("TCP", "tcp", false),
    /** The rdmabus transport: the node JVMs run with {@code rdmabus.enabled=true}. */
    RDMABUS("rdmabus", "rdmabus", true);

    private final String label;
    private final String key;
    private final boolean rdmabusEnabled;

    Transport(String label, String key, boolean rdmabusEnabled) {
        this.label = label;
        this.key = key;
        this.rdmabusEnabled = rdmabusEnabled;
    }

    /** @return the name in the table and the chart. */
    public String label() {
        return label;
    }

    /** @return the name in identifiers: cluster names, progress lines, HTML attributes. */
    public String key() {
        return key;
    }

    /** @return the value of {@code rdmabus.enabled} on the phase's node JVMs. */
    public boolean rdmabusEnabled() {
        return rdmabusEnabled;
    }
}
