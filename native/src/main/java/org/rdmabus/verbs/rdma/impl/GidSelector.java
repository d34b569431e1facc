package org.rdmabus.verbs.rdma.impl;

import java.util.Comparator;
import java.util.Optional;

/**
 * Chooses the GID a port's queue pairs use.
 * <p>
 * On Ethernet the preference is RoCE v2 with an IPv4-mapped address (routable, and what rdma_cm picks for an
 * IPv4 peer), then other routable RoCE v2, then link-local RoCE v2, then RoCE v1. On InfiniBand the GID is only
 * used across subnets; the first InfiniBand entry (normally index 0) is taken. Ties go to the lowest index.
 */
public final class GidSelector {

    private GidSelector() {
    }

    /**
     * @param port           the port.
     * @param requestedIndex a GID index to use, or -1 to choose.
     * @return the GID, or empty when the port has no usable one (or the requested slot is empty).
     */
    public static Optional<GidEntry> choose(PortInfo port, int requestedIndex) {
        if (requestedIndex >= 0) {
            return port.gids().stream().filter(g -> g.index() == requestedIndex && !g.isZero()).findFirst();
        }
        return port.gids().stream()
            .filter(g -> !g.isZero())
            .filter(g -> port.ethernet() != (g.type() == GidType.INFINIBAND))
            .min(Comparator.comparingInt((GidEntry g) -> rank(g)).thenComparingInt(GidEntry::index));
    }

    /** Lower is better. */
    private static int rank(GidEntry gid) {
        return switch (gid.type()) {
            case ROCE_V2 -> gid.isIpv4Mapped() ? 0 : gid.isLinkLocal() ? 2 : 1;
            case ROCE_V1 -> gid.isIpv4Mapped() ? 3 : 4;
            case INFINIBAND -> 0;
        };
    }
}
