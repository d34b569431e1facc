package org.rdmabus.samples.functions.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.HistogramCodec;

/**
 * One column of the comparison: how the measured invocations of one {@link Mode} went, as the runtime node timed
 * them (nanoseconds, {@link System#nanoTime()} on the runtime node).
 *
 * @param mode        the column.
 * @param path        what carried the instance's calls, in the runtime node's words.
 * @param succeeded   how many measured invocations returned the right total.
 * @param failed      how many failed, timed out or returned a wrong total.
 * @param failures    the first few failures' messages.
 * @param invocation  from deploying the instance to having its answer.
 * @param steady      two calls made back to back by a resident caller that never left: the calls without any cold
 *                    start.
 * @param overhead    each invocation minus the p50 of {@code steady} (0 when the invocation was quicker).
 * @param deploy      from deploying the instance to its code starting.
 * @param calls       the fresh instance's own two calls.
 * @param undeploy    undeploying the instance after its answer, closing whatever it opened.
 * @param controlPath each control-path step the instance took itself; empty for modes that take none.
 */
public record ColumnResult(Mode mode, String path, int succeeded, int failed, List<String> failures,
                           Histogram invocation, Histogram steady, Histogram overhead, Histogram deploy,
                           Histogram calls, Histogram undeploy, Map<ControlStep, Histogram> controlPath) {

    private static final String MODE = "mode";
    private static final String PATH = "path";
    private static final String SUCCEEDED = "succeeded";
    private static final String FAILED = "failed";
    private static final String FAILURES = "failures";
    private static final String INVOCATION = "invocation";
    private static final String STEADY = "steady";
    private static final String OVERHEAD = "overhead";
    private static final String DEPLOY = "deploy";
    private static final String CALLS = "calls";
    private static final String UNDEPLOY = "undeploy";
    private static final String CONTROL_PATH = "controlPath";

    /** Copies the collections, so that a result cannot change later. */
    public ColumnResult {
        failures = List.copyOf(failures);
        controlPath = controlPath.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(controlPath));
    }

    /** @return this column as the node protocol carries it. */
    public JsonObject toJson() {
        JsonObject steps = new JsonObject();
        controlPath.forEach((step, histogram) -> steps.put(step.name(), HistogramCodec.encode(histogram)));
        return new JsonObject().put(MODE, mode.key()).put(PATH, path).put(SUCCEEDED, succeeded).put(FAILED, failed)
            .put(FAILURES, new JsonArray(failures))
            .put(INVOCATION, HistogramCodec.encode(invocation)).put(STEADY, HistogramCodec.encode(steady))
            .put(OVERHEAD, HistogramCodec.encode(overhead)).put(DEPLOY, HistogramCodec.encode(deploy))
            .put(CALLS, HistogramCodec.encode(calls)).put(UNDEPLOY, HistogramCodec.encode(undeploy))
            .put(CONTROL_PATH, steps);
    }

    /**
     * @param json what {@link #toJson()} wrote.
     * @return the column.
     * @throws IllegalArgumentException if a field is missing or malformed.
     */
    public static ColumnResult fromJson(JsonObject json) {
        try {
            Map<ControlStep, Histogram> steps = new EnumMap<>(ControlStep.class);
            JsonObject encodedSteps = json.getJsonObject(CONTROL_PATH, new JsonObject());
            for (String step : encodedSteps.fieldNames()) {
                steps.put(ControlStep.valueOf(step), histogram(encodedSteps, step));
            }
            return new ColumnResult(Mode.fromKey(required(json, MODE)), required(json, PATH),
                json.getInteger(SUCCEEDED, 0), json.getInteger(FAILED, 0),
                json.getJsonArray(FAILURES, new JsonArray()).stream().map(String::valueOf).toList(),
                histogram(json, INVOCATION), histogram(json, STEADY), histogram(json, OVERHEAD),
                histogram(json, DEPLOY), histogram(json, CALLS), histogram(json, UNDEPLOY), steps);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("a malformed column: " + e.getMessage(), e);
        }
    }

    private static Histogram histogram(JsonObject json, String field) {
        return HistogramCodec.decode(required(json, field));
    }

    private static String required(JsonObject json, String field) {
        String value = json.getString(field);
        if (value == null) {
            throw new IllegalArgumentException("a column without '" + field + "'");
        }
        return value;
    }
}
