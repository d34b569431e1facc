package org.rdmabus.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rdmabus.samples.impl.bench.BenchSuite;
import org.rdmabus.samples.impl.bench.Scenario;
import org.rdmabus.samples.impl.bench.ScenarioCommand;
import org.rdmabus.samples.impl.node.ShmJanitor;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rdmabus bench}: runs the benchmark scenarios, each in its own JVM, and writes their report. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs the benchmark scenarios of rdmabus-bench, each in a JVM of its own (same java and class path as "
            + "this tool), one after another, and writes report.md: the date, the machine, and for each scenario "
            + "the command that reproduces it, its exit status, its duration and everything it printed.",
        "With no SCENARIO: the default set (control, pool, pingpong, stream, "
            + "eventbus, jmh), one to three minutes on a 2-core machine with --quick.",
        "This jar carries no Aeron (its Agrona would clash): pingpong runs the soft fabric alone here; "
            + "java -jar bench/target/rdmabus-bench.jar pingpong adds the Aeron baseline.",
        "Exit code 0 when every scenario exited with status 0, 1 otherwise, 2 for a usage error."},
    footer = {"", "Scenarios:",
        "  control       control-path costs on the soft fabric",
        "  pool          the warm pool: connect latency, first message, memory per peer",
        "  pingpong      soft-fabric round trips between two JVMs, 64 B and 4 KiB",
        "  stream        one-way 64 B SEND throughput between two JVMs",
        "  eventbus      the clustered event bus between two JVMs: TCP next to rdmabus",
        "  jmh           JMH: post and poll on the soft fabric, forked by JMH",
        "  rdma-connect  cold against warm connections on the rdma provider; needs an",
        "                RDMA device (not in the default set)",
        "",
        "Example:",
        "  java -jar samples/target/rdmabus.jar bench control pingpong --report-dir /tmp/b"})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*",
        description = "Scenarios to run, in this order: control, pool, pingpong, stream, eventbus, jmh, "
            + "rdma-connect (default: all but rdma-connect).")
    private List<String> scenarioNames = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private ProfileChoice profileChoice;

    @Option(names = "--report-dir", paramLabel = "DIR",
        description = "Directory for report.md, created if missing (default: ./rdmabus-bench-<yyyyMMdd-HHmmss>).")
    private Path reportDirectory;

    @Option(names = "--timeout-per-scenario", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "A scenario still running after this long is killed with every process it started, and "
            + "reported as timed out; e.g. 90s, 5m (default: 5m with --quick, 30m with --full).")
    private Duration timeout;

    /** The two profiles exclude each other. */
    static final class ProfileChoice {
        @Option(names = "--quick", required = true,
            description = "Small counts: each scenario runs for seconds (the default).")
        boolean quick;

        @Option(names = "--full", required = true,
            description = "The scenarios' own defaults, as in the README's figures: minutes each.")
        boolean full;
    }

    @Override
    public Integer call() {
        Scenario.Profile profile = profileChoice != null && profileChoice.full
            ? Scenario.Profile.FULL : Scenario.Profile.QUICK;
        Duration limit = timeout != null ? timeout
            : profile == Scenario.Profile.QUICK ? Duration.ofMinutes(5) : Duration.ofMinutes(30);
        if (limit.isZero() || limit.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--timeout-per-scenario must be positive, was " + limit);
        }
        Path directory = reportDirectory != null ? reportDirectory
            : Path.of("rdmabus-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Scenario> chosen = scenarioNames.isEmpty() ? Scenario.defaultSet() : scenarios();
        PrintWriter out = spec.commandLine().getOut();
        return new BenchSuite(chosen, profile, limit, directory, invocation(), ScenarioCommand.ofCurrentJvm(), out,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
    }

    /** @return the tool's command line as the user typed it, e.g. {@code rdmabus bench control}. */
    private String invocation() {
        CommandLine root = spec.root().commandLine();
        List<String> line = new ArrayList<>();
        line.add(root.getCommandName());
        line.addAll(root.getParseResult().originalArgs());
        return ScenarioCommand.shellLine(line);
    }

    /** @return the named scenarios, in the order named. */
    private List<Scenario> scenarios() {
        List<Scenario> named = new ArrayList<>();
        for (String name : scenarioNames) {
            named.add(Scenario.named(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown scenario '" + name + "'; valid scenarios: " + Scenario.names())));
        }
        return named;
    }
}
