package org.rdmabus.samples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.rdmabus.samples.impl.demo.Demo;
import org.rdmabus.samples.impl.demo.DemoOutcome;
import org.rdmabus.samples.impl.demo.DemoSettings;
import org.rdmabus.samples.impl.node.ShmJanitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rdmabus demo}: two nodes on this host, the same workload over TCP and over rdmabus. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs two clustered Vert.x nodes in separate JVMs on this host (Hazelcast on 127.0.0.1) and the same "
            + "request/reply workload between them, first over TCP (-Drdmabus.enabled=false), then over rdmabus.",
        "Prints p50/p99/p99.9 round trip, requests/s and the first request to a never-contacted node side by side, "
            + "and writes an HTML report with the latency percentile chart.",
        "The defaults finish in under a minute on a 2-core machine. Exit code 0 when every request succeeded."},
    footer = {"", "Example: java -jar samples/target/rdmabus.jar demo --requests 50000 --inflight 64"})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_REQUESTS,
        description = "Measured round trips, one at a time, per column; also the requests of the throughput load "
            + "(default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_WARMUP,
        description = "Warm-up round trips per column, not measured (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--inflight", paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_INFLIGHT,
        description = "Requests in flight during the throughput load (default: ${DEFAULT-VALUE}).")
    private int inflight;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "" + DemoSettings.DEFAULT_PAYLOAD,
        description = "Request and reply body size (default: ${DEFAULT-VALUE}).")
    private int payload;

    @Option(names = "--fresh-nodes", paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_FRESH_NODES,
        description = "Never-contacted nodes the first-request measurement reaches per column; the table shows "
            + "the median (default: ${DEFAULT-VALUE}).")
    private int freshNodes;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = DemoSettings.DEFAULT_OUTPUT,
        description = "Directory for the HTML report, created if missing (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = "--time-limit", paramLabel = "SECONDS",
        defaultValue = "" + DemoSettings.DEFAULT_LOAD_LIMIT_SECONDS,
        description = "Each load stops at its count or after this long, whichever comes first "
            + "(default: ${DEFAULT-VALUE}).")
    private int timeLimitSeconds;

    @Override
    public Integer call() {
        DemoSettings settings;
        try {
            settings = new DemoSettings(requests, warmup, inflight, payload, freshNodes, output,
                Duration.ofSeconds(timeLimitSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        DemoOutcome outcome = new Demo(settings, System.out, System.err,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        return outcome.exitCode();
    }
}
