package org.rdmabus.samples.impl.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rdmabus.samples.impl.node.Units;

/**
 * The side-by-side figures of the two phases, which the console table and the HTML report both show.
 *
 * @param tcp      the TCP phase.
 * @param rdmabus  the rdmabus phase.
 * @param inflight the requests in flight during both throughput loads.
 */
public record Comparison(PhaseResult tcp, PhaseResult rdmabus, int inflight) {

    /** The percentiles of the round-trip rows. */
    private static final double[] PERCENTILES = {50, 99, 99.9};

    /** @return the rows, in table order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (double percentile : PERCENTILES) {
            rows.add(new Row("round trip p" + formatPercentile(percentile), Kind.LATENCY,
                tcp.latency().getValueAtPercentile(percentile),
                rdmabus.latency().getValueAtPercentile(percentile)));
        }
        rows.add(new Row("requests/s (" + inflight + " in flight)", Kind.RATE,
            tcp.throughput().requestsPerSecond(), rdmabus.throughput().requestsPerSecond()));
        int fresh = tcp.firstContacts().size();
        rows.add(new Row("first request to a new node" + (fresh > 1 ? " (median of " + fresh + ")" : ""),
            Kind.LATENCY, tcp.firstContactMedianNanos(), rdmabus.firstContactMedianNanos()));
        return rows;
    }

    /** @return whether the rdmabus column really ran over rdmabus, as its nodes report. */
    public boolean rdmabusColumnOverRdma() {
        return rdmabus.overRdma();
    }

    private static String formatPercentile(double percentile) {
        return percentile == Math.rint(percentile) ? String.format(Locale.ROOT, "%.0f", percentile)
            : String.valueOf(percentile);
    }

    /** What a row measures, which says how to print it and which way is better. */
    public enum Kind {
        /** A duration in nanoseconds: lower is better. */
        LATENCY,
        /** Requests per second: higher is better. */
        RATE
    }

    /**
     * One row of the table.
     *
     * @param name    what it measures.
     * @param kind    its unit, and which way is better.
     * @param tcp     the TCP figure.
     * @param rdmabus the rdmabus figure.
     */
    public record Row(String name, Kind kind, double tcp, double rdmabus) {

        /** @return how many times better rdmabus did than TCP: above 1 when rdmabus wins, NaN if undefined. */
        public double speedUp() {
            double ratio = kind == Kind.LATENCY ? tcp / rdmabus : rdmabus / tcp;
            return Double.isFinite(ratio) ? ratio : Double.NaN;
        }

        /**
         * @param value  {@link #tcp()} or {@link #rdmabus()}.
         * @param micros the microsecond symbol.
         * @return the figure with its unit.
         */
        public String format(double value, String micros) {
            return kind == Kind.LATENCY ? Units.duration(value, micros) : Units.rate(value);
        }
    }
}
