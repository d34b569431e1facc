package org.rdmabus.transport.install;

import io.vertx.core.buffer.Buffer;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannelFactory;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NodeChannelFactory;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannelFactory;
import org.rdmabus.transport.impl.pool.SoftNodeChannelFactory;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Channel providers that let a node down in each way a real one can, for {@link ProviderFallbackTest}. They are
 * service-loaded only under {@link ScopedChannelFactories}, never on the plain test class path, so no other test's
 * {@code auto} sees them.
 */
final class FailingChannelFactories {

    /** What {@link FailsToStart} channels throw from {@code start}. */
    static final String START_FAILURE = "device fake0 has no DC queue pairs (test)";
    /** What {@link FailsToCreate} throws. */
    static final String CREATE_FAILURE = "no verbs device context (test)";
    /** What {@link FailsToDescribe} channels throw from {@code describe}. */
    static final String DESCRIBE_FAILURE = "describing the pool failed (test)";
    /** What {@link Unusable}'s probe says. */
    static final String PROBE_FAILURE = "no such device (test)";

    private static final List<StartFailingChannel> STARTED = new CopyOnWriteArrayList<>();

    private FailingChannelFactories() {
    }

    /**
     * The channels {@link FailsToStart} created whose start was called, since {@link #forget()}.
     *
     * @return the channels, oldest first
     */
    static List<StartFailingChannel> started() {
        return List.copyOf(STARTED);
    }

    /** Forgets the channels created so far. */
    static void forget() {
        STARTED.clear();
    }

    /** Its probe fails: passed over without a channel. */
    public static final class Unusable extends Named {
        /** Service-loaded. */
        public Unusable() {
            super("unusable", 40, PROBE_FAILURE);
        }

        @Override
        public NodeChannel create(RdmaEventBusOptions options) {
            throw new AssertionError("a provider whose probe failed was asked for a channel");
        }
    }

    /** Probes fine; its channel starts a real soft-fabric pool, then fails, like an RC-only device asked for DC. */
    public static final class FailsToStart extends Named {
        /** Service-loaded. */
        public FailsToStart() {
            super("failing-start", 30, null);
        }

        @Override
        public NodeChannel create(RdmaEventBusOptions options) {
            return new StartFailingChannel(new SoftNodeChannelFactory().create(options));
        }
    }

    /** Probes fine; creating its channel fails. */
    public static final class FailsToCreate extends Named {
        /** Service-loaded. */
        public FailsToCreate() {
            super("failing-create", 20, null);
        }

        @Override
        public NodeChannel create(RdmaEventBusOptions options) {
            throw new IllegalStateException(CREATE_FAILURE);
        }
    }

    /**
     * Starts a working loopback channel, which then fails when rdmabus describes it for the start-up line, i.e. in
     * rdmabus's own start after the event bus started.
     */
    public static final class FailsToDescribe extends Named {
        /** Service-loaded. */
        public FailsToDescribe() {
            super("failing-describe", 10, null);
        }

        @Override
        public NodeChannel create(RdmaEventBusOptions options) {
            return new DescribeFailingChannel(new LoopbackNodeChannelFactory().create(options));
        }
    }

    /**
     * The in-JVM loopback channel, offered to {@code auto} (the plain loopback factory is not): the working provider
     * below the failing ones, for nodes that all run in this JVM.
     */
    public static final class WorkingLoopback extends Named {
        /** Service-loaded. */
        public WorkingLoopback() {
            super("loopback", 0, null);
        }

        @Override
        public NodeChannel create(RdmaEventBusOptions options) {
            return new LoopbackNodeChannelFactory().create(options);
        }
    }

    /** Name, priority and probe result of a test provider. */
    private abstract static class Named implements NodeChannelFactory {
        private final String name;
        private final int priority;
        private final String unavailable;

        Named(String name, int priority, String unavailable) {
            this.name = name;
            this.priority = priority;
            this.unavailable = unavailable;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public String unavailableReason() {
            return unavailable;
        }
    }

    /**
     * A soft-fabric channel whose start allocates the pool (queue pairs, shared-memory files, poller threads) and then
     * throws: only {@link #close()} releases what it holds. Every call but the life-cycle ones fails, because the hook
     * must not use a channel that did not start.
     */
    static final class StartFailingChannel implements NodeChannel {
        private final NodeChannel pool;
        private volatile int closes;

        StartFailingChannel(NodeChannel pool) {
            this.pool = pool;
        }

        /** @return how many times {@link #close()} ran */
        int closes() {
            return closes;
        }

        @Override
        public void onInbound(InboundHandler handler) {
            pool.onInbound(handler);
        }

        @Override
        public void onPeerFailure(Consumer<String> handler) {
            pool.onPeerFailure(handler);
        }

        @Override
        public void start(String localNodeId) {
            STARTED.add(this);
            pool.start(localNodeId);
            throw new IllegalStateException(START_FAILURE);
        }

        @Override
        public void close() {
            closes++;
            pool.close();
        }

        @Override
        public String describe() {
            throw notStarted();
        }

        @Override
        public String localAdvertisement() {
            throw notStarted();
        }

        @Override
        public void peerAdvertised(String nodeId, String advertisement) {
            throw notStarted();
        }

        @Override
        public void advertisementLookup(Function<String, CompletionStage<String>> lookup) {
            throw notStarted();
        }

        @Override
        public void peerLeft(String nodeId) {
            throw notStarted();
        }

        @Override
        public boolean reaches(String nodeId) {
            throw notStarted();
        }

        @Override
        public boolean send(String nodeId, Buffer message) {
            throw notStarted();
        }

        private static AssertionError notStarted() {
            return new AssertionError("the hook used a channel that did not start");
        }
    }

    /** A working channel, but {@link #describe()} throws. */
    static final class DescribeFailingChannel implements NodeChannel {
        private final NodeChannel channel;

        DescribeFailingChannel(NodeChannel channel) {
            this.channel = channel;
        }

        @Override
        public String describe() {
            throw new IllegalStateException(DESCRIBE_FAILURE);
        }

        @Override
        public void start(String localNodeId) {
            channel.start(localNodeId);
        }

        @Override
        public String localAdvertisement() {
            return channel.localAdvertisement();
        }

        @Override
        public void peerAdvertised(String nodeId, String advertisement) {
            channel.peerAdvertised(nodeId, advertisement);
        }

        @Override
        public void advertisementLookup(Function<String, CompletionStage<String>> lookup) {
            channel.advertisementLookup(lookup);
        }

        @Override
        public void peerLeft(String nodeId) {
            channel.peerLeft(nodeId);
        }

        @Override
        public boolean reaches(String nodeId) {
            return channel.reaches(nodeId);
        }

        @Override
        public boolean send(String nodeId, Buffer message) {
            return channel.send(nodeId, message);
        }

        @Override
        public boolean send(String nodeId, Buffer message, Consumer<Throwable> outcome) {
            return channel.send(nodeId, message, outcome);
        }

        @Override
        public void whenSettled(String nodeId, Runnable action) {
            channel.whenSettled(nodeId, action);
        }

        @Override
        public void checkAlive(String nodeId) {
            channel.checkAlive(nodeId);
        }

        @Override
        public void onInbound(InboundHandler handler) {
            channel.onInbound(handler);
        }

        @Override
        public void onPeerFailure(Consumer<String> handler) {
            channel.onPeerFailure(handler);
        }

        @Override
        public void close() {
            channel.close();
        }
    }
}
