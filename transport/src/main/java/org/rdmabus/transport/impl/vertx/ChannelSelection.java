package org.rdmabus.transport.impl.vertx;

import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NodeChannelFactory;
import org.rdmabus.transport.impl.ProviderCandidates;

import java.util.function.Consumer;

/**
 * Which provider's channel one node takes: the best candidate whose channel is created and starts. A channel that
 * fails is closed before the next candidate's is created, so a failed pool leaves no threads, queue pairs or
 * shared-memory files behind; what went wrong is kept for the start-up line.
 *
 * <p>Creating and starting are separate steps: a channel that fails to start is closed before the next is
 * created. Used by one start-up sequence, one step after the other.
 */
final class ChannelSelection {

    private final ProviderCandidates candidates;
    private final RdmaEventBusOptions options;
    private final Consumer<NodeChannel> wiring;
    private NodeChannelFactory current;
    private boolean anyFailed;

    /**
     * @param candidates the providers to try, best first
     * @param options    the options every channel is created with
     * @param wiring     registers the handlers on a new channel, before it starts
     */
    ChannelSelection(ProviderCandidates candidates, RdmaEventBusOptions options, Consumer<NodeChannel> wiring) {
        this.candidates = candidates;
        this.options = options;
        this.wiring = wiring;
    }

    /**
     * Creates the channel of the best candidate left whose channel can be created.
     *
     * @return a channel, not started; {@code null} when every candidate was passed over
     */
    NodeChannel createNext() {
        for (NodeChannelFactory factory = candidates.next(); factory != null; factory = candidates.next()) {
            try {
                NodeChannel created = factory.create(options);
                wiring.accept(created);
                current = factory;
                return created;
            } catch (Exception | LinkageError e) {
                anyFailed = true;
                candidates.reject(factory, "its channel could not be created: " + e);
            }
        }
        current = null;
        return null;
    }

    /**
     * Closes the channel that {@link #createNext()} returned last, which failed to start, and creates the next one.
     *
     * @param failed the channel
     * @param cause  why it did not start
     * @return the next channel, not started; {@code null} when every candidate was passed over
     */
    NodeChannel startFailed(NodeChannel failed, Throwable cause) {
        anyFailed = true;
        String reason = "its channel could not start: " + cause;
        try {
            failed.close();
        } catch (RuntimeException e) {
            reason += " (and closing it failed: " + e + ")";
        }
        candidates.reject(current, reason);
        return createNext();
    }

    /**
     * The provider of the channel {@link #createNext()} returned last.
     *
     * @return its name
     */
    String provider() {
        return current.name();
    }

    /**
     * Why each provider better than the current one was passed over.
     *
     * @return text to append to the start-up line, empty when the best one is taken
     */
    String passedOver() {
        return candidates.passedOver();
    }

    /**
     * Whether a provider was passed over because creating or starting its channel failed, rather than because its
     * probe said it cannot run here.
     *
     * @return {@code true} after any such failure
     */
    boolean anyFailed() {
        return anyFailed;
    }

    /**
     * Why the node has no channel, once {@link #createNext()} or {@link #startFailed} returned {@code null}.
     *
     * @return the reason for each provider
     */
    String noneUsable() {
        return candidates.noneUsable();
    }
}
