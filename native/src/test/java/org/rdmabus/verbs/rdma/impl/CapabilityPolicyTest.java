package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.NicCapabilities;

class CapabilityPolicyTest {
    private static final PortInfo PORT = new PortInfo(1, true, 5, 0, true, 1L << 31,
        List.of(DeviceSelectionTest.IPV4));

    private static DeviceInfo device(String dcUnsupported, DeviceInfo.DcProbe probe, int maxSrqWr) {
        return new DeviceInfo("dev0", 0x2c9, 4123, 32768, 4194303, maxSrqWr, 16, 16, List.of(PORT), dcUnsupported,
            probe, null);
    }

    @Test
    void anMlx5DeviceWhoseDcObjectsCanBeCreatedOffersDc() {
        NicCapabilities caps = CapabilityPolicy.decide(device(null, new DeviceInfo.DcProbe(null, null), 32768), PORT,
            220);
        assertTrue(caps.dynamicallyConnected());
        assertTrue(caps.reliableConnected());
        assertEquals(220, caps.maxInlineData());
        assertEquals(Integer.MAX_VALUE, caps.maxMessageSize(), "2 GiB port limit clamps to int");
        assertEquals(32768, caps.maxQueueDepth(), "the smallest of QP, CQ and SRQ depth");
        assertNull(CapabilityPolicy.dcUnavailableReason(device(null, new DeviceInfo.DcProbe(null, null), 1)));
    }

    @Test
    void softRoceHasNoDcAndFallsBackToRc() {
        DeviceInfo rxe = device("rxe0 is not an mlx5 device", null, 32768);
        NicCapabilities caps = CapabilityPolicy.decide(rxe, PORT, 0);
        assertFalse(caps.dynamicallyConnected());
        assertTrue(caps.reliableConnected());
        assertEquals("rxe0 is not an mlx5 device", CapabilityPolicy.dcUnavailableReason(rxe));
        assertTrue(CapabilityPolicy.describe(rxe).contains("DC: no (rxe0 is not an mlx5 device)"),
            CapabilityPolicy.describe(rxe));
    }

    @Test
    void anMlx5DeviceThatRefusesDcObjectsHasNoDc() {
        DeviceInfo noDci = device(null, new DeviceInfo.DcProbe("mlx5dv_create_qp(DCI) failed: EOPNOTSUPP", null), 8);
        assertFalse(CapabilityPolicy.decide(noDci, PORT, 0).dynamicallyConnected());
        assertTrue(CapabilityPolicy.dcUnavailableReason(noDci).contains("DC initiator"));
        DeviceInfo noDct = device(null, new DeviceInfo.DcProbe(null, "mlx5dv_create_qp(DCT) failed: EPERM"), 8);
        assertFalse(CapabilityPolicy.decide(noDct, PORT, 0).dynamicallyConnected());
        assertTrue(CapabilityPolicy.describe(noDct).contains("DC initiators: yes, DC targets: no"),
            CapabilityPolicy.describe(noDct));
        DeviceInfo untried = device(null, null, 8);
        assertFalse(CapabilityPolicy.decide(untried, PORT, 0).dynamicallyConnected());
    }

    @Test
    void withoutSharedReceiveQueuesThereIsNoRc() {
        NicCapabilities caps = CapabilityPolicy.decide(device("not mlx5", null, 0), PORT, 0);
        assertFalse(caps.reliableConnected());
        assertEquals(32768, caps.maxQueueDepth());
    }

    @Test
    void datagramsFollowWhetherAUdQueuePairCouldBeCreated() {
        DeviceInfo rxe = device("rxe0 is not an mlx5 device", null, 32768);
        assertTrue(CapabilityPolicy.decide(rxe, PORT, 0).datagrams());
        assertTrue(CapabilityPolicy.describe(rxe).contains("; datagrams: yes"), CapabilityPolicy.describe(rxe));
        DeviceInfo refused = rxe.withDatagramProbe("ibv_create_qp(UD) failed: Operation not supported (errno 95)");
        assertFalse(CapabilityPolicy.decide(refused, PORT, 0).datagrams());
        assertTrue(CapabilityPolicy.describe(refused).contains("datagrams: no (ibv_create_qp(UD) failed"),
            CapabilityPolicy.describe(refused));
        assertTrue(CapabilityPolicy.decide(refused, PORT, 0).reliableConnected(), "RC does not depend on UD");
    }
}
