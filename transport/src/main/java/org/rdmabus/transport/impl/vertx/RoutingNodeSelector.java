package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;

/**
 * The node-selector decorator: Vert.x's own selector still picks the node (round robin over the registrations),
 * then this decorator decides the path to it.
 *
 * <h2>How the right message reaches the channel</h2>
 * The clustered event bus calls {@code selectForSend}/{@code selectForPublish} with a callback lambda that captured
 * the very message being routed and its write promise. The decorator reads both out of the callback on entry
 * ({@link VertxInternals#handOverOf}), before the delegate runs, and carries them in its own callback. Each read
 * checks itself (the write promise must be the send context of that message); a callback that cannot be read
 * with certainty is left to Vert.x untouched. So the hand-over never depends on which thread calls, on what user
 * interceptors did before, or on the delegate completing later on another thread.
 *
 * <p>Membership callbacks ({@code registrationsUpdated}, {@code registrationsLost}, {@code wantsUpdatesFor}) are
 * forwarded: this decorator is the listener the cluster manager knows, and the delegate's cache depends on them.
 * Lost registrations also tell the hook that a member may have left ({@link MembershipWatch}).
 */
final class RoutingNodeSelector implements NodeSelector {

    private final NodeSelector delegate;
    private final BusHook hook;

    RoutingNodeSelector(NodeSelector delegate, BusHook hook) {
        this.delegate = delegate;
        this.hook = hook;
    }

    @Override
    public void init(ClusteredNode clusterManager) {
        delegate.init(clusterManager);
        hook.clusterNode(clusterManager);
    }

    @Override
    public void eventBusStarted() {
        delegate.eventBusStarted();
        hook.eventBusStarted();
    }

    @Override
    public void selectForSend(String address, Completable<String> promise) {
        OutboundRouter router = hook.router();
        if (router == null) {
            if (!hook.probeSend(address, promise)) {
                delegate.selectForSend(address, promise);
            }
            return;
        }
        VertxInternals.HandOver handOver = VertxInternals.handOverOf(promise);
        if (handOver == null) {
            router.uncertain(address);
            delegate.selectForSend(address, promise);
            return;
        }
        String replyDestination = router.takeReplyRoute(handOver.message);
        if (replyDestination != null) {
            router.routeSend(replyDestination, handOver, promise);
            return;
        }
        delegate.selectForSend(address, (nodeId, failure) -> {
            if (failure != null || nodeId == null || router.isLocal(nodeId)) {
                promise.complete(nodeId, failure);
            } else {
                router.routeSend(nodeId, handOver, promise);
            }
        });
    }

    @Override
    public void selectForPublish(String address, Completable<Iterable<String>> promise) {
        OutboundRouter router = hook.router();
        if (router == null) {
            if (!hook.probePublish(address, promise)) {
                delegate.selectForPublish(address, promise);
            }
            return;
        }
        VertxInternals.HandOver handOver = VertxInternals.handOverOf(promise);
        if (handOver == null) {
            router.uncertain(address);
            delegate.selectForPublish(address, promise);
            return;
        }
        delegate.selectForPublish(address, (nodeIds, failure) -> {
            if (failure != null || nodeIds == null || !nodeIds.iterator().hasNext()) {
                promise.complete(nodeIds, failure);
            } else {
                router.routePublish(nodeIds, handOver, promise);
            }
        });
    }

    @Override
    public void registrationsUpdated(RegistrationUpdateEvent event) {
        delegate.registrationsUpdated(event);
    }

    @Override
    public void registrationsLost() {
        delegate.registrationsLost();
        hook.membershipMayHaveChanged();
    }

    @Override
    public boolean wantsUpdatesFor(String address) {
        return delegate.wantsUpdatesFor(address);
    }
}
