package org.rdmabus.samples.quote.impl;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.Units;

/** How the launcher prints hop latencies: a line per report interval, and a table at the end. */
final class HopReport {

    /** The table's row of the gateway's calls to pricing. */
    static final String GATEWAY_TO_PRICING = "gateway -> pricing";
    /** The table's row of pricing's calls to risk. */
    static final String PRICING_TO_RISK = "pricing -> risk";
    /** The table's row of the gateway's whole handling of each request. */
    static final String TOTAL = "total at the gateway";
    /** The table's row of the self-test's HTTP round trips. */
    static final String HTTP_ROUND_TRIP = "HTTP round trip";

    private static final double P50 = 50.0;
    private static final double P99 = 99.0;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private HopReport() {
    }

    /**
     * @param at       when the interval ended.
     * @param interval the quotes of the interval.
     * @return e.g. {@code [12:00:05] 37 quotes, p50 / p99: gateway -> pricing 612 us / 1.93 ms, ...}.
     */
    static String intervalLine(LocalTime at, HopHistograms interval) {
        return String.format(Locale.ROOT, "[%s] %,d quotes, p50 / p99: %s %s, %s %s, %s %s", CLOCK.format(at),
            interval.count(), GATEWAY_TO_PRICING, p50p99(interval.gatewayToPricing()), PRICING_TO_RISK,
            p50p99(interval.pricingToRisk()), "total", p50p99(interval.total()));
    }

    /**
     * Prints the table of every quote's hops: p50, p99 and max per hop.
     *
     * @param out            where.
     * @param served         the hops of every quote the gateway served.
     * @param httpRoundTrips the self-test's HTTP round trips, if it ran.
     */
    static void printSummary(PrintStream out, HopHistograms served, Optional<Histogram> httpRoundTrips) {
        if (served.count() == 0) {
            out.println("no quotes reported");
            return;
        }
        out.printf(Locale.ROOT, "latency per hop over %,d quotes, each measured with System.nanoTime on the calling "
            + "node:%n", served.count());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"hop", "p50", "p99", "max"});
        rows.add(row(GATEWAY_TO_PRICING, served.gatewayToPricing()));
        rows.add(row(PRICING_TO_RISK, served.pricingToRisk()));
        rows.add(row(TOTAL, served.total()));
        httpRoundTrips.ifPresent(histogram -> rows.add(row(HTTP_ROUND_TRIP, histogram)));
        for (String[] row : rows) {
            out.printf(Locale.ROOT, "%-22s %10s %10s %10s%n", (Object[]) row);
        }
        out.flush();
    }

    /**
     * @param histogram durations in nanoseconds.
     * @param percentile the percentile, e.g. 99.0.
     * @return its value at the percentile as the table prints it.
     */
    static String format(Histogram histogram, double percentile) {
        return Units.duration(histogram.getValueAtPercentile(percentile), Units.MICROS_TEXT);
    }

    private static String[] row(String name, Histogram histogram) {
        return new String[] {name, format(histogram, P50), format(histogram, P99),
            Units.duration(histogram.getMaxValue(), Units.MICROS_TEXT)};
    }

    private static String p50p99(Histogram histogram) {
        return format(histogram, P50) + " / " + format(histogram, P99);
    }
}
