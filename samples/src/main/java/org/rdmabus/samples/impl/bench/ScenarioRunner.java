package org.rdmabus.samples.impl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * Runs one scenario in a JVM of its own, because the scenarios end with {@code System.exit} and one that fails must
 * not stop the others. Its output goes to the console line by line, each line prefixed with the scenario's name, and
 * into the result; a quiet scenario gets a progress line now and then. The run is bounded: past the timeout, or when
 * {@link #stop() stopped} (Ctrl-C), the scenario is killed with every process it started, and the soft fabric's
 * files they leave are removed.
 */
final class ScenarioRunner {
    /** Kept of a scenario's output for the report; the console sees all of it. */
    static final int OUTPUT_LIMIT = 4 << 20;

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long TICK_MILLIS = 250;
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final PrintWriter console;
    private final ShmJanitor janitor;
    private ProcessTree running;
    private boolean stopped;

    /**
     * @param console where the scenario's output and progress go as they come.
     * @param janitor what removes the soft fabric's files of a killed scenario.
     */
    ScenarioRunner(PrintWriter console, ShmJanitor janitor) {
        this.console = console;
        this.janitor = janitor;
    }

    /**
     * @param scenario the scenario.
     * @param command  its command line.
     * @param timeout  how long it may run.
     * @return what it did; never throws for a failing scenario.
     */
    ScenarioResult run(Scenario scenario, List<String> command, Duration timeout) {
        String prefix = "[" + scenario.cliName() + "] ";
        long start = System.nanoTime();
        Process process;
        ProcessTree tree;
        synchronized (this) {
            if (stopped) {
                return new ScenarioResult(scenario, command, ScenarioResult.Outcome.NOT_STARTED, -1, Duration.ZERO,
                    "", "the tool was stopping");
            }
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                return new ScenarioResult(scenario, command, ScenarioResult.Outcome.NOT_STARTED, -1, Duration.ZERO,
                    "", String.valueOf(e.getMessage()));
            }
            tree = new ProcessTree(process);
            try {
                // No scenario reads its standard input: end it, so none can wait on it.
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // Already closed: the same for the scenario.
            }
            running = tree;
        }
        OutputPump pump = new OutputPump(process, prefix, console);
        Thread pumpThread = new Thread(pump, "rdmabus-bench-output-" + scenario.cliName());
        pumpThread.setDaemon(true);
        pumpThread.start();
        try {
            ScenarioResult.Outcome outcome = await(process, tree, pump, prefix, start, timeout);
            int exitCode = outcome == ScenarioResult.Outcome.EXITED ? process.exitValue() : -1;
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // A peer the scenario left behind (it exited without closing it) holds the output pipe open.
            stopTree(tree);
            awaitPump(pumpThread);
            String detail = switch (outcome) {
                case TIMED_OUT -> "timeout " + DurationText.of(timeout);
                case INTERRUPTED -> "stopped by the user";
                default -> pump.truncated() ? "output cut at " + OUTPUT_LIMIT + " characters in this report" : "";
            };
            return new ScenarioResult(scenario, command, outcome, exitCode, took, pump.output(), detail);
        } catch (RuntimeException | Error failure) {
            stopTree(tree);
            throw failure;
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    /** Kills the running scenario, if any, with everything it started; no scenario starts after this. */
    void stop() {
        ProcessTree tree;
        synchronized (this) {
            stopped = true;
            tree = running;
        }
        if (tree != null) {
            stopTree(tree);
        }
    }

    /** @return whether {@link #stop()} was called. */
    synchronized boolean isStopped() {
        return stopped;
    }

    private ScenarioResult.Outcome await(Process process, ProcessTree tree, OutputPump pump, String prefix,
                                         long start, Duration timeout) {
        long deadline = start + timeout.toNanos();
        long lastProgress = start;
        while (true) {
            try {
                if (process.waitFor(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                    return isStopped() ? ScenarioResult.Outcome.INTERRUPTED : ScenarioResult.Outcome.EXITED;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopTree(tree);
                return ScenarioResult.Outcome.INTERRUPTED;
            }
            tree.refresh();
            long now = System.nanoTime();
            if (isStopped()) {
                stopTree(tree);
                return ScenarioResult.Outcome.INTERRUPTED;
            }
            if (now - deadline >= 0) {
                console.println(prefix + "timeout " + DurationText.of(timeout)
                    + " reached: killing it and every process it started");
                console.flush();
                stopTree(tree);
                return ScenarioResult.Outcome.TIMED_OUT;
            }
            if (now - Math.max(pump.lastLineNanos(), lastProgress) > QUIET_NANOS) {
                console.println(prefix + "... still running, " + TimeUnit.NANOSECONDS.toSeconds(now - start) + " s");
                console.flush();
                lastProgress = now;
            }
        }
    }

    private void stopTree(ProcessTree tree) {
        List<ProcessHandle> alive = tree.alive();
        alive.forEach(process -> janitor.note(process.pid()));
        if (!alive.isEmpty()) {
            tree.kill(GRACE);
        }
        janitor.sweep();
    }

    private static void awaitPump(Thread pumpThread) {
        try {
            pumpThread.join(GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the scenario's output to the console, prefixed, and keeps it for the report. */
    private static final class OutputPump implements Runnable {
        private final Process process;
        private final String prefix;
        private final PrintWriter console;
        private final StringBuilder kept = new StringBuilder();
        private boolean truncated;
        private volatile long lastLineNanos = System.nanoTime();

        OutputPump(Process process, String prefix, PrintWriter console) {
            this.process = process;
            this.prefix = prefix;
            this.console = console;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lastLineNanos = System.nanoTime();
                    synchronized (console) {
                        console.println(prefix + line);
                        console.flush();
                    }
                    keep(line);
                }
            } catch (IOException closed) {
                keep("(the output ended early: " + closed.getMessage() + ")");
            }
        }

        long lastLineNanos() {
            return lastLineNanos;
        }

        private synchronized void keep(String line) {
            if (kept.length() + line.length() + 1 > OUTPUT_LIMIT) {
                truncated = true;
                return;
            }
            kept.append(line).append('\n');
        }

        synchronized String output() {
            return kept.toString();
        }

        synchronized boolean truncated() {
            return truncated;
        }
    }
}
