package org.rdmabus.transport.semantics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.zip.CRC32;

/**
 * What one consumer in a {@link SemanticsNodeMain} received, summed up as JSON for the parent JVM: the count, the
 * last few bodies (type and value; a buffer as its length and CRC-32), the headers of the last message, the reply to
 * its reply, and for a stream of numbers {@code 0, 1, 2, ...} the first position out of order, duplicates and sum.
 */
final class ReceivedLog {

    private static final int KEPT_BODIES = 8;

    private final Deque<JsonObject> lastBodies = new ArrayDeque<>();
    private final BitSet numbers = new BitSet();
    private long count;
    private JsonObject lastHeaders = new JsonObject();
    private String replyToReply;
    private long nextNumber;
    private long outOfOrder;
    private long firstOutOfOrder = -1;
    private long duplicates;
    private long sum;

    /**
     * Records a message: its body and headers.
     *
     * @param message the message
     */
    synchronized void record(Message<?> message) {
        count++;
        if (lastBodies.size() == KEPT_BODIES) {
            lastBodies.removeFirst();
        }
        lastBodies.addLast(describe(message.body()));
        JsonObject headers = new JsonObject();
        for (String name : message.headers().names()) {
            headers.put(name, new JsonArray(message.headers().getAll(name)));
        }
        lastHeaders = headers;
    }

    /**
     * Records one number of a stream that must arrive as {@code 0, 1, 2, ...}.
     *
     * @param number the body
     */
    synchronized void recordNumber(int number) {
        if (number != nextNumber && firstOutOfOrder < 0) {
            firstOutOfOrder = count;
        }
        if (number != nextNumber) {
            outOfOrder++;
        }
        if (numbers.get(number)) {
            duplicates++;
        }
        numbers.set(number);
        sum += number;
        nextNumber = number + 1L;
        count++;
    }

    /**
     * Records the reply that answered this consumer's reply.
     *
     * @param outcome its body, or a description of its failure
     */
    synchronized void recordReplyToReply(String outcome) {
        replyToReply = outcome;
    }

    /** @return everything recorded so far */
    synchronized JsonObject summary() {
        return new JsonObject()
            .put("count", count)
            .put("bodies", new JsonArray(lastBodies.stream().toList()))
            .put("headers", lastHeaders)
            .put("replyToReply", replyToReply)
            .put("outOfOrder", outOfOrder)
            .put("firstOutOfOrder", firstOutOfOrder)
            .put("duplicates", duplicates)
            .put("distinct", numbers.cardinality())
            .put("sum", sum);
    }

    /**
     * A body as JSON: its class and value, a buffer as its length and CRC-32.
     *
     * @param body a message body
     * @return the description
     */
    static JsonObject describe(Object body) {
        if (body == null) {
            return new JsonObject().put("class", "null");
        }
        JsonObject description = new JsonObject().put("class", body.getClass().getName());
        if (body instanceof Buffer buffer) {
            return description.put("length", buffer.length()).put("crc", crc(buffer));
        }
        if (body instanceof JsonObject json) {
            return description.put("value", json);
        }
        return description.put("value", body.toString());
    }

    /**
     * @param buffer bytes
     * @return their CRC-32
     */
    static long crc(Buffer buffer) {
        CRC32 crc = new CRC32();
        crc.update(buffer.getBytes());
        return crc.getValue();
    }
}
