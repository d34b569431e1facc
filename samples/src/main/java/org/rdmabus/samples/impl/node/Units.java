package org.rdmabus.samples.impl.node;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the samples write durations and rates: three significant figures, in the unit that fits. */
public final class Units {

    /** The microsecond symbol for plain text, which may not be UTF-8. */
    public static final String MICROS_TEXT = "us";
    /** The microsecond symbol for HTML and SVG, which the report declares UTF-8. */
    public static final String MICROS_HTML = "\u00b5s";

    private Units() {
    }

    /**
     * @param nanos  a duration in nanoseconds.
     * @param micros the microsecond symbol, {@link #MICROS_TEXT} or {@link #MICROS_HTML}.
     * @return e.g. {@code 93.1 us}, {@code 4.21 ms}, {@code 1.20 s}.
     */
    public static String duration(double nanos, String micros) {
        if (nanos < 1_000) {
            return significant(nanos) + " ns";
        } else if (nanos < 1_000_000) {
            return significant(nanos / 1_000) + " " + micros;
        } else if (nanos < 1_000_000_000) {
            return significant(nanos / 1_000_000) + " ms";
        }
        return significant(nanos / 1_000_000_000) + " s";
    }

    /**
     * @param nanos  a round value in nanoseconds, such as an axis tick.
     * @param micros the microsecond symbol, {@link #MICROS_TEXT} or {@link #MICROS_HTML}.
     * @return the shortest exact form in the unit that fits, e.g. {@code 50 us}, {@code 2 ms}.
     */
    public static String tick(double nanos, String micros) {
        String[] units = {"ns", micros, "ms", "s"};
        int unit = 0;
        double value = nanos;
        while (value >= 1_000 && unit < units.length - 1) {
            value /= 1_000;
            unit++;
        }
        return BigDecimal.valueOf(value).round(new MathContext(3)).stripTrailingZeros().toPlainString() + " "
            + units[unit];
    }

    /**
     * @param perSecond a rate.
     * @return e.g. {@code 31,234/s}.
     */
    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    /**
     * @param ratio a factor.
     * @return e.g. {@code 1.32x}.
     */
    public static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String significant(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        } else if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
