package org.rdmabus.transport.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.impl.clustered.ClusteredEventBus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.loopback.LoopbackFabric;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannel;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Clustered Vert.x nodes in this JVM, over Hazelcast on loopback, each built exactly as an application would build
 * it: {@code Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered()}. Whether
 * rdmabus runs on a node is decided by the options in force while it is built.
 */
public final class TestCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = TestTimes.scaled(Duration.ofSeconds(60));
    private static final Duration CLOSE_TIMEOUT = TestTimes.scaled(Duration.ofSeconds(30));

    private final String name;
    /** Where vertx-hazelcast reads the node id of a cluster manager made from a Hazelcast instance. */
    private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

    private final List<Vertx> nodes = new ArrayList<>();
    private final List<HazelcastInstance> members = new ArrayList<>();

    private TestCluster(String name) {
        this.name = name;
    }

    /**
     * Starts a cluster whose nodes all run with the same rdmabus options.
     *
     * @param label   a name for the cluster, made unique
     * @param size    the number of nodes
     * @param rdmabus the rdmabus options, e.g. enabled or disabled
     * @return the started cluster
     */
    public static TestCluster start(String label, int size, RdmaEventBusOptions rdmabus) {
        TestCluster cluster = new TestCluster(label + "-" + UUID.randomUUID());
        try {
            for (int i = 0; i < size; i++) {
                cluster.addNode(rdmabus, bus -> { });
            }
            return cluster;
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Starts an empty cluster, for tests that configure each node.
     *
     * @param label a name for the cluster, made unique
     * @return the cluster, without nodes
     */
    public static TestCluster empty(String label) {
        return new TestCluster(label + "-" + UUID.randomUUID());
    }

    /**
     * Options with rdmabus on, over the loopback channel.
     *
     * @return new options
     */
    public static RdmaEventBusOptions rdmabusOn() {
        return new RdmaEventBusOptions().setProvider("loopback");
    }

    /**
     * Options with rdmabus off.
     *
     * @return new options
     */
    public static RdmaEventBusOptions rdmabusOff() {
        return new RdmaEventBusOptions().setEnabled(false);
    }

    /**
     * Builds one more node and waits until it has joined.
     *
     * @param rdmabus       the rdmabus options in force while it is built
     * @param eventBusSetup adjusts the node's event-bus options (host 127.0.0.1 and a free port are preset)
     * @return the node
     */
    public Vertx addNode(RdmaEventBusOptions rdmabus, Consumer<EventBusOptions> eventBusSetup) {
        Future<Vertx> started = build(rdmabus, eventBusSetup);
        Vertx node = Await.result(started, START_TIMEOUT);
        nodes.add(node);
        return node;
    }

    /**
     * Builds one more node and returns its start-up future, which may fail.
     *
     * @param rdmabus       the rdmabus options in force while it is built
     * @param eventBusSetup adjusts the node's event-bus options
     * @return the future of the node, not added to this cluster
     */
    public Future<Vertx> build(RdmaEventBusOptions rdmabus, Consumer<EventBusOptions> eventBusSetup) {
        EventBusOptions bus = new EventBusOptions().setHost("127.0.0.1").setPort(0);
        eventBusSetup.accept(bus);
        return build(rdmabus, new VertxOptions().setEventBusOptions(bus), newClusterManager());
    }

    /**
     * Builds one more node from options and a cluster manager the test made, and returns its start-up future.
     *
     * @param rdmabus        the rdmabus options in force while it is built
     * @param options        the node's Vert.x options (Vert.x's blocked-thread limits are stretched on them)
     * @param clusterManager the node's cluster manager, e.g. from {@link #newClusterManager()}
     * @return the future of the node, not added to this cluster
     */
    public Future<Vertx> build(RdmaEventBusOptions rdmabus, VertxOptions options, ClusterManager clusterManager) {
        return build(rdmabus, options, clusterManager, null);
    }

    /**
     * Builds one more node with a metrics implementation, as an application passes it to the builder.
     *
     * @param rdmabus        the rdmabus options in force while it is built
     * @param options        the node's Vert.x options (Vert.x's blocked-thread limits are stretched on them)
     * @param clusterManager the node's cluster manager
     * @param metrics        {@code Vertx.builder().withMetrics(..)}, or {@code null} for none
     * @return the future of the node, not added to this cluster
     */
    public Future<Vertx> build(RdmaEventBusOptions rdmabus, VertxOptions options, ClusterManager clusterManager,
                               VertxMetricsFactory metrics) {
        TestTimes.stretchBlockedThreadLimits(options);
        RdmaEventBus.configure(rdmabus);
        try {
            return Vertx.builder()
                .with(options)
                .withClusterManager(clusterManager)
                .withMetrics(metrics)
                .buildClustered();
        } finally {
            RdmaEventBus.configure(null);
        }
    }

    /**
     * Builds one more node with a metrics implementation and waits until it has joined.
     *
     * @param rdmabus        the rdmabus options in force while it is built
     * @param options        the node's Vert.x options
     * @param clusterManager the node's cluster manager
     * @param metrics        {@code Vertx.builder().withMetrics(..)}
     * @return the node
     */
    public Vertx addNode(RdmaEventBusOptions rdmabus, VertxOptions options, ClusterManager clusterManager, VertxMetricsFactory metrics) {
        Vertx node = Await.result(build(rdmabus, options, clusterManager, metrics), START_TIMEOUT);
        nodes.add(node);
        return node;
    }

    /**
     * Builds one more node from options and a cluster manager the test made, and waits until it has joined.
     *
     * @param rdmabus        the rdmabus options in force while it is built
     * @param options        the node's Vert.x options
     * @param clusterManager the node's cluster manager
     * @return the node
     */
    public Vertx addNode(RdmaEventBusOptions rdmabus, VertxOptions options, ClusterManager clusterManager) {
        Vertx node = Await.result(build(rdmabus, options, clusterManager), START_TIMEOUT);
        nodes.add(node);
        return node;
    }

    /**
     * A new Hazelcast cluster manager for this cluster, as {@link #build} gives each node.
     *
     * @return a cluster manager that has not joined
     */
    public HazelcastClusterManager newClusterManager() {
        return new HazelcastClusterManager(HazelcastTestConfig.create(name));
    }

    /**
     * A Hazelcast cluster manager for this cluster whose node gets the id the test chose, for runs that must see the
     * same node ids (Vert.x orders a publish's destinations by their ids). Its Hazelcast member starts now and is
     * shut down by {@link #close()}, after the nodes.
     *
     * @param nodeId the Vert.x node id, unique in the cluster
     * @return a cluster manager that has not joined
     */
    public HazelcastClusterManager newClusterManager(String nodeId) {
        Config config = HazelcastTestConfig.create(name);
        config.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID_ATTRIBUTE, nodeId);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return new HazelcastClusterManager(member);
    }

    /**
     * The Hazelcast cluster name, for nodes started elsewhere (e.g. {@link ChildJvmNode}).
     *
     * @return the unique name
     */
    public String name() {
        return name;
    }

    /**
     * A node, in start order.
     *
     * @param index its position
     * @return the node
     */
    public Vertx node(int index) {
        return nodes.get(index);
    }

    /**
     * The cluster node id of a node.
     *
     * @param index the node
     * @return its id
     */
    public String nodeId(int index) {
        return ((VertxInternal) node(index)).clusterManager().getNodeId();
    }

    /**
     * The loopback channel of a node.
     *
     * @param index the node
     * @return its channel, or {@code null} when rdmabus does not run there
     */
    public LoopbackNodeChannel channel(int index) {
        return LoopbackFabric.shared().channelOf(nodeId(index));
    }

    /**
     * The rdmabus counters of a node.
     *
     * @param index the node
     * @return its counters, or {@code null} when rdmabus did not install there
     */
    public HookCounters counters(int index) {
        BusHook hook = HookRegistry.hookOf(node(index));
        return hook == null ? null : hook.counters();
    }

    /**
     * Messages the channels of all nodes accepted so far, whichever channel runs there.
     *
     * @return the sum
     */
    public long channelSends() {
        long sum = 0;
        for (int i = 0; i < nodes.size(); i++) {
            HookCounters counters = counters(i);
            sum += counters == null ? 0 : counters.channelSends();
        }
        return sum;
    }

    /**
     * How many TCP connections Vert.x's clustered event bus of a node has opened to other nodes, read from its
     * private state: the proof that traffic did (not) take TCP.
     *
     * @param index the node
     * @return the number of outbound event-bus connections
     */
    public int tcpConnections(int index) {
        return tcpConnectionTargets(index).size();
    }

    /**
     * The nodes to which Vert.x's clustered event bus of a node has opened TCP connections.
     *
     * @param index the node
     * @return the node ids
     */
    public Set<String> tcpConnectionTargets(int index) {
        return tcpConnectionTargets(node(index));
    }

    /**
     * The nodes to which Vert.x's clustered event bus of a node has opened TCP connections, for nodes that are not
     * part of a {@code TestCluster} (e.g. in a child JVM).
     *
     * @param node a clustered node
     * @return the node ids
     */
    public static Set<String> tcpConnectionTargets(Vertx node) {
        try {
            Field field = ClusteredEventBus.class.getDeclaredField("outboundConnections");
            field.setAccessible(true);
            Set<String> targets = new HashSet<>();
            for (Object nodeId : ((Map<?, ?>) field.get(node.eventBus())).keySet()) {
                targets.add((String) nodeId);
            }
            return targets;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The TCP connections of all nodes.
     *
     * @return the sum of {@link #tcpConnections(int)}
     */
    public int tcpConnections() {
        int sum = 0;
        for (int i = 0; i < nodes.size(); i++) {
            sum += tcpConnections(i);
        }
        return sum;
    }

    /** Closes every node, the last started first; bounded. */
    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                Await.result(nodes.get(i).close(), CLOSE_TIMEOUT);
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
        }
        nodes.clear();
        for (HazelcastInstance member : members) {
            try {
                member.shutdown();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        members.clear();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("closing the cluster failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}
