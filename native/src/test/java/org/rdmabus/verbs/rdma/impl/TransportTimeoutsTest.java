package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.NicOptions;

class TransportTimeoutsTest {

    @Test
    void theDefaultsDetectADeadPeerInAboutHalfASecond() {
        TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, NicOptions.DEFAULT_RNR_TIMEOUT);
        assertEquals(14, t.ackTimeoutCode(), "4.096 us * 2^14 = 67.1 ms per try");
        assertEquals(7, t.retryCount());
        assertEquals(536_870_912, t.peerDetection().toNanos(), "8 tries x 67.1 ms");
        assertEquals(21, t.rnrTimerCode(), "15.36 ms");
        assertEquals(6, t.rnrRetry(), "bounded: 7 would retry forever");
        assertEquals(92, t.rnrBound().toMillis());
        assertTrue(t.toString().contains("timeout=14 retry_cnt=7"), t.toString());
    }

    @Test
    void deadPeerDetectionStaysBetweenHalfTheTimeoutAndTheTimeout() {
        for (long millis = 1; millis <= 60_000; millis = millis * 3 / 2 + 1) {
            Duration peer = Duration.ofMillis(millis);
            TransportTimeouts t = TransportTimeouts.of(peer, NicOptions.DEFAULT_RNR_TIMEOUT);
            assertTrue(t.retryCount() >= 0 && t.retryCount() <= 7, peer + " " + t);
            assertTrue(t.peerDetection().compareTo(peer) <= 0, peer + " " + t);
            assertTrue(t.peerDetection().multipliedBy(2).compareTo(peer) > 0, peer + " " + t);
        }
    }

    @Test
    void rnrWaitNeverExceedsTheRequestedBoundAndUsesAtLeastHalfOfIt() {
        for (long micros = 100; micros <= 2_000_000; micros = micros * 5 / 4 + 1) {
            Duration rnr = Duration.ofNanos(micros * 1_000);
            TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, rnr);
            assertTrue(t.rnrRetry() <= TransportTimeouts.MAX_RNR_RETRY, t.toString());
            assertTrue(t.rnrBound().compareTo(rnr) <= 0, rnr + " " + t);
            assertTrue(t.rnrBound().multipliedBy(2).compareTo(rnr) >= 0, rnr + " " + t);
        }
    }

    @Test
    void veryLongRnrTimeoutsUseTheLongestTimerButStayBounded() {
        TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, Duration.ofSeconds(30));
        assertEquals(0, t.rnrTimerCode(), "code 0 is the longest timer, 655 ms");
        assertEquals(6, t.rnrRetry());
        assertEquals(655_360, TransportTimeouts.rnrTimerMicros(0));
    }
}
