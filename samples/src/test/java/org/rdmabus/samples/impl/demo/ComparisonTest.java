package org.rdmabus.samples.impl.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.samples.impl.demo.PhaseResult.FirstContact;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.PathReport;

@Timeout(10)
class ComparisonTest {

    private static final PathReport TCP_PATH = new PathReport("tcp", false);

    @Test
    void speedUpIsAboveOneWhenRdmabusWinsWhicheverWayTheUnitPoints() {
        Comparison comparison = new Comparison(phase(Transport.TCP, 100_000, 1_000, TCP_PATH, 9_000_000, 11_000_000),
            phase(Transport.RDMABUS, 50_000, 3_000, new PathReport("rdmabus (soft)", true), 20_000, 40_000, 30_000),
            16);
        List<Comparison.Row> rows = comparison.rows();
        assertEquals(List.of("round trip p50", "round trip p99", "round trip p99.9", "requests/s (16 in flight)",
            "first request to a new node (median of 2)"), rows.stream().map(Comparison.Row::name).toList());
        assertEquals(2.0, rows.get(0).speedUp(), 0.01, "half the latency is twice as good");
        assertEquals(3.0, rows.get(3).speedUp(), 0.01, "three times the rate is three times as good");
        assertEquals(10_000_000, rows.get(4).tcp(), "median of two samples");
        assertEquals(30_000, rows.get(4).rdmabus(), "median of three samples");
        assertTrue(comparison.rdmabusColumnOverRdma());
    }

    @Test
    void theTableAndTheReportSayWhenTheRdmabusColumnRanOverTcp(@TempDir Path directory) throws Exception {
        Comparison comparison = new Comparison(phase(Transport.TCP, 100_000, 1_000, TCP_PATH, 5_000_000),
            phase(Transport.RDMABUS, 100_000, 1_000, new PathReport("rdmabus (transport not on the class path)",
                false), 5_000_000), 8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleTable.print(comparison, new PrintStream(bytes, true, UTF_8));
        String table = bytes.toString(UTF_8);
        assertTrue(table.contains("NOTE: the rdmabus column did NOT run over rdmabus"), table);
        assertTrue(table.contains("round trip p50"), table);

        Path report = HtmlReport.write(directory, comparison, DemoSettings.defaults(), ZonedDateTime.now());
        Path second = HtmlReport.write(directory, comparison, DemoSettings.defaults(), ZonedDateTime.now());
        assertFalse(report.equals(second), "a second report in the same second gets its own name");
        String html = Files.readString(report, UTF_8);
        assertTrue(html.contains("The rdmabus column did not run over rdmabus."), html);
        assertTrue(html.contains("<svg"), html);
        assertTrue(html.contains("\u00b5s"), "the report writes microseconds properly");
    }

    @Test
    void noNoteWhenBothNodesReportRdmabus() {
        Comparison comparison = new Comparison(phase(Transport.TCP, 100_000, 1_000, TCP_PATH, 5_000_000),
            phase(Transport.RDMABUS, 50_000, 2_000, new PathReport("rdmabus (soft)", true), 50_000), 8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleTable.print(comparison, new PrintStream(bytes, true, UTF_8));
        assertFalse(bytes.toString(UTF_8).contains("NOTE"), bytes.toString(UTF_8));
    }

    private static PhaseResult phase(Transport transport, long roundTripNanos, double requestsPerSecond,
                                     PathReport path, long... firstContactNanos) {
        Histogram histogram = HistogramCodec.newHistogram();
        histogram.recordValueWithCount(roundTripNanos, 1_000);
        long elapsed = (long) (1_000 / requestsPerSecond * 1e9);
        LoadOutcome load = new LoadOutcome(1_000, 0, elapsed, false, null);
        List<FirstContact> contacts = java.util.Arrays.stream(firstContactNanos)
            .mapToObj(nanos -> new FirstContact("a", nanos, nanos / 10)).toList();
        return new PhaseResult(transport, path, path, 3_000, histogram, load, load, contacts);
    }
}
