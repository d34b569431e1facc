package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.NicOptions;

class TransportTimeoutsTest {

    @Test
    void theDefaultsDetectADeadPeerInJustUnderASecond() {
        TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, NicOptions.DEFAULT_RNR_TIMEOUT);
        assertEquals(15, t.ackTimeoutCode(), "4.096 us * 2^15 = 134 ms per try");
        assertEquals(6, t.retryCount(), "never 7: Soft-RoCE would retry forever");
        assertEquals(939_524_096, t.peerDetection().toNanos(), "7 tries x 134 ms");
        assertEquals(22, t.rnrTimerCode(), "20.48 ms");
        assertEquals(5, t.rnrRetry(), "bounded: 7 would retry forever");
        assertEquals(102_400_000, t.rnrBound().toNanos());
        assertTrue(t.toString().contains("timeout=15 retry_cnt=6"), t.toString());
    }

    @Test
    void deadPeerDetectionStaysBetweenHalfTheTimeoutAndTheTimeout() {
        for (long millis = 1; millis <= 60_000; millis = millis * 3 / 2 + 1) {
            Duration peer = Duration.ofMillis(millis);
            TransportTimeouts t = TransportTimeouts.of(peer, NicOptions.DEFAULT_RNR_TIMEOUT);
            assertTrue(t.retryCount() >= 0 && t.retryCount() <= 6, peer + " " + t);
            assertTrue(t.peerDetection().compareTo(peer) <= 0, peer + " " + t);
            assertTrue(t.peerDetection().multipliedBy(2).compareTo(peer) > 0, peer + " " + t);
        }
    }

    @Test
    void rnrWaitIsWithinAFifthOfTheRequestedTimeoutAndAlwaysBounded() {
        for (long micros = 100; micros <= 3_000_000; micros = micros * 9 / 8 + 1) {
            Duration rnr = Duration.ofNanos(micros * 1_000);
            TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, rnr);
            assertTrue(t.rnrRetry() >= 1 && t.rnrRetry() <= TransportTimeouts.MAX_RNR_RETRY, t.toString());
            double ratio = (double) t.rnrBound().toNanos() / rnr.toNanos();
            assertTrue(ratio > 0.8 && ratio < 1.2, rnr + " gives " + t + " (" + ratio + ")");
        }
        TransportTimeouts suite = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, Duration.ofMillis(300));
        assertTrue(suite.rnrBound().compareTo(Duration.ofMillis(270)) >= 0, suite.toString());
    }

    @Test
    void veryLongRnrTimeoutsUseTheLongestTimerButStayBounded() {
        TransportTimeouts t = TransportTimeouts.of(NicOptions.DEFAULT_PEER_TIMEOUT, Duration.ofSeconds(30));
        assertEquals(0, t.rnrTimerCode(), "code 0 is the longest timer, 655 ms");
        assertEquals(6, t.rnrRetry(), "never 7, which would retry forever");
        assertEquals(655_360, TransportTimeouts.rnrTimerMicros(0));
    }
}
