package org.rdmabus.transport.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving side of a sequenced stream check: for each stream (a sender incarnation and a kind of traffic), which
 * sequence numbers arrived, how many twice, and how many after a higher one. Thread-safe.
 */
final class SequenceLedger {

    private final Map<String, Track> tracks = new TreeMap<>();

    /**
     * Records one received message.
     *
     * @param stream   the stream's name
     * @param sequence its number, from 0
     */
    synchronized void record(String stream, long sequence) {
        tracks.computeIfAbsent(stream, name -> new Track()).record((int) sequence);
    }

    /**
     * What arrived, per stream: {@code received}, {@code first}, {@code last}, {@code duplicates}, {@code reordered},
     * {@code missing} (numbers between first and last that never arrived) and {@code missingRanges} (up to 50
     * {@code [from, to]} pairs).
     *
     * @return one object per stream name
     */
    synchronized JsonObject summary() {
        JsonObject summary = new JsonObject();
        tracks.forEach((name, track) -> summary.put(name, track.summary()));
        return summary;
    }

    /** One stream. */
    private static final class Track {
        private final BitSet seen = new BitSet();
        private long received;
        private long duplicates;
        private long reordered;
        private int first = -1;
        private int last = -1;

        void record(int sequence) {
            received++;
            if (seen.get(sequence)) {
                duplicates++;
                return;
            }
            seen.set(sequence);
            if (first < 0 || sequence < first) {
                first = sequence;
            }
            if (sequence < last) {
                reordered++;
            } else {
                last = sequence;
            }
        }

        JsonObject summary() {
            JsonArray ranges = new JsonArray();
            long missing = 0;
            if (first >= 0) {
                int from = seen.nextClearBit(first);
                while (from < last) {
                    int to = seen.nextSetBit(from) - 1;
                    missing += to - from + 1;
                    if (ranges.size() < 50) {
                        ranges.add(new JsonArray().add(from).add(to));
                    }
                    from = seen.nextClearBit(to + 1);
                }
            }
            return new JsonObject().put("received", received).put("first", first).put("last", last).put("duplicates", duplicates)
                .put("reordered", reordered).put("missing", missing).put("missingRanges", ranges);
        }
    }
}
