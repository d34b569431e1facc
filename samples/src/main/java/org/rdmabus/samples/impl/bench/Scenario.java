package org.rdmabus.samples.impl.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A benchmark scenario of {@code rdmabus-bench} ({@code org.rdmabus.bench.BenchMain <name> [options]}) and the options
 * each profile gives it: {@link Profile#QUICK} small counts, so the default set finishes in one to three minutes on two cores;
 * {@link Profile#FULL} the scenario's own defaults.
 */
public enum Scenario {
    /** Control-path costs on the soft fabric: creating initiators and targets, first posts. */
    CONTROL("control", "control-path costs on the soft fabric", true,
        List.of("--iterations", "200"), List.of()),
    /** The pool: connect latency, first message to a new node in another JVM, memory per peer. */
    POOL("pool", "the warm pool: connect latency, first message, memory per peer", true,
        List.of("all", "--connects", "1000", "--nodes", "2", "--roundtrips", "2000", "--peers", "100"),
        List.of("all")),
    /** Round trips between two JVMs on the soft fabric (the Aeron baseline only in rdmabus-bench.jar). */
    PINGPONG("pingpong", "soft-fabric round trips between two JVMs, 64 B and 4 KiB", true,
        List.of("--warmup", "2000", "--iterations", "10000", "--seconds", "2"), List.of()),
    /** One-way 64 B SEND throughput between two JVMs on the soft fabric. */
    STREAM("stream", "one-way 64 B SEND throughput between two JVMs", true,
        List.of("--messages", "2000000", "--seconds", "2", "--runs", "1"), List.of()),
    /** The clustered event bus between two JVMs: TCP, TCP over epoll and rdmabus, and RdmaChannel. */
    EVENTBUS("eventbus", "the clustered event bus between two JVMs: TCP next to rdmabus", true,
        List.of("--warmup", "2000", "--count", "5000", "--seconds", "2", "--first", "3"), List.of()),
    /** The JMH post-and-poll benchmarks, forked by JMH. */
    JMH("jmh", "JMH: post and poll on the soft fabric", true,
        List.of("-f", "1", "-wi", "1", "-i", "2", "-w", "1s", "-r", "1s"), List.of()),
    /** Cold against warm connections on the rdma provider: needs an RDMA device. */
    RDMA_CONNECT("rdma-connect", "cold against warm connections on the rdma provider (needs an RDMA device)", false,
        List.of("--cold", "5", "--cm", "2", "--warm", "200", "--rtt", "2000", "--seconds", "10"), List.of());

    /** How long each scenario may run. */
    public enum Profile {
        /** Small counts: the default set finishes in one to three minutes on a 2-core machine. */
        QUICK,
        /** The scenarios' own defaults, as in the README's figures. */
        FULL
    }

    private final String cliName;
    private final String summary;
    private final boolean inDefaultSet;
    private final List<String> quickArguments;
    private final List<String> fullArguments;

    Scenario(String cliName, String summary, boolean inDefaultSet, List<String> quickArguments,
             List<String> fullArguments) {
        this.cliName = cliName;
        this.summary = summary;
        this.inDefaultSet = inDefaultSet;
        this.quickArguments = quickArguments;
        this.fullArguments = fullArguments;
    }

    /** @return the name {@code BenchMain} and the command line know it by, e.g. {@code rdma-connect}. */
    public String cliName() {
        return cliName;
    }

    /** @return what it measures, in a few words. */
    public String summary() {
        return summary;
    }

    /** @return whether {@code rdmabus bench} runs it when no scenario is named. */
    public boolean inDefaultSet() {
        return inDefaultSet;
    }

    /**
     * @param profile how long it may run.
     * @return the scenario's options under that profile.
     */
    public List<String> arguments(Profile profile) {
        return profile == Profile.QUICK ? quickArguments : fullArguments;
    }

    /** @return the scenarios run when none is named, in the order they run. */
    public static List<Scenario> defaultSet() {
        return Arrays.stream(values()).filter(Scenario::inDefaultSet).toList();
    }

    /** @return every scenario's name, comma-separated, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Scenario::cliName).toList());
    }

    /**
     * @param name a scenario's name as typed.
     * @return the scenario of that name, if there is one.
     */
    public static Optional<Scenario> named(String name) {
        return Arrays.stream(values()).filter(scenario -> scenario.cliName.equals(name)).findFirst();
    }
}
