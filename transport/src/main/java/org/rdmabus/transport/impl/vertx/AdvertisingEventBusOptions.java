package org.rdmabus.transport.impl.vertx;

import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus options of one Vert.x instance on which rdmabus runs: the application's, copied, with this node's
 * channel advertisement added to the cluster node metadata that Vert.x publishes in the node's {@code NodeInfo}.
 *
 * <p>Vert.x reads the metadata once it has joined the cluster, right before it publishes the node's info. That is the
 * moment the channel can start (it needs the node id the join gave) and be advertised in the very first info peers
 * see, without intercepting any call to the application's cluster manager. So the metadata is asked of the hook
 * ({@link BusHook#clusterNodeMetadata}) each time it is read.
 *
 * <p>The instance gets its own {@link VertxOptions} too, because Vert.x reads the event-bus options from there: the
 * application's options object, which it may reuse for other instances, is never changed.
 */
final class AdvertisingEventBusOptions extends EventBusOptions {

    private final BusHook hook;

    private AdvertisingEventBusOptions(EventBusOptions application, BusHook hook) {
        super(application);
        this.hook = hook;
    }

    /**
     * The options a Vert.x instance is built with when rdmabus runs on it.
     *
     * @param application the options the application gave; not modified
     * @param hook        the instance's hook, which supplies the advertisement
     * @return a copy whose event-bus options advertise the channel; every other nested options object is the
     *     application's own instance (Vert.x's copy constructor would replace e.g. a metrics implementation's
     *     options subclass by plain {@code MetricsOptions})
     */
    static VertxOptions of(VertxOptions application, BusHook hook) {
        return new VertxOptions(application)
            .setMetricsOptions(application.getMetricsOptions())
            .setTracingOptions(application.getTracingOptions())
            .setFileSystemOptions(application.getFileSystemOptions())
            .setAddressResolverOptions(application.getAddressResolverOptions())
            .setEventBusOptions(new AdvertisingEventBusOptions(application.getEventBusOptions(), hook));
    }

    /**
     * Whether a Vert.x instance's options already advertise a channel, i.e. rdmabus installed itself on its builder.
     *
     * @param options the options of the builder
     * @return {@code true} when rdmabus already runs on it
     */
    static boolean isInstalled(VertxOptions options) {
        return options.getEventBusOptions() instanceof AdvertisingEventBusOptions;
    }

    @Override
    public JsonObject getClusterNodeMetadata() {
        return hook.clusterNodeMetadata(super.getClusterNodeMetadata());
    }
}
