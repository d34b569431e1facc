package org.rdmabus.transport.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Picks the {@link NodeChannelFactory} that a provider name asks for, among the service-loaded ones. */
public final class NodeChannelFactories {

    private final List<NodeChannelFactory> factories;

    /**
     * Over an explicit list of factories.
     *
     * @param factories the candidates
     */
    public NodeChannelFactories(List<NodeChannelFactory> factories) {
        this.factories = List.copyOf(factories);
    }

    /**
     * Over the factories {@link ServiceLoader} finds through a class loader.
     *
     * @param loader the class loader to search
     * @return the candidates found
     */
    public static NodeChannelFactories load(ClassLoader loader) {
        List<NodeChannelFactory> found = new ArrayList<>();
        ServiceLoader.load(NodeChannelFactory.class, loader).forEach(found::add);
        return new NodeChannelFactories(found);
    }

    /**
     * The factory for a provider name.
     *
     * @param provider {@code auto} for the usable factory with the highest priority, or a factory name
     * @return the choice, or why there is none
     */
    public Choice choose(String provider) {
        if (factories.isEmpty()) {
            return Choice.none("no NodeChannelFactory found on the class path (add an rdmabus provider such as the soft or rdma fabric)");
        }
        if ("auto".equals(provider)) {
            List<NodeChannelFactory> byPriority = new ArrayList<>(factories);
            byPriority.sort(Comparator.comparingInt(NodeChannelFactory::priority).reversed());
            List<String> reasons = new ArrayList<>();
            for (NodeChannelFactory factory : byPriority) {
                String reason = factory.unavailableReason();
                if (reason == null) {
                    return Choice.of(factory);
                }
                reasons.add(factory.name() + ": " + reason);
            }
            return Choice.none("no channel provider is usable here (" + String.join("; ", reasons) + ")");
        }
        for (NodeChannelFactory factory : factories) {
            if (factory.name().equals(provider)) {
                String reason = factory.unavailableReason();
                return reason == null ? Choice.of(factory) : Choice.none("provider '" + provider + "' is not usable here: " + reason);
            }
        }
        String names = factories.stream().map(NodeChannelFactory::name).sorted().collect(Collectors.joining(", "));
        return Choice.none("provider '" + provider + "' is not on the class path (found: " + names + ")");
    }

    /** A chosen factory, or the reason none can be used. */
    public static final class Choice {
        private final NodeChannelFactory factory;
        private final String reason;

        private Choice(NodeChannelFactory factory, String reason) {
            this.factory = factory;
            this.reason = reason;
        }

        static Choice of(NodeChannelFactory factory) {
            return new Choice(factory, null);
        }

        static Choice none(String reason) {
            return new Choice(null, reason);
        }

        /**
         * The chosen factory.
         *
         * @return the factory, or {@code null} when none can be used
         */
        public NodeChannelFactory factory() {
            return factory;
        }

        /**
         * Why no factory can be used.
         *
         * @return the reason, or {@code null} when a factory was chosen
         */
        public String reason() {
            return reason;
        }
    }
}
