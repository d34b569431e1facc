package org.rdmabus.samples.functions.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node's command line reads back as written, and a wrong one is refused with the reason. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FunctionNodeSpecTest {

    private static final FunctionNodeSpec SPEC = new FunctionNodeSpec(FunctionRole.TAX, "run-1", 5702,
        List.of(5701, 5702, 5703), 5712, List.of(5711, 5712, 5713), 300);

    @Test
    void argumentsRoundTrip() {
        assertEquals(SPEC, FunctionNodeSpec.fromArgs(SPEC.toArgs().toArray(String[]::new)));
        assertEquals("run-1-rdmabus", SPEC.rdmabusCluster());
        assertEquals("run-1-tcp", SPEC.tcpCluster());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FunctionNodeSpec(FunctionRole.TAX, "run-1", 5704,
            List.of(5701, 5702, 5703), 5712, List.of(5711, 5712, 5713), 300));
        assertThrows(IllegalArgumentException.class, () -> new FunctionNodeSpec(FunctionRole.TAX, " ", 5702,
            List.of(5701, 5702, 5703), 5712, List.of(5711, 5712, 5713), 300));
        assertThrows(IllegalArgumentException.class, () -> new FunctionNodeSpec(FunctionRole.TAX, "run-1", 5702,
            List.of(5701, 5702, 5703), 70_000, List.of(70_000), 300));
        List<String> extra = new ArrayList<>(SPEC.toArgs());
        extra.add("--color=blue");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> FunctionNodeSpec.fromArgs(extra.toArray(String[]::new)));
        assertTrue(unknown.getMessage().contains("color"), unknown.getMessage());
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
            () -> FunctionRole.fromArgument("gateway"));
        assertTrue(role.getMessage().contains("catalog, tax, runtime"), role.getMessage());
    }

    @Test
    void modesReadBackByKey() {
        for (Mode mode : Mode.values()) {
            assertEquals(mode, Mode.fromKey(mode.key()));
        }
        assertThrows(IllegalArgumentException.class, () -> Mode.fromKey("udp"));
    }
}
