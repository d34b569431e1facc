package org.rdmabus.verbs.rdma.impl;

import java.time.Duration;

/**
 * Maps {@link org.rdmabus.verbs.NicOptions}' durations onto the few values verbs offer.
 * <p>
 * <b>Dead peer.</b> An unanswered request is retransmitted after the local ACK timeout, 4.096 µs × 2^t, and
 * fails with {@code RETRY_EXC_ERR} after {@code retry_cnt} retransmissions, so detection takes about
 * (retry_cnt + 1) × 4.096 µs × 2^t. The largest t with 7 tries inside the peer timeout is chosen, then as many
 * retries (at most 6, see {@link #MAX_RETRY_COUNT}) as still fit. For the default 1 s: t = 15 (134 ms),
 * 6 retries, 7 × 134 ms = 940 ms.
 * The IB specification lets hardware wait up to about 4× the nominal timeout, so a real NIC may take up to
 * about 2 s; Soft-RoCE uses the nominal value.
 * <p>
 * <b>Receiver not ready.</b> A SEND that finds no receive posted is retried after the RNR NAK timer the
 * receiver advertises (a 5-bit code for 0.01 to 655 ms) and fails with {@code RNR_RETRY_EXC_ERR} after
 * {@code rnr_retry} retries (at most 6; 7 means forever and is never used, so no sender waits without bound).
 * The retry count and timer whose product is closest to the RNR timeout are chosen, preferring more retries
 * on a tie: the default 100 ms gives 5 × 20.48 ms (code 22) = 102 ms; 300 ms gives 5 × 61.44 ms = 307 ms.
 * The receiver advertises the timer and the sender counts the retries, so both sides should use the same
 * options.
 *
 * @param ackTimeoutCode the {@code timeout} attribute.
 * @param retryCount     the {@code retry_cnt} attribute.
 * @param rnrTimerCode   the {@code min_rnr_timer} attribute.
 * @param rnrRetry       the {@code rnr_retry} attribute.
 */
public record TransportTimeouts(int ackTimeoutCode, int retryCount, int rnrTimerCode, int rnrRetry) {
    /**
     * The most transport retries used. Verbs allows 7, but Soft-RoCE (rdma_rxe) treats 7 as "retry forever",
     * which would leave a dead peer undetected, so 6 is the maximum here.
     */
    public static final int MAX_RETRY_COUNT = 6;
    /** The most bounded RNR retries (7 would mean infinite). */
    public static final int MAX_RNR_RETRY = 6;
    private static final double ACK_UNIT_NANOS = 4096.0;
    /** RNR NAK timer codes 0..31 in microseconds, from the InfiniBand specification; code 0 is the longest. */
    private static final int[] RNR_TIMER_MICROS = {
        655_360, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960, 1_280, 1_920, 2_560, 3_840, 5_120,
        7_680, 10_240, 15_360, 20_480, 30_720, 40_960, 61_440, 81_920, 122_880, 163_840, 245_760, 327_680, 491_520
    };

    /**
     * @param peerTimeout how long an unresponsive peer may take to be declared dead.
     * @param rnrTimeout  how long a SEND may wait for the receiver to post a buffer.
     * @return the verbs attributes.
     */
    public static TransportTimeouts of(Duration peerTimeout, Duration rnrTimeout) {
        double peerNanos = peerTimeout.toNanos();
        int code = (int) Math.floor(Math.log(peerNanos / (MAX_RETRY_COUNT + 1) / ACK_UNIT_NANOS) / Math.log(2));
        code = Math.max(1, Math.min(31, code));
        int retries = (int) Math.min(MAX_RETRY_COUNT, Math.max(0, Math.floor(peerNanos / ackTimeoutNanos(code)) - 1));

        long wantedMicros = Math.max(1, rnrTimeout.toNanos() / 1_000);
        int bestTimer = 1;
        int bestRetries = 1;
        long bestError = Long.MAX_VALUE;
        for (int rnrRetries = MAX_RNR_RETRY; rnrRetries >= 1; rnrRetries--) {
            for (int timer = 0; timer < RNR_TIMER_MICROS.length; timer++) {
                long error = Math.abs((long) rnrRetries * RNR_TIMER_MICROS[timer] - wantedMicros);
                if (error < bestError) {
                    bestError = error;
                    bestTimer = timer;
                    bestRetries = rnrRetries;
                }
            }
        }
        return new TransportTimeouts(code, retries, bestTimer, bestRetries);
    }

    /**
     * @param code an ACK timeout code.
     * @return its nominal duration in nanoseconds.
     */
    public static double ackTimeoutNanos(int code) {
        return ACK_UNIT_NANOS * Math.pow(2, code);
    }

    /**
     * @param code an RNR NAK timer code.
     * @return its duration in microseconds.
     */
    public static int rnrTimerMicros(int code) {
        return RNR_TIMER_MICROS[code];
    }

    /** @return the nominal time to declare an unresponsive peer dead. */
    public Duration peerDetection() {
        return Duration.ofNanos((long) (ackTimeoutNanos(ackTimeoutCode) * (retryCount + 1)));
    }

    /** @return the nominal time a SEND waits for a receive buffer before failing. */
    public Duration rnrBound() {
        return Duration.ofNanos(1_000L * RNR_TIMER_MICROS[rnrTimerCode] * rnrRetry);
    }

    @Override
    public String toString() {
        return "timeout=" + ackTimeoutCode + " retry_cnt=" + retryCount + " (dead peer after ~"
            + peerDetection().toMillis() + " ms), min_rnr_timer=" + rnrTimerCode + " rnr_retry=" + rnrRetry
            + " (no receiver after ~" + rnrBound().toMillis() + " ms)";
    }
}
