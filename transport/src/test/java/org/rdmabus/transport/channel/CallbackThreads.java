package org.rdmabus.transport.channel;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rdmabus.transport.impl.poller.CompletionPoller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records the thread and Vert.x context of every user callback, to prove none ran on a completion poller. */
final class CallbackThreads {
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    /**
     * Called first thing in a user callback.
     *
     * @param what the callback, for the failure message
     */
    void observe(String what) {
        Thread thread = Thread.currentThread();
        Context context = Vertx.currentContext();
        seen.add(what);
        if (thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX) || context == null
            || !Context.isOnVertxThread()) {
            violations.add(what + " ran on " + thread.getName() + " with context " + context);
        }
    }

    /** Asserts callbacks ran, all on Vert.x threads with a current context. */
    void assertAllOnVertxContexts() {
        assertFalse(seen.isEmpty(), "no callback was observed");
        assertTrue(violations.isEmpty(), "callbacks off a Vert.x context: " + violations);
    }
}
