package org.rdmabus.samples.impl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.impl.node.HistogramCodec;

@Timeout(10)
class PercentileChartTest {

    private static final Pattern SERIES =
        Pattern.compile("<polyline class=\"series\" data-series=\"([^\"]+)\"[^>]* points=\"([^\"]+)\"/>");

    @Test
    void drawsOneMonotoneCurvePerSeriesWithTheSlowerOneAbove() {
        Histogram fast = histogram(50_000, 2);
        Histogram slow = histogram(50_000, 10);
        String svg = PercentileChart.svg("t <&>", List.of(
            new PercentileChart.Series("fast", "fast one", "#00f", fast),
            new PercentileChart.Series("slow", "slow one", "#f00", slow)));

        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("t &lt;&amp;&gt;"), "the title is escaped");
        assertTrue(svg.contains(">fast one<") && svg.contains(">slow one<"), "the legend names both");
        for (String label : List.of(">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">99.999%<")) {
            assertTrue(svg.contains(label), "the percentile axis has " + label);
        }
        Matcher matcher = SERIES.matcher(svg);
        List<String> names = new ArrayList<>();
        List<double[][]> curves = new ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
            curves.add(points(matcher.group(2)));
        }
        assertEquals(List.of("fast", "slow"), names);
        for (double[][] curve : curves) {
            assertTrue(curve.length > 10, "a curve has many points");
            for (int i = 1; i < curve.length; i++) {
                assertTrue(curve[i][0] >= curve[i - 1][0], "x never goes back");
                assertTrue(curve[i][1] <= curve[i - 1][1], "latency never drops with the percentile (y grows down)");
            }
        }
        // At the median the slower curve is higher on screen, i.e. a smaller y.
        assertTrue(curves.get(1)[0][1] < curves.get(0)[0][1], "the slow curve starts above the fast one");
    }

    @Test
    void anEmptyHistogramIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PercentileChart.svg("t",
            List.of(new PercentileChart.Series("a", "a", "#000", HistogramCodec.newHistogram()))));
    }

    @Test
    void percentileLabelsCountNines() {
        assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.99%"),
            List.of(0, 1, 2, 3, 4).stream().map(PercentileChart::percentileLabel).toList());
    }

    /** Values spread from 1 to 100 base units (microseconds), with a tail. */
    private static Histogram histogram(int count, int scale) {
        Histogram histogram = HistogramCodec.newHistogram();
        for (int i = 1; i <= count; i++) {
            histogram.recordValue((long) scale * 1_000 * (1 + 100L * i / count) + (i % 1000 == 0 ? 5_000_000 : 0));
        }
        return histogram;
    }

    private static double[][] points(String text) {
        String[] pairs = text.trim().split(" ");
        double[][] points = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].split(",");
            points[i] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
        }
        return points;
    }
}
