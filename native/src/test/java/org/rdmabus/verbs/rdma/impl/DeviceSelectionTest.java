package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.UnavailableReason;

class DeviceSelectionTest {

    static DeviceInfo device(String name, PortInfo... ports) {
        return new DeviceInfo(name, 0x2c9, 4123, 32768, 65535, 32768, 16, 16, List.of(ports), null, null, null);
    }

    static PortInfo port(int number, boolean active, GidEntry... gids) {
        return new PortInfo(number, active, 3, 0, true, 1 << 30, List.of(gids));
    }

    static final GidEntry IPV4 = new GidEntry(1, GidType.ROCE_V2, GidSelectorTest.IPV4);

    @Test
    void noDeviceSaysHowToGetSoftRoce() {
        DeviceSelection selection = DeviceSelection.select(List.of(), null, -1);
        assertFalse(selection.chosen());
        assertEquals(UnavailableReason.NO_DEVICE, selection.reason());
        assertTrue(selection.detail().contains("rdma link add"), selection.detail());
    }

    @Test
    void aNamedDeviceMustExist() {
        DeviceSelection selection = DeviceSelection.select(List.of(device("rxe0", port(1, true, IPV4))), "mlx5_0", -1);
        assertEquals(UnavailableReason.NO_DEVICE, selection.reason());
        assertTrue(selection.detail().contains("mlx5_0") && selection.detail().contains("rxe0"), selection.detail());
    }

    @Test
    void portsThatAreDownAreNoDevice() {
        DeviceSelection selection = DeviceSelection.select(List.of(device("mlx5_0", port(1, false, IPV4))), null, -1);
        assertEquals(UnavailableReason.NO_DEVICE, selection.reason());
        assertTrue(selection.detail().contains("no active port"), selection.detail());
    }

    @Test
    void anActivePortWithoutAddressIsNoUsableGid() {
        DeviceSelection selection = DeviceSelection.select(List.of(device("rxe0", port(1, true))), null, -1);
        assertEquals(UnavailableReason.NO_USABLE_GID, selection.reason());
        assertTrue(selection.detail().contains("IP address"), selection.detail());
        DeviceSelection requested = DeviceSelection.select(List.of(device("rxe0", port(1, true, IPV4))), null, 5);
        assertEquals(UnavailableReason.NO_USABLE_GID, requested.reason());
        assertTrue(requested.detail().contains("GID index 5"), requested.detail());
    }

    @Test
    void choosesTheFirstActivePortWithAGidAcrossDevices() {
        DeviceInfo down = device("mlx5_0", port(1, false, IPV4));
        DeviceInfo up = device("mlx5_1", port(1, true), port(2, true, IPV4));
        DeviceSelection selection = DeviceSelection.select(List.of(down, up), null, -1);
        assertTrue(selection.chosen(), selection.detail());
        assertEquals("mlx5_1", selection.device().name());
        assertEquals(2, selection.port().number());
        assertEquals(1, selection.gid().index());
        assertEquals("mlx5_1", DeviceSelection.select(List.of(down, up), "mlx5_1", 1).device().name());
    }
}
