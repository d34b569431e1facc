package org.rdmabus.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rdmabus bench} in-process: a scenario runs in a child JVM and its report holds what it printed, how it ended
 * and how to run it again; an unknown scenario is a usage error; a scenario past its timeout is killed with every
 * process it started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    /** A row of ControlPathBench's table: the operation, then p50, p99 and max in microseconds, then the count. */
    private static final Pattern CONTROL_FIGURE =
        Pattern.compile("create initiator \\(depth 64\\)\\s+\\d+\\.\\d{2}\\s+\\d+\\.\\d{2}\\s+\\d+\\.\\d{2}\\s+200\\n");

    @TempDir
    Path reportDirectory;

    @AfterEach
    void killWhatATestLeft() {
        // Only on failure is there anything here: a passing run has already stopped its scenario's processes.
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aScenarioRunsInItsOwnJvmAndTheReportHoldsItsOutputStatusAndCommand() throws IOException {
        CliRun run = CliRun.execute("bench", "control", "--report-dir", reportDirectory.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        Path report = reportDirectory.resolve("report.md");
        assertTrue(Files.isRegularFile(report), "the report is written:\n" + run.out());
        String text = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(text.contains("## control"), text);
        assertTrue(text.contains("| control | exited | 0 |"), "the summary row:\n" + text);
        assertTrue(text.contains("Status: exited with status 0 after"), text);
        assertTrue(CONTROL_FIGURE.matcher(text).find(), "the scenario's own figures are in the report:\n" + text);
        assertTrue(text.contains("org.rdmabus.bench.BenchMain control --iterations 200"),
            "the command that reproduces it:\n" + text);
        assertTrue(!text.contains("jdk.internal.misc"), "a scenario needs no export for rdmabus:\n" + text);
        assertTrue(text.contains(" cores"), "the machine is described:\n" + text);
        assertTrue(run.out().contains("[control] create initiator (depth 64)"),
            "the console shows the scenario's output as it comes, prefixed:\n" + run.out());
        assertTrue(run.out().contains("report: " + report.toAbsolutePath()), run.out());
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheValidOnes() {
        CliRun run = CliRun.execute("bench", "control", "nope", "--report-dir", reportDirectory.toString());

        assertEquals(2, run.exitCode(), "picocli's usage-error code:\n" + run.err());
        assertTrue(run.err().contains("unknown scenario 'nope'"), run.err());
        for (String name : List.of("control", "pool", "pingpong", "stream", "eventbus", "jmh", "rdma-connect")) {
            assertTrue(run.err().contains(name), "the error names '" + name + "':\n" + run.err());
        }
        assertFalse(run.out().contains("[control]"), "nothing ran:\n" + run.out());
        assertFalse(Files.exists(reportDirectory.resolve("report.md")), "no report for a usage error");
    }

    @Test
    void aScenarioPastItsTimeoutIsKilledWithEveryProcessItStarted() throws Exception {
        Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ProcessHandle.current().descendants().forEach(seen::add);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-test-descendants");
        watcher.setDaemon(true);
        watcher.start();
        CliRun run;
        try {
            // eventbus starts a responder JVM at once and then clusters for far longer than 12 s.
            run = CliRun.execute("bench", "eventbus", "--timeout-per-scenario", "12s", "--report-dir",
                reportDirectory.toString());
        } finally {
            watcher.interrupt();
            watcher.join(5_000);
        }

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(seen.size() >= 2, "the scenario's JVM had started a JVM of its own: " + seen);
        for (ProcessHandle process : seen) {
            assertFalse(process.isAlive(), "killed: " + process.pid() + " " + process.info());
        }
        assertEquals(0, ProcessHandle.current().descendants().count(), "no child JVM remains");
        String text = Files.readString(reportDirectory.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(text.contains("| eventbus | timed out | -1 |"), text);
        assertTrue(text.contains("Status: timed out after"), text);
        assertTrue(text.contains("timeout 12s"), text);
        assertTrue(run.out().contains("[eventbus] timeout 12s reached"), run.out());
    }
}
