package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * Wraps the user's cluster manager so that this node advertises its channel in its {@link NodeInfo} metadata and the
 * hook hears about membership. Everything else is passed through unchanged.
 *
 * <p>A cluster manager has a single node-listener slot, which Vert.x's HA manager may also want: this wrapper takes
 * the slot on the real cluster manager and forwards every event to whichever listener Vert.x sets on it.
 */
final class AdvertisingClusterManager implements ClusterManager {

    private static final System.Logger LOG = System.getLogger(AdvertisingClusterManager.class.getName());

    private final ClusterManager delegate;
    private final BusHook hook;
    private volatile NodeListener forwardTo;

    AdvertisingClusterManager(ClusterManager delegate, BusHook hook) {
        this.delegate = delegate;
        this.hook = hook;
    }

    /** Never service-loaded: the wrapper is installed explicitly, so the bootstrap hook has nothing to do. */
    @Override
    public void init(VertxBootstrap builder) {
    }

    @Override
    public void init(Vertx vertx) {
        delegate.init(vertx);
        delegate.nodeListener(new Membership());
        hook.vertxCreated(vertx);
    }

    @Override
    public void nodeListener(NodeListener listener) {
        forwardTo = listener;
    }

    @Override
    public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
        String advertisement = hook.advertise(delegate.getNodeId());
        delegate.setNodeInfo(PeerDirectory.advertising(nodeInfo, advertisement), promise);
    }

    @Override
    public void leave(Completable<Void> promise) {
        delegate.leave((result, failure) -> {
            hook.close();
            promise.complete(result, failure);
        });
    }

    @Override
    public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
        delegate.getAsyncMap(name, promise);
    }

    @Override
    public <K, V> Map<K, V> getSyncMap(String name) {
        return delegate.getSyncMap(name);
    }

    @Override
    public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
        delegate.getLockWithTimeout(name, timeout, promise);
    }

    @Override
    public void getCounter(String name, Completable<Counter> promise) {
        delegate.getCounter(name, promise);
    }

    @Override
    public String getNodeId() {
        return delegate.getNodeId();
    }

    @Override
    public List<String> getNodes() {
        return delegate.getNodes();
    }

    @Override
    public NodeInfo getNodeInfo() {
        return delegate.getNodeInfo();
    }

    @Override
    public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
        delegate.getNodeInfo(nodeId, promise);
    }

    @Override
    public void join(Completable<Void> promise) {
        delegate.join(promise);
    }

    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    @Override
    public void registrationListener(RegistrationListener registrationListener) {
        delegate.registrationListener(registrationListener);
    }

    @Override
    public void addRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
        delegate.addRegistration(address, registrationInfo, promise);
    }

    @Override
    public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
        delegate.removeRegistration(address, registrationInfo, promise);
    }

    @Override
    public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
        delegate.getRegistrations(address, promise);
    }

    @Override
    public String clusterHost() {
        return delegate.clusterHost();
    }

    @Override
    public String clusterPublicHost() {
        return delegate.clusterPublicHost();
    }

    @Override
    public String toString() {
        return "rdmabus(" + delegate + ")";
    }

    /** Membership events: the hook first (it never blocks), then whatever listener Vert.x set. */
    private final class Membership implements NodeListener {
        @Override
        public void nodeAdded(String nodeId) {
            try {
                hook.peerJoined(nodeId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rdmabus: could not handle the arrival of node " + nodeId, e);
            }
            NodeListener listener = forwardTo;
            if (listener != null) {
                listener.nodeAdded(nodeId);
            }
        }

        @Override
        public void nodeLeft(String nodeId) {
            try {
                hook.peerLeft(nodeId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rdmabus: could not handle the departure of node " + nodeId, e);
            }
            NodeListener listener = forwardTo;
            if (listener != null) {
                listener.nodeLeft(nodeId);
            }
        }
    }
}
