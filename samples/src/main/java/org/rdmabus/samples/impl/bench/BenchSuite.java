package org.rdmabus.samples.impl.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * Runs the chosen scenarios one after another, each in its own JVM, and writes the report. Ctrl-C (a shutdown hook)
 * kills the running scenario with everything it started, and the report of what ran so far is still written.
 */
public final class BenchSuite {
    private static final Duration REPORT_WAIT = Duration.ofSeconds(20);

    private final List<Scenario> scenarios;
    private final Scenario.Profile profile;
    private final Duration timeout;
    private final Path reportDirectory;
    private final String invocation;
    private final ScenarioCommand commands;
    private final PrintWriter console;
    private final ScenarioRunner runner;
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param scenarios       the scenarios, in the order they run.
     * @param profile         their option set.
     * @param timeout         each scenario's time bound.
     * @param reportDirectory where {@code report.md} goes.
     * @param invocation      the tool's own command line, for the report.
     * @param commands        how a scenario's JVM is started.
     * @param console         where progress and the scenarios' output go.
     * @param janitor         what removes the soft fabric's files of a killed scenario.
     */
    public BenchSuite(List<Scenario> scenarios, Scenario.Profile profile, Duration timeout, Path reportDirectory,
                      String invocation, ScenarioCommand commands, PrintWriter console, ShmJanitor janitor) {
        this.scenarios = List.copyOf(scenarios);
        this.profile = profile;
        this.timeout = timeout;
        this.reportDirectory = reportDirectory;
        this.invocation = invocation;
        this.commands = commands;
        this.console = console;
        this.runner = new ScenarioRunner(console, janitor);
    }

    /**
     * Runs every scenario, then writes the report.
     *
     * @return 0 when every scenario exited with status 0, 1 otherwise.
     * @throws UncheckedIOException if the report cannot be written.
     */
    public int run() {
        ZonedDateTime started = ZonedDateTime.now();
        MarkdownReport report = new MarkdownReport(started, MachineInfo.current(), invocation, profile, timeout);
        Thread hook = new Thread(this::stopOnShutdown, "rdmabus-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        List<ScenarioResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario scenario = scenarios.get(i);
                List<String> command = commands.of(scenario, profile);
                console.printf("== [%d/%d] %s: %s (at most %s)%n", i + 1, scenarios.size(), scenario.cliName(),
                    scenario.summary(), DurationText.of(timeout));
                console.println("   " + ScenarioCommand.shellLine(command));
                console.flush();
                ScenarioResult result = runner.run(scenario, command, timeout);
                results.add(result);
                console.println("== " + scenario.cliName() + ": " + result.statusLine());
                console.flush();
                if (runner.isStopped()) {
                    break;
                }
            }
            List<Scenario> notRun = scenarios.subList(results.size(), scenarios.size());
            Path written = report.write(reportDirectory, results, notRun, MachineInfo.readLoadAverage());
            console.println();
            console.println("report: " + written.toAbsolutePath());
            console.flush();
            return results.stream().allMatch(ScenarioResult::succeeded) && notRun.isEmpty() ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + reportDirectory, e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it found the work done.
            }
        }
    }

    /** Ctrl-C: kill the running scenario's processes, then give the main thread time to write the report. */
    private void stopOnShutdown() {
        if (finished.getCount() == 0) {
            return;
        }
        console.println();
        console.println("rdmabus bench: interrupted; stopping the running scenario and every process it started");
        console.flush();
        runner.stop();
        try {
            finished.await(REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
