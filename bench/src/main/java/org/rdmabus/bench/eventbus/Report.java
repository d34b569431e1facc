package org.rdmabus.bench.eventbus;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.rdmabus.bench.eventbus.EventBusBench.Result;

/**
 * Prints the figures of every mode, what carried each mode's traffic, rdmabus's ratios against each TCP baseline
 * (issue 11's goal: better than TCP on every figure; issue 4's: 4x lower latency, 3x the throughput) and every
 * mode against the in-JVM floor.
 */
final class Report {
    private final Map<Mode, Result> results;
    private final Map<Mode, String> failures;
    private final int inFlight;

    private final List<String> order;

    Report(Map<Mode, Result> results, Map<Mode, String> failures, int inFlight, List<Mode> order) {
        this.order = order.stream().map(Mode::label).toList();
        this.results = results;
        this.failures = failures;
        this.inFlight = inFlight;
    }

    void print(PrintStream out) {
        out.println();
        out.println("Event bus request/reply, 64 B; two JVMs with Hazelcast on 127.0.0.1 (in-JVM hop: one JVM)");
        out.println("measured in this order: " + String.join(", ", order));
        String throughput = "req/s @" + inFlight;
        out.printf(Locale.ROOT, "%-12s %8s %10s %10s %10s %10s %12s %14s %14s%n", "mode", "n", "p50 us", "p99 us",
            "p99.9 us", "max us", throughput, "first p50 us", "second p50 us");
        for (Result result : results.values()) {
            Histogram rtt = result.roundTrip;
            out.printf(Locale.ROOT, "%-12s %8d %10.1f %10.1f %10.1f %10.1f %12.0f %14s %14s%s%s%n",
                result.mode.label(), rtt.getTotalCount(), us(rtt, 50), us(rtt, 99), us(rtt, 99.9),
                rtt.getMaxValue() / 1000.0, result.throughput, p50(result.firstRequest), p50(result.afterFirst),
                result.firstMissed > 0 ? "  (" + result.firstMissed + " first-contact trials missed)" : "",
                result.problems.isEmpty() ? "" : "  PATH CHECK FAILED");
        }
        failures.forEach((mode, failure) -> out.printf(Locale.ROOT, "%-12s FAILED: %s%n", mode.label(), failure));
        Result rdmabus = results.get(Mode.RDMABUS);
        if (rdmabus != null && rdmabus.channelRoundTrip != null) {
            Histogram channel = rdmabus.channelRoundTrip;
            out.printf(Locale.ROOT, "%-12s %8d %10.1f %10.1f %10.1f %10.1f   (RdmaChannel request/reply, goal p50 <= 10 us: %s)%n",
                "rdmachannel", channel.getTotalCount(), us(channel, 50), us(channel, 99), us(channel, 99.9),
                channel.getMaxValue() / 1000.0, us(channel, 50) <= 10 ? "met" : "missed");
        }
        out.println();
        out.println("What carried the traffic:");
        for (Result result : results.values()) {
            out.println("  " + result.mode.label() + ": " + (result.problems.isEmpty() ? "checked: " : "") + result.path);
            result.problems.forEach(problem -> out.println("    PATH CHECK FAILED: " + problem));
        }
        if (rdmabus != null) {
            for (Mode baseline : new Mode[] {Mode.TCP_EPOLL, Mode.TCP}) {
                Result tcp = results.get(baseline);
                if (tcp != null) {
                    ratios(out, rdmabus, tcp, throughput);
                }
            }
        }
        floor(out, throughput);
        if (rdmabus != null) {
            out.println();
            out.println("rdmabus start-up line: " + rdmabus.status);
        }
    }

    private static void ratios(PrintStream out, Result rdmabus, Result tcp, String throughput) {
        out.println();
        out.printf(Locale.ROOT, "%-24s %10s  %-26s %s%n", "rdmabus / " + tcp.mode.label() + ":", "ratio",
            "issue 11: better than TCP", "issue 4 goal");
        ratio(out, "round trip p50", us(rdmabus.roundTrip, 50) / us(tcp.roundTrip, 50), "<= 0.25", true);
        ratio(out, "round trip p99", us(rdmabus.roundTrip, 99) / us(tcp.roundTrip, 99), "", true);
        ratio(out, "round trip p99.9", us(rdmabus.roundTrip, 99.9) / us(tcp.roundTrip, 99.9), "<= 0.25", true);
        ratio(out, throughput, rdmabus.throughput / tcp.throughput, ">= 3", false);
        if (rdmabus.firstRequest.getTotalCount() > 0 && tcp.firstRequest.getTotalCount() > 0) {
            ratio(out, "first request p50", us(rdmabus.firstRequest, 50) / us(tcp.firstRequest, 50), "<= 0.1", true);
        }
    }

    private static void ratio(PrintStream out, String what, double value, String goal, boolean lowerIsBetter) {
        String better = Double.isNaN(value) ? "-" : (lowerIsBetter ? value < 1 : value > 1) ? "better" : "NOT better";
        String verdict = "";
        if (!goal.isEmpty() && !Double.isNaN(value)) {
            double bound = Double.parseDouble(goal.substring(3));
            boolean met = lowerIsBetter ? value <= bound : value >= bound;
            verdict = goal + ": " + (met ? "met" : "missed");
        }
        out.printf(Locale.ROOT, "  %-22s %10.3f  %-26s %s%n", what, value, better, verdict);
    }

    /** Every clustered mode against the in-JVM hop: how much the trip between JVMs adds to Vert.x's own floor. */
    private void floor(PrintStream out, String throughput) {
        Result floor = results.get(Mode.IN_JVM);
        if (floor == null || results.size() < 2) {
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "against the in-JVM hop (the floor): %10s %10s %10s %12s%n", "p50", "p99", "p99.9",
            throughput);
        for (Result result : results.values()) {
            if (result != floor) {
                out.printf(Locale.ROOT, "  %-34s %9.2fx %9.2fx %9.2fx %11.3fx%n", result.mode.label(),
                    us(result.roundTrip, 50) / us(floor.roundTrip, 50), us(result.roundTrip, 99) / us(floor.roundTrip, 99),
                    us(result.roundTrip, 99.9) / us(floor.roundTrip, 99.9), result.throughput / floor.throughput);
            }
        }
    }

    private static String p50(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", us(histogram, 50));
    }

    private static double us(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
