package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits' checks and the choice between one frame, segments and rendezvous. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CodecLimitsTest {

    @Test
    void choosesHowAMessageTravelsBySize() {
        CodecLimits limits = CodecLimits.defaults().withMaxFrameLength(1024).withRendezvousThreshold(10_000)
            .withMaxMessageSize(50_000);
        int single = 1024 - FrameLayout.HEADER_LENGTH;
        assertEquals(single, limits.maxSingleFramePayload());
        assertEquals(single - FrameLayout.SEGMENT_HEADER_LENGTH, limits.maxSegmentDataLength());
        assertEquals(PayloadStrategy.SINGLE_FRAME, limits.strategyFor(0));
        assertEquals(PayloadStrategy.SINGLE_FRAME, limits.strategyFor(single));
        assertEquals(PayloadStrategy.SEGMENTED, limits.strategyFor(single + 1));
        assertEquals(PayloadStrategy.SEGMENTED, limits.strategyFor(10_000));
        assertEquals(PayloadStrategy.RENDEZVOUS, limits.strategyFor(10_001));
        assertEquals(PayloadStrategy.RENDEZVOUS, limits.strategyFor(50_000));
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
            () -> limits.strategyFor(50_001));
        assertTrue(tooLarge.getMessage().contains("maxMessageSize=50000"), tooLarge.getMessage());
        assertEquals(PayloadStrategy.SEGMENTED,
            limits.withRendezvousThreshold(Integer.MAX_VALUE).strategyFor(50_000));
    }

    @Test
    void refusesLimitsTheProtocolCannotWorkWith() {
        CodecLimits defaults = CodecLimits.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFrameLength(FrameLayout.MIN_FRAME_LENGTH - 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxMessageSize(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withRendezvousThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxPartialMessagesPerSource(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxSources(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxReassemblyBytes(0));
        assertEquals(FrameLayout.MIN_FRAME_LENGTH, defaults.withMaxFrameLength(FrameLayout.MIN_FRAME_LENGTH)
            .maxFrameLength());
        assertTrue(defaults.toString().contains("maxMessageSize=" + defaults.maxMessageSize()));
    }
}
