package org.rdmabus.samples.impl.demo;

import io.vertx.core.json.JsonObject;

/**
 * How a bounded load went.
 *
 * @param completed    requests answered.
 * @param failed       requests that failed (timeout, no handler, ...).
 * @param elapsedNanos from the first request sent to the last answer.
 * @param timedOut     whether the time limit stopped the load before its count.
 * @param firstFailure the first failure's message, or {@code null} when none failed.
 */
public record LoadOutcome(long completed, long failed, long elapsedNanos, boolean timedOut, String firstFailure) {

    /** @return requests answered per second, or 0 when nothing was. */
    public double requestsPerSecond() {
        return elapsedNanos <= 0 ? 0 : completed * 1e9 / elapsedNanos;
    }

    /**
     * @param json where to add the outcome's fields.
     * @return {@code json}.
     */
    public JsonObject writeTo(JsonObject json) {
        json.put(NodeProtocol.COMPLETED, completed).put(NodeProtocol.FAILED, failed)
            .put(NodeProtocol.ELAPSED_NANOS, elapsedNanos).put(NodeProtocol.TIMED_OUT, timedOut);
        if (firstFailure != null) {
            json.put(NodeProtocol.FIRST_FAILURE, firstFailure);
        }
        return json;
    }

    /**
     * @param json a result event.
     * @return the outcome it carries.
     * @throws IllegalArgumentException if a field is missing.
     */
    public static LoadOutcome fromJson(JsonObject json) {
        Long completed = json.getLong(NodeProtocol.COMPLETED);
        Long failed = json.getLong(NodeProtocol.FAILED);
        Long elapsed = json.getLong(NodeProtocol.ELAPSED_NANOS);
        if (completed == null || failed == null || elapsed == null) {
            throw new IllegalArgumentException("a load result without counts: " + json.encode());
        }
        return new LoadOutcome(completed, failed, elapsed, json.getBoolean(NodeProtocol.TIMED_OUT, false),
            json.getString(NodeProtocol.FIRST_FAILURE));
    }
}
