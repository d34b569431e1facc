package org.rdmabus.samples.functions.impl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.Units;

/** How the launcher prints the three columns side by side. */
final class RuntimeReport {

    /** The row of whole invocations. */
    static final String INVOCATION = "invocation";
    /** The row of the resident caller's two calls. */
    static final String STEADY = "two calls, steady";
    /** The row of invocations minus the steady calls. */
    static final String OVERHEAD = "overhead";
    /** The row of right answers. */
    static final String RIGHT = "right answers";
    /** The row of deployments. */
    static final String DEPLOY = "deploy the verticle";
    /** The row of the fresh instance's own calls. */
    static final String CALLS = "its two calls";
    /** The row of undeployments. */
    static final String UNDEPLOY = "undeploy (after answer)";
    /** What a cell says for a step its mode does not take. */
    static final String NONE = "-";

    private static final String ROW = "%-25s %-4s";
    private static final String CELL = " %-22s";
    private static final double P50 = 50.0;
    private static final double P99 = 99.0;

    private RuntimeReport() {
    }

    /**
     * @param out     where.
     * @param columns the columns, in {@link Mode} order.
     * @param planned the measured invocations each column was to run.
     */
    static void print(PrintStream out, List<ColumnResult> columns, int planned) {
        out.printf(Locale.ROOT, "cold start of a fresh function instance calling 2 services, %,d invocations per "
            + "column:%n%n", planned);
        header(out, columns);
        row(out, INVOCATION, "p50", columns, column -> percentile(column.invocation(), P50));
        row(out, "", "p99", columns, column -> percentile(column.invocation(), P99));
        row(out, STEADY, "p50", columns, column -> percentile(column.steady(), P50));
        row(out, OVERHEAD, "p50", columns, column -> percentile(column.overhead(), P50));
        row(out, "", "p99", columns, column -> percentile(column.overhead(), P99));
        row(out, RIGHT, "", columns, column -> String.format(Locale.ROOT, "%,d/%,d", column.succeeded(), planned));
        out.println();
        out.println("where a fresh instance's time goes (p50):");
        row(out, DEPLOY, "", columns, column -> percentile(column.deploy(), P50));
        for (ControlStep step : ControlStep.values()) {
            row(out, step.label(), "", columns, column -> column.controlPath().containsKey(step)
                ? percentile(column.controlPath().get(step), P50) : NONE);
        }
        row(out, CALLS, "", columns, column -> percentile(column.calls(), P50));
        row(out, UNDEPLOY, "", columns, column -> percentile(column.undeploy(), P50));
        out.println();
        out.println("overhead = invocation - the column's steady two calls (p50); all timed on the runtime node.");
        for (ColumnResult column : columns) {
            out.printf(Locale.ROOT, "%-13s %s%n", column.mode().label() + ":", column.path());
        }
        for (ColumnResult column : columns) {
            column.failures().forEach(failure -> out.println("  FAILED " + column.mode().label() + ": " + failure));
        }
        out.flush();
    }

    /**
     * @param histogram durations in nanoseconds.
     * @param percentile the percentile, e.g. 99.0.
     * @return its value at the percentile as the table prints it, or {@link #NONE} if it is empty.
     */
    static String percentile(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return NONE;
        }
        long nanos = histogram.getValueAtPercentile(percentile);
        // An overhead is clamped at 0 when the invocation beat the steady median: say so plainly.
        return nanos == 0 ? "0 ns" : Units.duration(nanos, Units.MICROS_TEXT);
    }

    private static void header(PrintStream out, List<ColumnResult> columns) {
        List<Object> labels = new ArrayList<>(List.of("", ""));
        List<Object> details = new ArrayList<>(List.of("", ""));
        columns.forEach(column -> {
            labels.add(column.mode().label());
            details.add(column.mode().detail());
        });
        String format = ROW + CELL.repeat(columns.size());
        out.println(String.format(Locale.ROOT, format, labels.toArray()).stripTrailing());
        out.println(String.format(Locale.ROOT, format, details.toArray()).stripTrailing());
    }

    private static void row(PrintStream out, String name, String statistic, List<ColumnResult> columns,
                            Function<ColumnResult, String> cell) {
        List<Object> cells = new ArrayList<>(List.of(name, statistic));
        columns.forEach(column -> cells.add(cell.apply(column)));
        out.println(String.format(Locale.ROOT, ROW + CELL.repeat(columns.size()), cells.toArray()).stripTrailing());
    }
}
