package org.rdmabus.samples.impl.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.rdmabus.samples.impl.node.ChildJvm;
import org.rdmabus.samples.impl.node.ChildProcessGuard;
import org.rdmabus.samples.impl.node.SampleException;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * {@code rdmabus demo}: the same event-bus workload between two node JVMs on this host, first over TCP, then over
 * rdmabus; a side-by-side table, and an HTML report with the percentile chart.
 */
public final class Demo {

    /** How long a node may take to exit after SIGTERM before it is killed. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    /** How long the last phase's nodes may take to leave the cluster and exit when told to. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(20);

    private final DemoSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final ShmJanitor janitor;

    /**
     * @param settings what to run.
     * @param out      where the progress, the table and the report's path go.
     * @param err      where failures go.
     * @param janitor  what removes the shared-memory files the nodes leave behind.
     */
    public Demo(DemoSettings settings, PrintStream out, PrintStream err, ShmJanitor janitor) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.janitor = janitor;
    }

    /**
     * Runs both phases, prints the table and writes the report. Every node JVM it started is gone when this returns.
     *
     * @return what it did.
     */
    public DemoOutcome run() {
        String runId = String.format(Locale.ROOT, "rdmabus-demo-%d-%08x", ProcessHandle.current().pid(),
            ThreadLocalRandom.current().nextInt());
        Progress progress = new Progress(out);
        progress.line(String.format(Locale.ROOT, "rdmabus demo: two node JVMs per column on this host; %,d round "
            + "trips of %d bytes, %d in flight, %d new node(s)", settings.requests(), settings.payload(),
            settings.inflight(), settings.freshNodes()));
        ChildProcessGuard guard = new ChildProcessGuard("rdmabus demo", janitor, KILL_GRACE, err);
        Optional<Comparison> comparison = Optional.empty();
        Optional<Path> report = Optional.empty();
        Optional<String> failure = Optional.empty();
        try {
            PhaseRunner runner = new PhaseRunner(settings, runId, ChildJvm.ofCurrentJvm(), guard, progress);
            PhaseResult tcp = runner.run(Transport.TCP);
            PhaseResult rdmabus = runner.run(Transport.RDMABUS);
            guard.awaitExit(EXIT_LIMIT);
            Comparison figures = new Comparison(tcp, rdmabus, settings.inflight());
            comparison = Optional.of(figures);
            progress.line("");
            ConsoleTable.print(figures, out);
            Path file = HtmlReport.write(settings.output(), figures, settings, ZonedDateTime.now());
            report = Optional.of(file);
            out.println("report: " + file.toAbsolutePath());
            long problems = tcp.problems() + rdmabus.problems();
            if (problems > 0) {
                err.println("rdmabus demo: " + problems + " request(s) failed or were cut short; see above");
            }
        } catch (SampleException | IOException | UncheckedIOException | IllegalArgumentException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
            if (guard.stopping()) {
                // Ctrl-C: the nodes died of it; their failure is not news.
                progress.end("interrupted");
            } else {
                progress.end("FAILED");
                err.println("rdmabus demo failed: " + e.getMessage());
            }
        } finally {
            guard.close();
            out.flush();
        }
        Set<Path> files = new HashSet<>(janitor.noted());
        return new DemoOutcome(comparison, report, guard.pids(), files, failure);
    }
}
