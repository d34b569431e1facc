package org.rdmabus.transport.impl.vertx;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannelFactories;

import java.lang.System.Logger.Level;
import java.util.ServiceLoader;

/**
 * The zero-code installation: Vert.x loads this provider (META-INF/services) for every instance it builds, and
 * calls it on the builder's thread before the instance exists. For a clustered instance it decorates the node
 * selector and gives the instance event-bus options that advertise the channel ({@link AdvertisingEventBusOptions});
 * the rest happens as the instance starts ({@link BusHook}). The application's cluster manager is left as it is:
 * {@code clusterManager()} returns the very instance the application passed. When rdmabus cannot or must not run,
 * it changes nothing and logs one INFO line saying why.
 *
 * <p>Vert.x service-loads cluster managers too, and one may set itself on the builder only after this provider ran
 * (the order depends on the class path): a service-loadable cluster manager on the class path counts as clustered.
 */
public final class RdmabusServiceProvider implements VertxServiceProvider {

    private static final System.Logger LOG = System.getLogger(RdmabusServiceProvider.class.getName());

    /** Service-loaded by Vert.x. */
    public RdmabusServiceProvider() {
    }

    @Override
    public void init(VertxBootstrap bootstrap) {
        try {
            install(bootstrap);
        } catch (RuntimeException | LinkageError e) {
            stayOnTcp("installation failed: " + e);
        }
    }

    private static void install(VertxBootstrap bootstrap) {
        if (AdvertisingEventBusOptions.isInstalled(bootstrap.options())) {
            return;
        }
        RdmaEventBusOptions options;
        try {
            options = RdmaEventBus.effectiveOptions();
        } catch (IllegalArgumentException e) {
            stayOnTcp(e.getMessage());
            return;
        }
        if (bootstrap.clusterManager() == null && !hasServiceLoadedClusterManager()) {
            return; // Not clustered: there is no traffic between nodes to divert.
        }
        if (!options.isEnabled()) {
            stayOnTcp("disabled by configuration (enabled=false)");
            return;
        }
        EventBusOptions eventBusOptions = bootstrap.options().getEventBusOptions();
        if (eventBusOptions.isSsl() && !options.isAllowWithTls()) {
            stayOnTcp("the event bus uses TLS and the channel does not encrypt; set allowWithTls (rdmabus.allowWithTls=true) to use the channel anyway");
            return;
        }
        String internals = VertxInternals.unavailableReason();
        if (internals != null) {
            stayOnTcp(internals);
            return;
        }
        if (!VertxInternals.isKnownBootstrap(bootstrap)) {
            stayOnTcp("unknown Vert.x bootstrap " + bootstrap.getClass().getName());
            return;
        }
        NodeChannelFactories.Choice choice = NodeChannelFactories.load(classLoader()).choose(options.getProvider());
        if (choice.candidates() == null) {
            stayOnTcp(choice.reason());
            return;
        }
        preferNativeTransport(bootstrap, options);
        BusHook hook = new BusHook(options, choice.candidates(), eventBusOptions, RdmaEventBus.metricsRegistry());
        NodeSelector installed = VertxInternals.installedNodeSelector(bootstrap);
        VertxInternals.installNodeSelector(bootstrap, new RoutingNodeSelector(installed != null ? installed : VertxInternals.defaultNodeSelector(), hook));
        bootstrap.options(AdvertisingEventBusOptions.of(bootstrap.options(), hook));
    }

    /**
     * Vert.x picks its transport before it runs providers, so the choice is made here on the bootstrap: the JDK's NIO
     * transport, when it is what Vert.x picked by default, becomes the native one if that is available.
     */
    private static void preferNativeTransport(VertxBootstrap bootstrap, RdmaEventBusOptions options) {
        if (!options.isNativeTransport() || bootstrap.options().getPreferNativeTransport()
            || bootstrap.transport() != Transport.NIO.implementation()) {
            return;
        }
        Transport nativeTransport = Transport.nativeTransport();
        if (nativeTransport != null && nativeTransport.available()) {
            bootstrap.transport(nativeTransport.implementation());
        } else {
            LOG.log(Level.DEBUG, "rdmabus: the native transport is not available here; event loops stay on NIO");
        }
    }

    private static boolean hasServiceLoadedClusterManager() {
        return ServiceLoader.load(VertxServiceProvider.class, classLoader()).stream()
            .anyMatch(provider -> ClusterManager.class.isAssignableFrom(provider.type()));
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : RdmabusServiceProvider.class.getClassLoader();
    }

    private static void stayOnTcp(String reason) {
        LOG.log(Level.INFO, "rdmabus: staying on TCP: " + reason);
    }
}
