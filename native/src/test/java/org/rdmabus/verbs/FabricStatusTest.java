package org.rdmabus.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FabricStatusTest {

    @Test
    void aReasonIsGivenExactlyWhenUnavailable() {
        assertThrows(IllegalArgumentException.class,
            () -> new FabricStatus("x", true, UnavailableReason.NO_DEVICE, "d", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FabricStatus("x", false, null, "d", List.of()));
    }

    @Test
    void anUnavailableStatusBecomesATypedException() {
        FabricStatus status = FabricStatus.unavailable("rdma", UnavailableReason.MEMLOCK_LIMIT, "raise ulimit -l");
        FabricUnavailableException e = FabricUnavailableException.of(status);
        assertEquals(UnavailableReason.MEMLOCK_LIMIT, e.reason());
        assertEquals("rdma", e.provider());
        assertTrue(e.getMessage().contains("raise ulimit -l"), e.getMessage());
    }

    @Test
    void namingAnUnknownProviderFailsWithTheKnownOnes() {
        FabricUnavailableException e =
            assertThrows(FabricUnavailableException.class, () -> Fabrics.byName("no-such-provider"));
        assertTrue(e.getMessage().contains("no-such-provider"), e.getMessage());
    }

    @Test
    void optionsRejectNonsense() {
        NicOptions options = new NicOptions();
        assertThrows(IllegalArgumentException.class, () -> options.rnrTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> options.peerTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> options.gidIndex(-2));
        NicOptions copy = new NicOptions(options.provider("soft").gidIndex(3));
        assertEquals("soft", copy.provider());
        assertEquals(3, copy.gidIndex());
    }

    @Test
    void everyFailureStatusSaysWhatToDo() {
        for (CompletionStatus status : CompletionStatus.values()) {
            assertTrue(status.advice().length() > 8, status.name());
            assertEquals(status, CompletionStatus.ofOrdinal(status.ordinal()));
        }
    }
}
