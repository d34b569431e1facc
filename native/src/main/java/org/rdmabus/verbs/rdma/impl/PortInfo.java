package org.rdmabus.verbs.rdma.impl;

import java.util.List;

/**
 * What one port of a device reports.
 *
 * @param number         the port number, from 1.
 * @param active         whether the port state is ACTIVE.
 * @param activeMtu      {@code enum ibv_mtu} of the link (1 = 256 bytes ... 5 = 4096).
 * @param lid            the local identifier (InfiniBand only; 0 on Ethernet).
 * @param ethernet       whether the link layer is Ethernet (RoCE) rather than InfiniBand.
 * @param maxMessageSize the largest message the port carries.
 * @param gids           the non-empty GID table entries.
 */
public record PortInfo(int number, boolean active, int activeMtu, int lid, boolean ethernet, long maxMessageSize,
                       List<GidEntry> gids) {

    /** Copies the GID list. */
    public PortInfo {
        gids = List.copyOf(gids);
    }

    /** @return the MTU in bytes. */
    public int mtuBytes() {
        return activeMtu >= 1 && activeMtu <= 5 ? 128 << activeMtu : 0;
    }
}
