package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.UnavailableReason;
import org.rdmabus.verbs.rdma.impl.RdmaNic;

/** The probe and open on a real device (Soft-RoCE in the VM); skipped elsewhere. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RdmaProbeTest {

    @BeforeEach
    void device() {
        VerbsDevice.assumePresent();
    }

    @Test
    void printProbeListsTheDeviceWithItsGidAndWhatRcAndDcCanDo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Fabrics.printProbe(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        FabricStatus status = VerbsDevice.status();
        String device = status.devices().get(0);
        assertTrue(printed.contains("rdma   available"), printed);
        assertTrue(printed.contains("device: " + device), printed);
        assertTrue(device.contains("RC: yes"), device);
        assertTrue(device.contains("; datagrams: yes"), device);
        if (device.startsWith("rxe")) {
            assertTrue(device.contains("RoCE v2") && device.contains("::ffff:"), "prefers the IPv4-mapped RoCE v2 GID: "
                + device);
            assertTrue(device.contains("DC: no (" + device.substring(0, device.indexOf(' ')) + " is not an mlx5 device)"),
                device);
        } else {
            assertTrue(device.contains("DC initiators:") || device.contains("DC: no ("), device);
        }
    }

    @Test
    void theHighestPriorityWorkingProviderIsRdma() {
        try (Nic nic = Fabrics.open(new NicOptions())) {
            assertEquals(RdmaFabric.NAME, nic.provider());
            assertTrue(nic.capabilities().reliableConnected());
            assertTrue(nic.capabilities().maxQueueDepth() > 0 && nic.capabilities().maxMessageSize() > 0);
        }
    }

    @Test
    void anExplicitGidIndexIsHonouredAndAnEmptyOneIsRefused() {
        int index = Integer.parseInt(System.getenv().getOrDefault("RXE_VM_GID_IDX", "-1"));
        if (index >= 0) {
            try (Nic nic = new RdmaFabric().open(new NicOptions().gidIndex(index))) {
                assertEquals(index, ((RdmaNic) nic).gid().index());
            }
        }
        FabricUnavailableException e = assertThrows(FabricUnavailableException.class,
            () -> new RdmaFabric().open(new NicOptions().gidIndex(200)));
        assertEquals(UnavailableReason.NO_USABLE_GID, e.reason(), e.getMessage());
        FabricUnavailableException named = assertThrows(FabricUnavailableException.class,
            () -> new RdmaFabric().open(new NicOptions().device("no_such_device0")));
        assertEquals(UnavailableReason.NO_DEVICE, named.reason());
    }

    @Test
    void closingTheNicClosesWhatItCreatedAndRefusesMore() {
        Nic nic = new RdmaFabric().open(new NicOptions());
        var cq = nic.createCompletionQueue(8);
        var srq = nic.createSharedReceiveQueue(4);
        var qp = nic.createReliableQueuePair(cq, srq, cq, 4);
        nic.close();
        assertEquals(org.rdmabus.verbs.QueuePairState.CLOSED, qp.state());
        assertFalse(qp.isConnected());
        assertThrows(IllegalStateException.class, () -> nic.createCompletionQueue(8));
        nic.close();
    }
}
