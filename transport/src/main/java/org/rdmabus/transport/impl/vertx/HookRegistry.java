package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** The rdmabus hook of each running Vert.x instance, held weakly so that a Vert.x that is never closed is not kept. */
public final class HookRegistry {

    private static final Map<Vertx, BusHook> HOOKS = Collections.synchronizedMap(new WeakHashMap<>());

    private HookRegistry() {
    }

    /**
     * The hook of a Vert.x instance.
     *
     * @param vertx a Vert.x instance
     * @return its hook, or {@code null} when rdmabus did not install on it
     */
    public static BusHook hookOf(Vertx vertx) {
        return HOOKS.get(vertx);
    }

    static void register(Vertx vertx, BusHook hook) {
        HOOKS.put(vertx, hook);
    }

    static void unregister(Vertx vertx) {
        HOOKS.remove(vertx);
    }
}
