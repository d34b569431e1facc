package org.rdmabus.samples.impl.node;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Carries an HdrHistogram of round trips in nanoseconds across the node protocol, losslessly. */
public final class HistogramCodec {

    /** The longest round trip a histogram tracks; a longer one is recorded as this. */
    public static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final int SIGNIFICANT_DIGITS = 3;

    private HistogramCodec() {
    }

    /** @return an empty histogram of round trips in nanoseconds. */
    public static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** @return a recorder of durations in nanoseconds, whose interval histograms are like {@link #newHistogram()}. */
    public static Recorder newRecorder() {
        return new Recorder(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * @param nanos a duration in nanoseconds, not negative.
     * @return it, or {@link #HIGHEST_TRACKABLE_NANOS} if it is longer: what a histogram of {@link #newHistogram()}
     *     can record.
     */
    public static long clamp(long nanos) {
        return Math.min(nanos, HIGHEST_TRACKABLE_NANOS);
    }

    /**
     * @param histogram a histogram.
     * @return its compressed, base64 encoding.
     */
    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /**
     * @param encoded what {@link #encode(Histogram)} returned.
     * @return the histogram.
     * @throws IllegalArgumentException if {@code encoded} is not such an encoding.
     */
    public static Histogram decode(String encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }
}
