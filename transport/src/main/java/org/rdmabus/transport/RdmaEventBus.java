package org.rdmabus.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookRegistry;

import java.util.Objects;

/**
 * rdmabus needs no code: with its jar on the class path, every clustered Vert.x instance built with
 * {@code Vertx.builder().withClusterManager(..).buildClustered()} (or {@code Vertx.clusteredVertx(..)}) sends its
 * event-bus traffic between nodes over the node channel, and keeps Vert.x's TCP transport as the fallback.
 *
 * <p>Options come from system properties {@code rdmabus.*} and environment variables {@code RDMABUS_*} (see
 * {@link RdmaEventBusOptions}). To set them in code instead, call {@link #configure} before building the Vert.x
 * instance: the options are read while it is built, so each instance keeps the options current at that moment, and
 * system properties and environment variables still override them.
 */
public final class RdmaEventBus {

    private static volatile RdmaEventBusOptions configured;
    private static volatile MeterRegistry metricsRegistry;

    private RdmaEventBus() {
    }

    /**
     * Sets the options for the clustered Vert.x instances built from now on in this JVM.
     *
     * @param options the options (copied), or {@code null} to return to the defaults
     */
    public static void configure(RdmaEventBusOptions options) {
        configured = options == null ? null : new RdmaEventBusOptions(options);
    }

    /**
     * Sets the Micrometer registry that Vert.x instances built from now on register their {@code rdmabus.*} meters
     * in (when {@link RdmaEventBusOptions#isMetricsEnabled()}).
     *
     * @param registry the registry, or {@code null} for Micrometer's {@link Metrics#globalRegistry global registry}
     */
    public static void metricsRegistry(MeterRegistry registry) {
        metricsRegistry = registry;
    }

    /**
     * The registry new Vert.x instances register their meters in.
     *
     * @return the registry set with {@link #metricsRegistry(MeterRegistry)}, or Micrometer's global registry
     */
    public static MeterRegistry metricsRegistry() {
        MeterRegistry registry = metricsRegistry;
        return registry != null ? registry : Metrics.globalRegistry;
    }

    /**
     * The options the next Vert.x instance will use: those set with {@link #configure} (or the defaults), overridden
     * by the environment and then by system properties.
     *
     * @return a new copy
     * @throws IllegalArgumentException naming the property or variable that holds an invalid value
     */
    public static RdmaEventBusOptions effectiveOptions() {
        RdmaEventBusOptions base = configured;
        return (base == null ? new RdmaEventBusOptions() : base).withOverrides(System.getProperties(), System.getenv());
    }

    /**
     * Which path a Vert.x instance's traffic takes.
     *
     * @param vertx a Vert.x instance
     * @return its status; an instance rdmabus did not install on is reported inactive
     */
    public static RdmaEventBusStatus status(Vertx vertx) {
        BusHook hook = HookRegistry.hookOf(Objects.requireNonNull(vertx, "vertx"));
        if (hook == null) {
            return new RdmaEventBusStatus(false, "rdmabus is not installed on this Vert.x instance: it is not clustered, "
                + "rdmabus is disabled, or it stayed on TCP at start-up (the log says why)");
        }
        return new RdmaEventBusStatus(hook.isActive(), hook.description());
    }
}
