package org.rdmabus.samples.impl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HistogramCodecTest {

    @Test
    void aHistogramCrossesTheProtocolUnchanged() {
        Histogram histogram = HistogramCodec.newHistogram();
        for (long nanos = 10_000; nanos < 5_000_000; nanos += 777) {
            histogram.recordValue(nanos);
        }
        histogram.recordValue(HistogramCodec.HIGHEST_TRACKABLE_NANOS);
        Histogram decoded = HistogramCodec.decode(HistogramCodec.encode(histogram));
        assertEquals(histogram, decoded);
        assertEquals(histogram.getValueAtPercentile(99.9), decoded.getValueAtPercentile(99.9));
    }

    @Test
    void somethingElseIsATypedError() {
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("not base64!"));
        assertThrows(IllegalArgumentException.class,
            () -> HistogramCodec.decode(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
    }
}
