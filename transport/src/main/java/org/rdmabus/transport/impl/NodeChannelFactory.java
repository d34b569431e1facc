package org.rdmabus.transport.impl;

import org.rdmabus.transport.RdmaEventBusOptions;

/**
 * Service-loaded ({@link java.util.ServiceLoader}) source of {@link NodeChannel}s. A factory is picked by
 * {@link RdmaEventBusOptions#getProvider()}: by {@link #name()}, or for {@code auto} the factory with the highest
 * {@link #priority()} whose probe passes and whose channel is created and starts; a factory whose channel fails is
 * passed over for the next one.
 */
public interface NodeChannelFactory {

    /**
     * The provider name users select, e.g. {@code "rdma"} or {@code "soft"}.
     *
     * @return a short lower-case name
     */
    String name();

    /**
     * Preference under {@code provider=auto}; the highest usable factory wins.
     *
     * @return the priority, higher is preferred
     */
    int priority();

    /**
     * Whether {@code provider=auto} may pick this factory. A factory that can never reach another JVM (the tests'
     * in-JVM loopback) answers {@code false}: under {@code auto} it would claim a channel that carries nothing, so it is
     * used only where it is named.
     *
     * @return {@code true} unless the factory must be asked for by name
     */
    default boolean offeredToAuto() {
        return true;
    }

    /**
     * Why this factory cannot create a channel on this machine now.
     *
     * @return {@code null} when usable, otherwise a reason for the start-up log
     */
    String unavailableReason();

    /**
     * Creates the channel of one Vert.x instance.
     *
     * @param options the effective rdmabus options
     * @return a channel that has not been started
     * @throws Exception when the channel cannot be created; the node then tries the next factory (under {@code auto})
     *     or stays on TCP, and logs the cause
     */
    NodeChannel create(RdmaEventBusOptions options) throws Exception;
}
