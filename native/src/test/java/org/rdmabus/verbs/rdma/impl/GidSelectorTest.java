package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GidSelectorTest {
    static final byte[] LINK_LOCAL = gid(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55);
    static final byte[] IPV4 = gid(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1);
    static final byte[] GLOBAL_V6 = gid(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7);
    static final byte[] ZERO = new byte[16];

    static byte[] gid(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static PortInfo ethernet(GidEntry... gids) {
        return new PortInfo(1, true, 3, 0, true, 1 << 30, List.of(gids));
    }

    @Test
    void prefersRoceV2WithAnIpv4MappedAddressWhateverItsIndex() {
        PortInfo port = ethernet(new GidEntry(0, GidType.ROCE_V1, LINK_LOCAL), new GidEntry(1, GidType.ROCE_V2, LINK_LOCAL),
            new GidEntry(2, GidType.ROCE_V1, IPV4), new GidEntry(3, GidType.ROCE_V2, IPV4));
        GidEntry chosen = GidSelector.choose(port, -1).orElseThrow();
        assertEquals(3, chosen.index());
        assertTrue(chosen.toString().contains("::ffff:192.0.2.1 RoCE v2"), chosen.toString());
    }

    @Test
    void thenRoutableRoceV2ThenLinkLocalThenRoceV1() {
        assertEquals(2, GidSelector.choose(ethernet(new GidEntry(0, GidType.ROCE_V2, LINK_LOCAL),
            new GidEntry(1, GidType.ROCE_V1, IPV4), new GidEntry(2, GidType.ROCE_V2, GLOBAL_V6)), -1).orElseThrow().index());
        assertEquals(0, GidSelector.choose(ethernet(new GidEntry(0, GidType.ROCE_V2, LINK_LOCAL),
            new GidEntry(1, GidType.ROCE_V1, IPV4)), -1).orElseThrow().index());
        assertEquals(1, GidSelector.choose(ethernet(new GidEntry(0, GidType.ROCE_V1, LINK_LOCAL),
            new GidEntry(1, GidType.ROCE_V1, IPV4)), -1).orElseThrow().index());
    }

    @Test
    void anExplicitIndexWinsButMustNotBeEmpty() {
        PortInfo port = ethernet(new GidEntry(0, GidType.ROCE_V1, LINK_LOCAL), new GidEntry(1, GidType.ROCE_V2, IPV4),
            new GidEntry(2, GidType.ROCE_V2, ZERO));
        assertEquals(0, GidSelector.choose(port, 0).orElseThrow().index());
        assertFalse(GidSelector.choose(port, 2).isPresent(), "a zero GID is an empty slot");
        assertFalse(GidSelector.choose(port, 9).isPresent());
    }

    @Test
    void anEthernetPortWithoutAddressesHasNoUsableGid() {
        assertFalse(GidSelector.choose(ethernet(new GidEntry(0, GidType.ROCE_V2, ZERO)), -1).isPresent());
        assertFalse(GidSelector.choose(ethernet(), -1).isPresent());
    }

    @Test
    void infinibandUsesItsOwnGidType() {
        PortInfo port = new PortInfo(1, true, 5, 7, false, 1 << 30,
            List.of(new GidEntry(0, GidType.INFINIBAND, LINK_LOCAL)));
        assertEquals(0, GidSelector.choose(port, -1).orElseThrow().index());
    }

    @Test
    void gidClassification() {
        assertTrue(new GidEntry(0, GidType.ROCE_V2, IPV4).isIpv4Mapped());
        assertFalse(new GidEntry(0, GidType.ROCE_V2, LINK_LOCAL).isIpv4Mapped());
        assertTrue(new GidEntry(0, GidType.ROCE_V2, LINK_LOCAL).isLinkLocal());
        assertFalse(new GidEntry(0, GidType.ROCE_V2, GLOBAL_V6).isLinkLocal());
        assertTrue(new GidEntry(0, GidType.ROCE_V2, ZERO).isZero());
    }
}
