package org.rdmabus.bench.eventbus;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.rdmabus.bench.eventbus.EventBusBench.Result;

/** Prints the figures of every mode and rdmabus's ratios against each TCP baseline, next to issue 4's goals. */
final class Report {
    private final Map<Mode, Result> results;

    Report(Map<Mode, Result> results) {
        this.results = results;
    }

    void print(PrintStream out) {
        out.println();
        out.println("Event bus between two JVMs, Hazelcast on 127.0.0.1, 64 B request/reply");
        out.printf(Locale.ROOT, "%-12s %10s %10s %10s %10s %12s %14s %14s%n", "mode", "p50 us", "p99 us",
            "p99.9 us", "max us", "req/s @128", "first p50 us", "second p50 us");
        for (Result result : results.values()) {
            Histogram rtt = result.roundTrip;
            out.printf(Locale.ROOT, "%-12s %10.1f %10.1f %10.1f %10.1f %12.0f %14.1f %14.1f%s%n",
                result.mode.label(), us(rtt, 50), us(rtt, 99), us(rtt, 99.9), rtt.getMaxValue() / 1000.0,
                result.throughput, us(result.firstRequest, 50), us(result.afterFirst, 50),
                result.firstMissed > 0 ? "  (" + result.firstMissed + " first-contact trials missed)" : "");
        }
        Result rdmabus = results.get(Mode.RDMABUS);
        if (rdmabus != null && rdmabus.channelRoundTrip != null) {
            Histogram channel = rdmabus.channelRoundTrip;
            out.printf(Locale.ROOT, "%-12s %10.1f %10.1f %10.1f %10.1f   (RdmaChannel request/reply, goal p50 <= 10 us: %s)%n",
                "rdmachannel", us(channel, 50), us(channel, 99), us(channel, 99.9), channel.getMaxValue() / 1000.0,
                us(channel, 50) <= 10 ? "met" : "missed");
        }
        if (rdmabus != null) {
            for (Mode baseline : new Mode[] {Mode.TCP, Mode.TCP_EPOLL}) {
                Result tcp = results.get(baseline);
                if (tcp != null) {
                    ratios(out, rdmabus, tcp);
                }
            }
            out.println();
            out.println("rdmabus: " + rdmabus.status);
        }
    }

    private static void ratios(PrintStream out, Result rdmabus, Result tcp) {
        out.println();
        out.println("rdmabus / " + tcp.mode.label() + ":");
        ratio(out, "round trip p50", us(rdmabus.roundTrip, 50) / us(tcp.roundTrip, 50), "<= 0.25", true);
        ratio(out, "round trip p99", us(rdmabus.roundTrip, 99) / us(tcp.roundTrip, 99), "", true);
        ratio(out, "round trip p99.9", us(rdmabus.roundTrip, 99.9) / us(tcp.roundTrip, 99.9), "<= 0.25", true);
        ratio(out, "throughput", rdmabus.throughput / tcp.throughput, ">= 3", false);
        ratio(out, "first request p50", us(rdmabus.firstRequest, 50) / us(tcp.firstRequest, 50), "<= 0.1", true);
    }

    private static void ratio(PrintStream out, String what, double value, String goal, boolean lowerIsBetter) {
        String verdict = "";
        if (!goal.isEmpty()) {
            double bound = Double.parseDouble(goal.substring(3));
            boolean met = lowerIsBetter ? value <= bound : value >= bound;
            verdict = "  (goal " + goal + ": " + (met ? "met" : "missed") + ")";
        }
        out.printf(Locale.ROOT, "  %-18s %8.3f%s%n", what, value, verdict);
    }

    private static double us(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
