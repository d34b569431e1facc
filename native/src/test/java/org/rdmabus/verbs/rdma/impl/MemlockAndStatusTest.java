package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.CompletionStatus;

class MemlockAndStatusTest {

    @Test
    void aFailedRegistrationUnderAFiniteLimitIsAMemlockProblemWithTheFix() {
        String problem = MemlockCheck.problem(64 * 1024, "ibv_reg_mr failed: Cannot allocate memory (errno 12)")
            .orElseThrow();
        assertTrue(problem.contains("64 KiB"), problem);
        assertTrue(problem.contains("ulimit -l unlimited"), problem);
        assertFalse(MemlockCheck.problem(-1, "ibv_reg_mr failed").isPresent(), "unlimited: another cause");
        assertFalse(MemlockCheck.problem(64 * 1024, null).isPresent(), "registration worked");
        assertEquals("8 MiB", MemlockCheck.describe(8L << 20));
        assertEquals("unlimited", MemlockCheck.describe(-1));
    }

    @Test
    void verbsStatusesMapOntoTheSpi() {
        assertEquals(CompletionStatus.SUCCESS, CompletionStatuses.of(0));
        assertEquals(CompletionStatus.LOCAL_LENGTH, CompletionStatuses.of(1));
        assertEquals(CompletionStatus.LOCAL_PROTECTION, CompletionStatuses.of(4));
        assertEquals(CompletionStatus.FLUSHED, CompletionStatuses.of(5));
        assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, CompletionStatuses.of(9));
        assertEquals(CompletionStatus.REMOTE_ACCESS, CompletionStatuses.of(10));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, CompletionStatuses.of(12));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, CompletionStatuses.of(13));
        assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, CompletionStatuses.of(999));
    }
}
