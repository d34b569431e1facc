package org.rdmabus.samples.quote.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.quote.HopTimings;

/** The gateway's record loses nothing and counts nothing twice, and crosses the line protocol unchanged. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HopRecorderTest {

    @Test
    void intervalsPartitionTheRecordedQuotes() throws Exception {
        HopRecorder recorder = new HopRecorder();
        int quotes = 20_000;
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= quotes; i++) {
                recorder.record(new HopTimings(2L * i, i, 3L * i));
            }
        });
        List<HopHistograms> intervals = new ArrayList<>();
        writer.start();
        while (writer.isAlive()) {
            intervals.add(recorder.interval());
        }
        writer.join();
        intervals.add(recorder.interval());

        HopHistograms all = HopHistograms.empty();
        intervals.forEach(all::add);
        assertEquals(quotes, all.count());
        assertEquals(quotes, all.gatewayToPricing().getTotalCount());
        assertEquals(quotes, all.pricingToRisk().getTotalCount());
        assertEquals(1, all.pricingToRisk().getMinValue());
        assertEquals(all.pricingToRisk().highestEquivalentValue(quotes), all.pricingToRisk().getMaxValue());
        assertEquals(0, recorder.interval().count(), "nothing is handed out twice");
    }

    @Test
    void histogramsCrossJsonUnchangedAndAnHourIsClampedNotLost() {
        HopRecorder recorder = new HopRecorder();
        recorder.record(new HopTimings(612_000, 287_000, 655_000));
        recorder.record(new HopTimings(TimeUnit.HOURS.toNanos(1), 1, TimeUnit.HOURS.toNanos(1)));
        HopHistograms interval = recorder.interval();
        HopHistograms decoded = HopHistograms.fromJson(new JsonObject(interval.writeTo(new JsonObject()).encode()));
        assertEquals(interval, decoded);
        assertEquals(2, decoded.count());
        assertTrue(decoded.total().valuesAreEquivalent(HistogramCodec.HIGHEST_TRACKABLE_NANOS,
            decoded.total().getMaxValue()), "recorded as the longest trackable: " + decoded.total().getMaxValue());
    }

    @Test
    void malformedStatsAreATypedError() {
        assertThrows(IllegalArgumentException.class, () -> HopHistograms.fromJson(new JsonObject()));
        assertThrows(IllegalArgumentException.class, () -> HopHistograms.fromJson(HopHistograms.empty()
            .writeTo(new JsonObject()).put("total", "not a histogram")));
    }
}
