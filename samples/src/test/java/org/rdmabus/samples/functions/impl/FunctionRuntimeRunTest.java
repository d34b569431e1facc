package org.rdmabus.samples.functions.impl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * Runs the function runtime for real, briefly: three node JVMs on loopback, a handful of invocations per column.
 * Checks that every invocation of every column answered right, that the three columns are printed side by side, that
 * the warm-pool column really went over rdmabus and the TCP column did not, that every classic invocation measured
 * every control-path step while the other columns took none, and that nothing the run started or mapped remains.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FunctionRuntimeRunTest {

    private static final int INVOCATIONS = 12;
    private static final int WARMUP = 3;

    @AfterEach
    void noNodeSurvives() {
        for (ProcessHandle stray : ProcessHandle.current().descendants().toList()) {
            stray.destroyForcibly();
            stray.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(failure -> stray).join();
        }
    }

    @Test
    void everyColumnAnswersRightAndTheClassicOneTimesItsControlPath() throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, UTF_8);
        ShmJanitor janitor = new ShmJanitor(ShmJanitor.defaultDirectory());

        FunctionOutcome outcome = new FunctionRuntime(new FunctionSettings(INVOCATIONS, WARMUP,
            Duration.ofSeconds(30)), out, System.err, janitor).run();
        String text = captured.toString(UTF_8);
        System.out.print(text);

        assertEquals(0, outcome.exitCode(), "the run completed and every invocation was right: " + outcome.failure()
            + "\n" + text);
        assertEquals(List.of(Mode.WARM_POOL, Mode.CLASSIC, Mode.TCP),
            outcome.columns().stream().map(ColumnResult::mode).toList(), "three columns, in order");
        for (ColumnResult column : outcome.columns()) {
            assertEquals(INVOCATIONS, column.succeeded(), column.mode() + ": " + column.failures());
            assertEquals(0, column.failed(), column.mode() + ": " + column.failures());
            assertEquals(INVOCATIONS, column.invocation().getTotalCount(), column.mode() + " invocations");
            assertEquals(INVOCATIONS, column.steady().getTotalCount(), column.mode() + " steady pairs");
            assertEquals(INVOCATIONS, column.overhead().getTotalCount(), column.mode() + " overheads");
            assertEquals(INVOCATIONS, column.deploy().getTotalCount(), column.mode() + " deployments");
            assertEquals(INVOCATIONS, column.undeploy().getTotalCount(), column.mode() + " undeployments");
            assertTrue(column.calls().getMinValue() > 0, column.mode() + ": two calls across JVMs take time");
        }

        ColumnResult warm = outcome.columns().get(0);
        ColumnResult classic = outcome.columns().get(1);
        ColumnResult tcp = outcome.columns().get(2);
        assertTrue(warm.path().startsWith("rdmabus:") && warm.path().contains("'soft' channel"),
            "the warm column's calls took the rdmabus channel: " + warm.path());
        assertTrue(tcp.path().startsWith("tcp"), "the TCP column's did not: " + tcp.path());
        assertEquals(EnumSet.allOf(ControlStep.class), classic.controlPath().keySet(),
            "a classic instance takes every control-path step");
        for (Histogram step : classic.controlPath().values()) {
            assertEquals(INVOCATIONS, step.getTotalCount(), "each step is timed in every classic invocation");
            assertTrue(step.getMinValue() > 0, "each step takes time");
        }
        assertTrue(warm.controlPath().isEmpty(), "a warm-pool instance opens nothing of its own");
        assertTrue(tcp.controlPath().isEmpty(), "nor does a TCP one");

        // The table: three columns side by side, every row, and a dash where a column takes no such step.
        assertTrue(Pattern.compile("(?m)^ +warm pool +classic RDMA +TCP$").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^ +\\(rdmabus\\) +\\(QPs per instance\\) +\\(event bus\\)$").matcher(text)
            .find(), text);
        assertCells(text, RuntimeReport.INVOCATION + " +p50", 3);
        assertCells(text, " +p99", 3);
        assertCells(text, RuntimeReport.STEADY + " +p50", 3);
        assertCells(text, RuntimeReport.OVERHEAD + " +p50", 3);
        assertTrue(Pattern.compile("(?m)^" + RuntimeReport.RIGHT + "( +" + INVOCATIONS + "/" + INVOCATIONS + "){3}$")
            .matcher(text).find(), text);
        for (ControlStep step : ControlStep.values()) {
            Matcher row = Pattern.compile("(?m)^" + Pattern.quote(step.label()) + " +(\\S+) +(\\S+ \\S+) +(\\S+)$")
                .matcher(text);
            assertTrue(row.find(), "the row '" + step.label() + "':\n" + text);
            assertEquals(RuntimeReport.NONE, row.group(1), step + " for the warm pool");
            assertEquals(RuntimeReport.percentile(classic.controlPath().get(step), 50.0), row.group(2),
                step + " for classic");
            assertEquals(RuntimeReport.NONE, row.group(3), step + " for TCP");
        }

        // Nothing remains: no node JVM, no shared-memory file of a node, noted or not (classic NICs come and go).
        for (long pid : outcome.nodePids()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " is gone");
        }
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList(),
            "no child process of the launcher remains");
        assertFalse(outcome.sharedMemoryFiles().isEmpty(), "the nodes were seen using the soft fabric's files");
        for (Path file : outcome.sharedMemoryFiles()) {
            assertFalse(Files.exists(file), file + " was removed");
        }
        Path directory = ShmJanitor.defaultDirectory();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                List<Path> left = files.filter(file -> outcome.nodePids().stream()
                    .anyMatch(pid -> file.getFileName().toString().startsWith(pid + "_"))).toList();
                assertEquals(List.of(), left, "no node left a file behind");
            }
        }
    }

    private static void assertCells(String text, String row, int cells) {
        assertTrue(Pattern.compile("(?m)^" + row + "( +\\d[\\d.]* (ns|us|ms|s)){" + cells + "}$").matcher(text)
            .find(), "the row '" + row + "' has " + cells + " durations:\n" + text);
    }
}
