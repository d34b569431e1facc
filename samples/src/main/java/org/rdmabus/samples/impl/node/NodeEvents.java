package org.rdmabus.samples.impl.node;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** Writes a node's events to its launcher, one JSON object per line (see {@link LineProtocol}), from any thread. */
public final class NodeEvents {

    private final PrintStream out;

    /**
     * @param out the node's real stdout, which the protocol owns.
     */
    public NodeEvents(PrintStream out) {
        this.out = out;
    }

    /**
     * @param event  the event name, see {@link LineProtocol}.
     * @param fields the event's fields.
     */
    public synchronized void emit(String event, JsonObject fields) {
        out.println(fields.copy().put(LineProtocol.EVENT, event).encode());
        out.flush();
    }

    /** @param failure what went wrong, with its cause chain. */
    public void error(Throwable failure) {
        StringBuilder message = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
             cause = cause.getCause()) {
            message.append("; caused by ").append(cause);
        }
        emit(LineProtocol.ERROR, new JsonObject().put(LineProtocol.MESSAGE, message.toString()));
    }
}
