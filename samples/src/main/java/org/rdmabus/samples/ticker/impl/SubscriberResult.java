package org.rdmabus.samples.ticker.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one subscriber took, as it reported after draining.
 *
 * @param name        how the launcher names it, e.g. {@code fast-1}.
 * @param role        fast or slow.
 * @param received    ticks it took.
 * @param skipped     ticks missing between the ones it took.
 * @param backwards   ticks that came no later than one already taken: 0 when it took them in order.
 * @param last        the highest sequence number it took, -1 for none.
 * @param heldAtEnd   ticks it still held (in its consumer's buffer and its own queue) when the end of the stream
 *                    came, after the last tick.
 * @param heapAfterGc the heap in use after a full collection, in bytes, once a second from just before the first
 *                    tick; empty for subscribers that do not measure it.
 */
public record SubscriberResult(String name, TickerRole role, long received, long skipped, long backwards, long last,
                               long heldAtEnd, List<Long> heapAfterGc) {

    /** Copies the samples, so that a result cannot change later. */
    public SubscriberResult {
        heapAfterGc = List.copyOf(heapAfterGc);
    }

    /**
     * @param name  the subscriber's name.
     * @param role  its role.
     * @param event its {@code drained} event.
     * @return the result.
     * @throws IllegalArgumentException if a field is missing or malformed.
     */
    static SubscriberResult fromJson(String name, TickerRole role, JsonObject event) {
        try {
            JsonArray heap = event.getJsonArray(TickerProtocol.HEAP_AFTER_GC, new JsonArray());
            List<Long> samples = new ArrayList<>();
            for (int i = 0; i < heap.size(); i++) {
                samples.add(heap.getLong(i));
            }
            return new SubscriberResult(name, role, required(event, TickerProtocol.RECEIVED),
                required(event, TickerProtocol.SKIPPED), required(event, TickerProtocol.BACKWARDS),
                required(event, TickerProtocol.LAST), required(event, TickerProtocol.HELD_AT_END), samples);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(name + " sent a malformed report: " + event.encode(), e);
        }
    }

    /**
     * @param published how many ticks were published.
     * @return whether it took every one of them, each once, in order.
     */
    public boolean tookEvery(long published) {
        return received == published && skipped == 0 && backwards == 0 && last == published - 1;
    }

    /**
     * @param published how many ticks were published.
     * @return how many it never took: those its full consumer dropped.
     */
    public long dropped(long published) {
        return published - received;
    }

    private static long required(JsonObject event, String field) {
        Long value = event.getLong(field);
        if (value == null) {
            throw new IllegalArgumentException("a subscriber's report without '" + field + "': " + event.encode());
        }
        return value;
    }
}
