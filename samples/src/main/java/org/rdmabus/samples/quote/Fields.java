package org.rdmabus.samples.quote;

import io.vertx.core.json.JsonObject;

/** Strict reads of the quote services' JSON: a missing or mistyped field is a clear error, never a zero. */
final class Fields {

    private Fields() {
    }

    /**
     * @param json  an object.
     * @param field a field that must hold an integral number.
     * @return its value.
     * @throws IllegalArgumentException if it is missing or not an integral number.
     */
    static long requiredLong(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException("'" + field + "' must be an integer, not " + value + " in "
                + json.encode());
        }
        return ((Number) value).longValue();
    }

    /**
     * @param json  an object.
     * @param field a field that must hold an integral number in the range of {@code int}.
     * @return its value.
     * @throws IllegalArgumentException if it is missing, not an integral number, or out of range.
     */
    static int requiredInt(JsonObject json, String field) {
        long value = requiredLong(json, field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + field + "' is out of range: " + value);
        }
        return (int) value;
    }

    /**
     * @param json  an object.
     * @param field a field that must hold an object.
     * @return its value.
     * @throws IllegalArgumentException if it is missing or not an object.
     */
    static JsonObject requiredObject(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("'" + field + "' must be an object in " + json.encode());
        }
        return object;
    }

    /**
     * @param body a message body.
     * @return it, as the JSON object it must be.
     * @throws IllegalArgumentException if it is something else.
     */
    static JsonObject body(Object body) {
        if (!(body instanceof JsonObject json)) {
            throw new IllegalArgumentException("expected a JSON object, not " + body);
        }
        return json;
    }
}
