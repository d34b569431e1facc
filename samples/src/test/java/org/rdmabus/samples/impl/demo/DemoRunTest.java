package org.rdmabus.samples.impl.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.samples.impl.node.ShmJanitor;
import org.rdmabus.samples.impl.node.Units;

/**
 * Runs the whole demo briefly (four node JVMs, tiny counts) and checks what it did: both phases ran their loads, the
 * table holds the measured figures, the report has the chart, and nothing it started or mapped remains.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoRunTest {

    private static final String NUMBER = "([0-9][0-9,]*(?:\\.[0-9]+)?)";
    private static final String DURATION = NUMBER + " (ns|us|ms|s)";

    @AfterEach
    void noNodeSurvives() {
        DemoProcesses.killStrayNodes();
    }

    @Test
    void runsBothPhasesPrintsTheTableAndWritesTheReport(@TempDir Path output) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, UTF_8);
        DemoSettings settings = new DemoSettings(300, 200, 4, 64, 1, output.resolve("report"), Duration.ofSeconds(30));

        DemoOutcome outcome = new Demo(settings, out, System.err, new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        String text = captured.toString(UTF_8);

        assertEquals(0, outcome.exitCode(), "the run completed cleanly: " + outcome.failure() + "\n" + text);
        Comparison comparison = outcome.comparison().orElseThrow();

        // Both phases ran every load to its count, each in its own pair of node JVMs.
        for (PhaseResult phase : List.of(comparison.tcp(), comparison.rdmabus())) {
            assertEquals(300, phase.latency().getTotalCount(), phase.transport() + " recorded every round trip");
            assertEquals(300, phase.latencyLoad().completed());
            assertEquals(300, phase.throughput().completed());
            assertEquals(0, phase.problems());
            assertEquals(1, phase.firstContacts().size());
            assertTrue(phase.firstContacts().get(0).firstNanos() > 0);
            String key = phase.transport().key();
            for (String step : List.of("starting 2 node JVMs", "warm-up: 200 round trips", "measured: 300 round trips",
                "throughput: 300 requests, 4 in flight", "first request to a new node: 1 node")) {
                assertTrue(Pattern.compile("(?m)^\\[" + key + "\\]\\s+" + Pattern.quote(step) + ".*\\.{10}")
                    .matcher(text).find(), key + " shows '" + step + "' with its progress:\n" + text);
            }
        }
        assertEquals(4, outcome.nodePids().size(), "two node JVMs per phase");
        assertEquals("tcp", comparison.tcp().requesterPath().description(), "-Drdmabus.enabled=false reached it");
        assertNotEquals("tcp", comparison.rdmabus().requesterPath().description(), "-Drdmabus.enabled=true did");

        // The table shows exactly the measured figures.
        for (Comparison.Row row : comparison.rows()) {
            Matcher line = Pattern.compile("(?m)^" + Pattern.quote(row.name()) + "\\s+(\\S+ \\S+)\\s+(\\S+ \\S+)\\s+"
                + NUMBER + "x$").matcher(text);
            if (row.kind() == Comparison.Kind.RATE) {
                line = Pattern.compile("(?m)^" + Pattern.quote(row.name()) + "\\s+(\\S+)\\s+(\\S+)\\s+" + NUMBER
                    + "x$").matcher(text);
            }
            assertTrue(line.find(), "the table has a numeric row '" + row.name() + "':\n" + text);
            assertEquals(row.format(row.tcp(), Units.MICROS_TEXT), line.group(1));
            assertEquals(row.format(row.rdmabus(), Units.MICROS_TEXT), line.group(2));
            assertEquals(Units.ratio(row.speedUp()), line.group(3) + "x");
            assertTrue(row.tcp() > 0 && row.rdmabus() > 0, row.toString());
        }
        assertTrue(Pattern.compile("(?m)^round trip p50\\s+" + DURATION + "\\s+" + DURATION).matcher(text).find());

        // The report exists where the output option says, and charts both series.
        Path report = outcome.report().orElseThrow();
        assertTrue(report.startsWith(output.resolve("report")), report.toString());
        assertTrue(text.contains("report: " + report.toAbsolutePath()), text);
        String html = Files.readString(report, UTF_8);
        assertTrue(html.contains("<svg"), "the report holds an inline SVG");
        Matcher series = Pattern.compile("<polyline class=\"series\" data-series=\"(\\w+)\"[^>]* points=\"([^\"]+)\"")
            .matcher(html);
        List<String> names = new java.util.ArrayList<>();
        while (series.find()) {
            names.add(series.group(1));
            assertTrue(series.group(2).split(" ").length > 2, "the curve " + series.group(1) + " has points");
        }
        assertEquals(List.of("tcp", "rdmabus"), names);

        // Nothing remains: no node JVM, no shared-memory file a node used.
        for (long pid : outcome.nodePids()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " is gone");
        }
        for (Path file : outcome.sharedMemoryFiles()) {
            assertFalse(Files.exists(file), file + " was removed");
        }
    }

    /** Shows the demo's output in the test log while capturing it. */
    private static final class Tee extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
