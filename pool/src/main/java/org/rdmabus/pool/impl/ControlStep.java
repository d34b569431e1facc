package org.rdmabus.pool.impl;

import org.rdmabus.codec.FrameType;

/**
 * The control frames the pool sends on its own: the first-contact HELLO, explicit credit returns, BYE, and the
 * steps of the handshake that moves a hot peer to a dedicated reliable queue pair and back.
 * <p>
 * Promotion (A promotes B): A sends {@link #CHANNEL_OFFER} with its queue pair's address over DC; B connects a queue
 * pair to it and answers {@link #CHANNEL_ACCEPT} with its own, or {@link #CHANNEL_DECLINE}; A connects and sends
 * {@link #CHANNEL_READY}, after which each side moves its own direction over. Demotion: A sends
 * {@link #CHANNEL_RELEASE} as its last frame on the queue pair; B moves back to DC and answers
 * {@link #CHANNEL_RELEASED} over DC, after which both close their queue pairs.
 */
enum ControlStep {
    /** First frame to a peer: this node's id and limits. */
    HELLO(FrameType.HELLO, 0),
    /** Receive credits returned when there is no reverse traffic to carry them. */
    CREDIT(FrameType.CREDIT, 0),
    /** This node is leaving. */
    BYE(FrameType.BYE, 0),
    /** Proposes a dedicated queue pair; carries the proposer's address. */
    CHANNEL_OFFER(FrameType.HELLO, 1),
    /** Accepts, carrying the accepter's connected queue pair's address. */
    CHANNEL_ACCEPT(FrameType.HELLO, 2),
    /** Refuses: too many promoted peers, or a crossing offer that loses the tie-break. */
    CHANNEL_DECLINE(FrameType.HELLO, 3),
    /** The proposer is connected; the accepter may move its direction over. */
    CHANNEL_READY(FrameType.HELLO, 4),
    /** The proposer's last frame on the queue pair: demotion begins. */
    CHANNEL_RELEASE(FrameType.HELLO, 5),
    /** The accepter has moved back to DC; both sides may close their queue pairs. */
    CHANNEL_RELEASED(FrameType.HELLO, 6);

    private static final ControlStep[] BY_CODE = new ControlStep[7];

    static {
        for (ControlStep step : values()) {
            if (step.channelCode != 0) {
                BY_CODE[step.channelCode] = step;
            }
        }
    }

    private final FrameType frameType;
    private final int channelCode;

    ControlStep(FrameType frameType, int channelCode) {
        this.frameType = frameType;
        this.channelCode = channelCode;
    }

    FrameType frameType() {
        return frameType;
    }

    /** @return the step's code in a channel HELLO, or 0 for frames that are not channel steps. */
    int channelCode() {
        return channelCode;
    }

    boolean isChannelStep() {
        return channelCode != 0;
    }

    /** @return the step with that channel code, or {@code null}. */
    static ControlStep ofChannelCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
