package org.rdmabus.samples.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.rdmabus.samples.impl.node.ShmJanitor;
import org.rdmabus.samples.ticker.impl.Ticker;
import org.rdmabus.samples.ticker.impl.TickerOutcome;
import org.rdmabus.samples.ticker.impl.TickerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rdmabus ticker}: publish fan-out to back-pressured subscribers, one of them slow. */
@Command(name = "ticker", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs one publisher and N subscribers as clustered Vert.x nodes in separate JVMs on this host (Hazelcast on "
            + "127.0.0.1). The publisher publishes price ticks at a steady rate on the event bus; every subscriber "
            + "consumes them through a back-pressured RxJava Flowable (request(n) becomes the consumer's fetch(n)). "
            + "The last subscriber is slow: it works a while on each tick.",
        "Prints, every second, each fast subscriber's ticks per second next to the slow subscriber's heap after a "
            + "full GC, then what each subscriber took. The fast ones get every tick in order; the slow one's heap "
            + "stays flat because its consumer holds a bounded buffer, and the excess is dropped and counted (over "
            + "the event bus nothing pushes back on the publisher).",
        "Exit code 0 when every fast subscriber took every tick in order."},
    footer = {"", "Example:", "  java -jar samples/target/rdmabus.jar ticker --subscribers 4 --rate 5000"})
final class TickerCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--subscribers", paramLabel = "N", defaultValue = "" + TickerSettings.DEFAULT_SUBSCRIBERS,
        description = "Subscriber JVMs, the last of them slow (default: ${DEFAULT-VALUE}).")
    private int subscribers;

    @Option(names = "--rate", paramLabel = "TICKS", defaultValue = "" + TickerSettings.DEFAULT_RATE,
        description = "Ticks published per second (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = TickerSettings.DEFAULT_SECONDS + "s",
        description = "How long to publish, e.g. 10s or 2m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--slow-work", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = TickerSettings.DEFAULT_SLOW_WORK_MILLIS + "ms",
        description = "How long the slow subscriber works on each tick (default: ${DEFAULT-VALUE}).")
    private Duration slowWork;

    @Option(names = "--buffer", paramLabel = "TICKS", defaultValue = "" + TickerSettings.DEFAULT_BUFFER,
        description = "Each subscriber's consumer buffer, Vert.x's maxBufferedMessages (default: ${DEFAULT-VALUE}).")
    private int buffer;

    @Override
    public Integer call() {
        TickerSettings settings;
        try {
            settings = new TickerSettings(subscribers, rate, duration, slowWork, buffer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TickerOutcome outcome = new Ticker(settings, System.out, System.err,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        return outcome.exitCode();
    }
}
