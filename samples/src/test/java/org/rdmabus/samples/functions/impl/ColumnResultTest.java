package org.rdmabus.samples.functions.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.HistogramCodec;

/** A column crosses the node protocol losslessly, and a malformed one is refused. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ColumnResultTest {

    @Test
    void aColumnRoundTripsThroughJson() {
        ColumnResult column = new ColumnResult(Mode.CLASSIC, "a soft NIC", 3, 1, List.of("boom"), histogram(5, 7, 9),
            histogram(2, 2, 3), histogram(3, 5, 6), histogram(1, 1, 1), histogram(2, 3, 4), histogram(8, 8, 9),
            Map.of(ControlStep.OPEN_NIC, histogram(4, 4, 4), ControlStep.CONNECT, histogram(1, 2, 3)));
        ColumnResult back = ColumnResult.fromJson(new JsonObject(column.toJson().encode()));
        assertEquals(column.mode(), back.mode());
        assertEquals(column.path(), back.path());
        assertEquals(column.succeeded(), back.succeeded());
        assertEquals(column.failed(), back.failed());
        assertEquals(column.failures(), back.failures());
        assertEquals(column.invocation(), back.invocation());
        assertEquals(column.steady(), back.steady());
        assertEquals(column.overhead(), back.overhead());
        assertEquals(column.deploy(), back.deploy());
        assertEquals(column.calls(), back.calls());
        assertEquals(column.undeploy(), back.undeploy());
        assertEquals(column.controlPath(), back.controlPath());
    }

    @Test
    void aMalformedColumnIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ColumnResult.fromJson(new JsonObject().put("mode", "tcp")));
        JsonObject column = new ColumnResult(Mode.TCP, "tcp", 0, 0, List.of(), histogram(), histogram(), histogram(),
            histogram(), histogram(), histogram(), Map.of()).toJson();
        assertThrows(IllegalArgumentException.class, () -> ColumnResult.fromJson(column.copy().put("steady", "%%")));
        assertThrows(IllegalArgumentException.class, () -> ColumnResult.fromJson(column.copy().put("mode", "udp")));
        assertThrows(IllegalArgumentException.class, () -> ColumnResult.fromJson(column.copy()
            .put("controlPath", new JsonObject().put("WARP_DRIVE", HistogramCodec.encode(histogram(1))))));
    }

    private static Histogram histogram(long... values) {
        Histogram histogram = HistogramCodec.newHistogram();
        for (long value : values) {
            histogram.recordValue(value);
        }
        return histogram;
    }
}
