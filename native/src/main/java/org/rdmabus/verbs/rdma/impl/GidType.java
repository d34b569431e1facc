package org.rdmabus.verbs.rdma.impl;

/** The kind of a GID table entry, as {@code enum ibv_gid_type}. */
public enum GidType {
    /** An InfiniBand GID; routing uses the LID within a subnet. */
    INFINIBAND("IB"),
    /** RoCE v1: Ethernet frames, not routable. */
    ROCE_V1("RoCE v1"),
    /** RoCE v2: UDP/IP packets, routable. */
    ROCE_V2("RoCE v2");

    private final String label;

    GidType(String label) {
        this.label = label;
    }

    /** @return the name rdma-core's tools use. */
    public String label() {
        return label;
    }

    /**
     * @param code the code {@link VerbsNative#queryGid} returns.
     * @return the type, or {@code null} for an empty slot (negative code).
     */
    public static GidType ofCode(int code) {
        return switch (code) {
            case 0 -> INFINIBAND;
            case 1 -> ROCE_V1;
            case 2 -> ROCE_V2;
            default -> null;
        };
    }
}
