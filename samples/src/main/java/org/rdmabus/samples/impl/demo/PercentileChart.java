package org.rdmabus.samples.impl.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.rdmabus.samples.impl.node.Units;

/**
 * Draws latency-by-percentile curves as an inline SVG, the way HdrHistogram's plots do: the x axis is
 * {@code log10(1 / (1 - percentile))}, so 90 %, 99 %, 99.9 % ... are evenly spaced and the tail gets the room; the y
 * axis is logarithmic too, so a slow outlier does not flatten the curves.
 */
final class PercentileChart {

    private static final int WIDTH = 820;
    private static final int HEIGHT = 460;
    private static final int LEFT = 84;
    private static final int RIGHT = 28;
    private static final int TOP = 52;
    private static final int BOTTOM = 70;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    private static final int MIN_DECADES = 2;
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    private static final int[] Y_STEPS = {1, 2, 5};

    private PercentileChart() {
    }

    /**
     * One curve.
     *
     * @param key       its identifier in the SVG ({@code data-series}).
     * @param name      its name in the legend.
     * @param color     its CSS color.
     * @param histogram its round trips, in nanoseconds; not empty.
     */
    record Series(String key, String name, String color, Histogram histogram) {
    }

    /**
     * @param title  the chart's title.
     * @param series the curves; each histogram holds at least one value.
     * @return the SVG element.
     * @throws IllegalArgumentException if there is no curve or a histogram is empty.
     */
    static String svg(String title, List<Series> series) {
        if (series.isEmpty() || series.stream().anyMatch(s -> s.histogram().getTotalCount() == 0)) {
            throw new IllegalArgumentException("a percentile chart needs at least one value per curve");
        }
        long maxCount = series.stream().mapToLong(s -> s.histogram().getTotalCount()).max().orElseThrow();
        int decades = Math.max(MIN_DECADES, (int) Math.ceil(Math.log10(maxCount)));
        double low = Math.pow(10, Math.floor(Math.log10(series.stream()
            .mapToLong(s -> Math.max(1, s.histogram().getMinNonZeroValue())).min().orElseThrow())));
        double high = Math.pow(10, Math.ceil(Math.log10(series.stream()
            .mapToLong(s -> s.histogram().getMaxValue()).max().orElseThrow())));
        if (high <= low) {
            high = low * 10;
        }
        Axes axes = new Axes(decades, low, high);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>").append(Html.escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
            WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
            WIDTH / 2, Html.escape(title)));
        xAxis(svg, axes);
        yAxis(svg, axes);
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT));
        for (Series curve : series) {
            svg.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\" "
                + "stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"%s\"/>%n",
                Html.escape(curve.key()), Html.escape(curve.color()), points(curve.histogram(), axes)));
        }
        legend(svg, series);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String points(Histogram histogram, Axes axes) {
        List<String> points = new ArrayList<>();
        // The tail ends where the samples do: N samples resolve percentiles up to 1 - 1/N.
        double resolved = Math.min(axes.decades(), Math.log10(histogram.getTotalCount()));
        for (HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double fraction = value.getPercentileLevelIteratedTo() / 100.0;
            double decade = fraction >= 1 ? resolved : Math.min(resolved, -Math.log10(1 - fraction));
            points.add(String.format(Locale.ROOT, "%.1f,%.1f", axes.x(decade),
                axes.y(Math.max(1, value.getValueIteratedTo()))));
        }
        return String.join(" ", points);
    }

    private static void xAxis(StringBuilder svg, Axes axes) {
        for (int decade = 0; decade <= axes.decades(); decade++) {
            double x = axes.x(decade);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, TOP + PLOT_HEIGHT));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP + PLOT_HEIGHT + 18, percentileLabel(decade)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
            + "Percentile (log scale: each step is ten times rarer)</text>%n", LEFT + PLOT_WIDTH / 2, HEIGHT - 22));
    }

    private static void yAxis(StringBuilder svg, Axes axes) {
        for (double decade = axes.low(); decade < axes.high() * 1.0001; decade *= 10) {
            for (int step : Y_STEPS) {
                double value = decade * step;
                if (value > axes.high() * 1.0001) {
                    break;
                }
                double y = axes.y(value);
                svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    LEFT, y, LEFT + PLOT_WIDTH, y, step == 1 ? "#ccc" : "#eee"));
                svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>%n",
                    LEFT - 6, y, Html.escape(Units.tick(value, Units.MICROS_HTML))));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 18 %d)\">Round trip (log scale)</text>%n",
            TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2));
    }

    private static void legend(StringBuilder svg, List<Series> series) {
        int x = LEFT + 14;
        int y = TOP + 14;
        int width = 56 + series.stream().mapToInt(s -> s.name().length()).max().orElse(0) * 13 / 2;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"white\" "
            + "fill-opacity=\"0.9\" stroke=\"#999\"/>%n", x, y, width, 10 + series.size() * 20));
        for (int i = 0; i < series.size(); i++) {
            Series curve = series.get(i);
            int lineY = y + 15 + i * 20;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                x + 8, lineY, x + 34, lineY, Html.escape(curve.color())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">%s</text>%n",
                x + 42, lineY, Html.escape(curve.name())));
        }
    }

    /** @return 0 %, 90 %, 99 %, 99.9 %, ... for decade 0, 1, 2, 3, ... */
    static String percentileLabel(int decade) {
        if (decade == 0) {
            return "0%";
        } else if (decade == 1) {
            return "90%";
        }
        return "99" + (decade > 2 ? "." + "9".repeat(decade - 2) : "") + "%";
    }

    /** Maps decades of percentile and nanoseconds to the plot's pixels. */
    private record Axes(int decades, double low, double high) {

        double x(double decade) {
            return LEFT + decade / decades * PLOT_WIDTH;
        }

        double y(double nanos) {
            double position = (Math.log10(nanos) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
            return TOP + PLOT_HEIGHT - Math.max(0, Math.min(1, position)) * PLOT_HEIGHT;
        }
    }
}
