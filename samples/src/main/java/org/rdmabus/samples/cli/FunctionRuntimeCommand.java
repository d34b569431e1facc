package org.rdmabus.samples.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.rdmabus.samples.functions.impl.FunctionOutcome;
import org.rdmabus.samples.functions.impl.FunctionRuntime;
import org.rdmabus.samples.functions.impl.FunctionSettings;
import org.rdmabus.samples.impl.node.ShmJanitor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rdmabus function-runtime}: the cold start of a function instance, with and without a warm pool. */
@Command(name = "function-runtime", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a serverless function runtime and two services as three clustered Vert.x nodes in separate JVMs on "
            + "this host (Hazelcast on 127.0.0.1). Every invocation deploys a fresh function instance (a verticle) "
            + "that calls both services, then undeploys it.",
        "Compares the instance's cold start three ways, side by side: the event bus over rdmabus's warm pool of DC "
            + "queue pairs; classic RDMA, where each instance opens a NIC, creates its queue pairs and exchanges "
            + "addresses before its first call; and Vert.x's TCP event bus.",
        "Prints p50/p99 of the invocation and of its overhead (invocation minus the two calls' steady-state time), "
            + "and where a fresh instance's time goes. Exit code 0 when every invocation answered right."},
    footer = {"", "Example:", "  java -jar samples/target/rdmabus.jar function-runtime --invocations 500"})
final class FunctionRuntimeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--invocations", paramLabel = "N", defaultValue = "" + FunctionSettings.DEFAULT_INVOCATIONS,
        description = "Measured invocations per column (default: ${DEFAULT-VALUE}).")
    private int invocations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + FunctionSettings.DEFAULT_WARMUP,
        description = "Invocations per column run first and left out of the figures (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = FunctionSettings.DEFAULT_TIME_LIMIT_SECONDS + "s",
        description = "Stop invoking after this long, e.g. 90s or 5m, with fewer invocations (default: "
            + "${DEFAULT-VALUE}).")
    private Duration timeLimit;

    @Override
    public Integer call() {
        FunctionSettings settings;
        try {
            settings = new FunctionSettings(invocations, warmup, timeLimit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        FunctionOutcome outcome = new FunctionRuntime(settings, System.out, System.err,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        return outcome.exitCode();
    }
}
