package org.rdmabus.samples.ticker.impl;

/**
 * Follows the sequence numbers one subscriber takes: how many, how many were skipped between them, and how many came
 * out of order. One thread takes ticks; any thread may read.
 */
final class SequenceCheck {

    private volatile long received;
    private volatile long skipped;
    private volatile long backwards;
    private volatile long last = -1;
    private volatile long lastNanos = System.nanoTime();

    /** @param sequence the sequence number of the tick just taken. */
    void accept(long sequence) {
        received++;
        if (sequence <= last) {
            backwards++;
        } else {
            skipped += sequence - last - 1;
            last = sequence;
        }
        lastNanos = System.nanoTime();
    }

    /** @return ticks taken. */
    long received() {
        return received;
    }

    /** @return ticks missing between the ones taken, that is, before {@link #last()}. */
    long skipped() {
        return skipped;
    }

    /** @return ticks whose number was not above every one taken before. */
    long backwards() {
        return backwards;
    }

    /** @return the highest sequence number taken, -1 before the first. */
    long last() {
        return last;
    }

    /** @return {@link System#nanoTime()} when the last tick was taken, or when the check began. */
    long lastNanos() {
        return lastNanos;
    }
}
