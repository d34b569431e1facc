package org.rdmabus.pool.impl;

import java.util.ArrayList;
import java.util.List;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.SendCallback;

/**
 * Callbacks and handlers collected while locks are held and run after they are released, so user code never runs
 * under a pool lock and can call back into the pool. One per poller thread, reused; or one per rare call.
 */
final class Outcomes {
    private final List<SendCallback> callbacks = new ArrayList<>();
    private final List<PoolException> failures = new ArrayList<>();
    private final List<Runnable> handlers = new ArrayList<>();

    void complete(SendCallback callback, PoolException failure) {
        callbacks.add(callback);
        failures.add(failure);
    }

    void handler(Runnable handler) {
        if (handler != null) {
            handlers.add(handler);
        }
    }

    boolean isEmpty() {
        return callbacks.isEmpty() && handlers.isEmpty();
    }

    /**
     * Runs everything collected, catching what user code throws.
     *
     * @param counters where failures of user code are counted.
     */
    void run(PoolCounters counters) {
        for (int i = 0; i < callbacks.size(); i++) {
            try {
                callbacks.get(i).onComplete(failures.get(i));
            } catch (Throwable t) {
                counters.handlerFailed(t);
            }
        }
        callbacks.clear();
        failures.clear();
        for (int i = 0; i < handlers.size(); i++) {
            try {
                handlers.get(i).run();
            } catch (Throwable t) {
                counters.handlerFailed(t);
            }
        }
        handlers.clear();
    }
}
