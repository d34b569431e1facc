package org.rdmabus.transport.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the {@link NodeChannelFactory NodeChannelFactories} that a provider name asks for, among the service-loaded ones. */
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
     * The factories a provider name lets a node try, best first.
     *
     * @param provider {@code auto} for every factory {@linkplain NodeChannelFactory#offeredToAuto() offered to it} by
     *                 priority, or a factory name for that one alone
     * @return the candidates, of which at least the first passed its probe, or why there are none
     */
    public Choice choose(String provider) {
        if (factories.isEmpty()) {
            return Choice.none("no NodeChannelFactory found on the class path (add an rdmabus provider such as the soft or rdma fabric)");
        }
        if ("auto".equals(provider)) {
            List<NodeChannelFactory> byPriority = new ArrayList<>(factories);
            byPriority.removeIf(factory -> !factory.offeredToAuto());
            byPriority.sort(Comparator.comparingInt(NodeChannelFactory::priority).reversed());
            return Choice.of(new ProviderCandidates(byPriority, false));
        }
        for (NodeChannelFactory factory : factories) {
            if (factory.name().equals(provider)) {
                return Choice.of(new ProviderCandidates(List.of(factory), true));
            }
        }
        String names = factories.stream().map(NodeChannelFactory::name).sorted().collect(Collectors.joining(", "));
        return Choice.none("provider '" + provider + "' is not on the class path (found: " + names + ")");
    }

    /** The factories to try, or the reason none can be used. */
    public static final class Choice {
        private final ProviderCandidates candidates;
        private final String reason;

        private Choice(ProviderCandidates candidates, String reason) {
            this.candidates = candidates;
            this.reason = reason;
        }

        /** Probes up to the first usable candidate, so that a node with none is left untouched at installation. */
        static Choice of(ProviderCandidates candidates) {
            return candidates.hasNext() ? new Choice(candidates, null) : none(candidates.noneUsable());
        }

        static Choice none(String reason) {
            return new Choice(null, reason);
        }

        /**
         * The factories to try, best first.
         *
         * @return the candidates, or {@code null} when none can be used
         */
        public ProviderCandidates candidates() {
            return candidates;
        }

        /**
         * Why no factory can be used.
         *
         * @return the reason, or {@code null} when there are candidates
         */
        public String reason() {
            return reason;
        }
    }
}
