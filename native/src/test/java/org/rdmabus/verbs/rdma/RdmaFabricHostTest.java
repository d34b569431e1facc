package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.NicOptions;

/** Runs everywhere: on a host without RDMA the provider must say why, never crash. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RdmaFabricHostTest {

    @Test
    void theProviderIsServiceLoadedWithAHardwarePriority() {
        Fabric rdma = Fabrics.byName(RdmaFabric.NAME);
        assertEquals(RdmaFabric.PRIORITY, rdma.priority());
        assertTrue(rdma.priority() >= 100);
    }

    @Test
    void probeNeverThrowsAndAnUnavailableProbeMatchesOpensError() {
        FabricStatus status = new RdmaFabric().probe();
        assertNotNull(status.detail());
        assertFalse(status.detail().isBlank());
        if (status.available()) {
            return;
        }
        FabricUnavailableException e = assertThrows(FabricUnavailableException.class,
            () -> new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME)));
        assertEquals(status.reason(), e.reason(), e.getMessage());
        assertEquals("rdma", e.provider());
    }

    @Test
    void printProbeSaysWhyOnAHostWithoutRdma() {
        FabricStatus status = new RdmaFabric().probe();
        assumeFalse(status.available(), "this host has an RDMA device");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Fabrics.printProbe(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("rdma") && printed.contains(status.reason().name()), printed);
    }
}
