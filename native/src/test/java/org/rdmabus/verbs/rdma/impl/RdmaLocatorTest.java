package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.TargetAddress;

class RdmaLocatorTest {
    private static final long KEY = 0x0123_4567_89ab_cdefL;

    @Test
    void aDcTargetAddressCarriesLidGidDctNumberAndKeyThroughBothWireForms() {
        RdmaLocator locator = new RdmaLocator(RdmaLocator.Kind.DC, 5, 1, GidSelectorTest.IPV4, 0, 0x1a2b, false);
        TargetAddress address = locator.toAddress(0xabcdef, KEY);
        for (TargetAddress copy : new TargetAddress[] {TargetAddress.fromBytes(address.toBytes()),
            TargetAddress.fromExternalForm(address.toExternalForm())}) {
            RdmaLocator decoded = RdmaLocator.of(copy);
            assertEquals(locator, decoded);
            assertEquals(0x1a2b, decoded.lid());
            assertArrayEquals(GidSelectorTest.IPV4, decoded.gid());
            assertEquals(0xabcdef, copy.targetNumber());
            assertEquals(KEY, copy.accessKey());
            assertFalse(decoded.global());
        }
    }

    @Test
    void anRcAddressCarriesItsFirstPacketSequenceNumber() {
        RdmaLocator locator = new RdmaLocator(RdmaLocator.Kind.RC, 3, 2, GidSelectorTest.LINK_LOCAL, 0xfedcba, 0, true);
        RdmaLocator decoded = RdmaLocator.of(TargetAddress.fromBytes(locator.toAddress(77, 0).toBytes()));
        assertEquals(RdmaLocator.Kind.RC, decoded.kind());
        assertEquals(0xfedcba, decoded.psn());
        assertEquals(2, decoded.port());
        assertEquals(3, decoded.mtu());
        assertTrue(decoded.global());
    }

    @Test
    void theEncodingIsFixedLittleEndian() {
        byte[] bytes = new RdmaLocator(RdmaLocator.Kind.RC, 3, 1, GidSelectorTest.IPV4, 0x010203, 0x0405, true).encode();
        assertEquals(RdmaLocator.LENGTH, bytes.length);
        assertEquals(1, bytes[0], "version");
        assertEquals(1, bytes[1], "kind RC");
        assertEquals(3, bytes[20]);
        assertEquals(2, bytes[21]);
        assertEquals(1, bytes[22]);
        assertEquals(0, bytes[23]);
        assertEquals(5, bytes[24]);
        assertEquals(4, bytes[25]);
        assertEquals(1, bytes[26]);
    }

    @Test
    void malformedLocatorsAreRejectedWithTheReason() {
        byte[] good = new RdmaLocator(RdmaLocator.Kind.DC, 3, 1, GidSelectorTest.IPV4, 0, 1, false).encode();
        assertMessage("has 27 bytes", () -> RdmaLocator.decode(new byte[26]));
        byte[] version = good.clone();
        version[0] = 9;
        assertMessage("version 9", () -> RdmaLocator.decode(version));
        byte[] kind = good.clone();
        kind[1] = 7;
        assertMessage("kind 7", () -> RdmaLocator.decode(kind));
        byte[] mtu = good.clone();
        mtu[2] = 6;
        assertMessage("mtu code", () -> RdmaLocator.decode(mtu));
        byte[] port = good.clone();
        port[3] = 0;
        assertMessage("port", () -> RdmaLocator.decode(port));
        byte[] psn = good.clone();
        psn[20] = 1;
        assertMessage("no PSN", () -> RdmaLocator.decode(psn));
        byte[] flags = good.clone();
        flags[26] = 4;
        assertMessage("flags", () -> RdmaLocator.decode(flags));
    }

    @Test
    void addressesOfOtherProvidersOrWithOversizedNumbersAreRejected() {
        TargetAddress soft = new TargetAddress("soft", "segment".getBytes(StandardCharsets.UTF_8), 1, KEY);
        assertMessage("not an rdma address", () -> RdmaLocator.of(soft));
        byte[] good = new RdmaLocator(RdmaLocator.Kind.DC, 3, 1, GidSelectorTest.IPV4, 0, 1, false).encode();
        assertMessage("24 bits", () -> RdmaLocator.of(new TargetAddress("rdma", good, 1 << 24, KEY)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
