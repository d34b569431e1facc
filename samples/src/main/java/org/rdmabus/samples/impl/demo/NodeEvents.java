package org.rdmabus.samples.impl.demo;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** Writes a node's events to the demo, one JSON object per line, from any thread. */
final class NodeEvents {

    private final PrintStream out;

    NodeEvents(PrintStream out) {
        this.out = out;
    }

    /**
     * @param event  the event name, one of {@link NodeProtocol}'s.
     * @param fields the event's fields.
     */
    synchronized void emit(String event, JsonObject fields) {
        out.println(fields.copy().put(NodeProtocol.EVENT, event).encode());
        out.flush();
    }

    /** @param failure what went wrong, with its cause chain. */
    void error(Throwable failure) {
        StringBuilder message = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
             cause = cause.getCause()) {
            message.append("; caused by ").append(cause);
        }
        emit(NodeProtocol.ERROR, new JsonObject().put(NodeProtocol.MESSAGE, message.toString()));
    }
}
