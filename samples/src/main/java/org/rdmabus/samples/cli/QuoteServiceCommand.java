package org.rdmabus.samples.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rdmabus.samples.impl.node.ShmJanitor;
import org.rdmabus.samples.quote.impl.QuoteOutcome;
import org.rdmabus.samples.quote.impl.QuoteService;
import org.rdmabus.samples.quote.impl.QuoteSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rdmabus quote-service}: an HTTP gateway, pricing and risk, three microservices on the event bus. */
@Command(name = "quote-service", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a latency-sensitive microservice chain as three clustered Vert.x nodes in separate JVMs on this host "
            + "(Hazelcast on 127.0.0.1): an HTTP gateway calls pricing over the event bus, pricing calls risk.",
        "Prints the gateway's URL and a curl example, then the per-hop latency (gateway -> pricing, pricing -> risk, "
            + "total; each measured on the calling node), every interval and at the end.",
        "With --self-test N it sends N requests itself, checks every answer, prints the summary and exits: exit "
            + "code 0 when every answer was right."},
    footer = {"", "Examples:",
        "  java -jar samples/target/rdmabus.jar quote-service --port 8080",
        "  curl 'http://127.0.0.1:8080/quote?symbol=ACME&qty=100'",
        "  java -jar samples/target/rdmabus.jar quote-service --self-test 2000"})
final class QuoteServiceCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + QuoteSettings.DEFAULT_PORT,
        description = "The gateway's HTTP port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Serve this long, e.g. 90s, 5m, 1h, then stop (default: until Ctrl-C). With --self-test: "
            + "its time limit (default: " + QuoteSettings.DEFAULT_SELF_TEST_LIMIT_SECONDS + "s).")
    private Duration duration;

    @Option(names = "--self-test", paramLabel = "N", defaultValue = "0",
        description = "Send N requests to the gateway, one at a time, check every answer, print the summary and "
            + "exit (default: no self-test).")
    private int selfTest;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + QuoteSettings.DEFAULT_WARMUP,
        description = "With --self-test: send N requests first, checked but left out of the figures, so that they "
            + "are of warm nodes (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--report-every", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = QuoteSettings.DEFAULT_REPORT_SECONDS + "s",
        description = "While serving, print the last interval's per-hop latency this often (default: "
            + "${DEFAULT-VALUE}).")
    private Duration reportEvery;

    @Override
    public Integer call() {
        QuoteSettings settings;
        try {
            settings = new QuoteSettings(port, Optional.ofNullable(duration), selfTest, warmup, reportEvery);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        QuoteOutcome outcome = new QuoteService(settings, System.out, System.err,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        return outcome.exitCode();
    }
}
