package org.rdmabus.transport.impl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The channel providers one node may try, best first, and why each one it passed over was not taken.
 *
 * <p>Probing is lazy: a factory is probed only when every better one has been passed over, so a node on a working
 * NIC never probes (and never prepares the shared memory of) the software fabric. A probe that passes is no promise
 * that the channel starts: the caller reports what went wrong later with {@link #reject}, then asks for the next.
 *
 * <p>Not thread-safe: one start-up sequence uses it, one step after the other.
 */
public final class ProviderCandidates {

    private final Iterator<NodeChannelFactory> bestFirst;
    private final boolean explicit;
    private final List<PassedOver> passedOver = new ArrayList<>();
    private NodeChannelFactory upcoming;

    /**
     * Over factories in the order to try them.
     *
     * @param bestFirst the factories, the preferred one first
     * @param explicit  whether the user named the provider (then {@code bestFirst} holds just that one)
     */
    public ProviderCandidates(List<NodeChannelFactory> bestFirst, boolean explicit) {
        this.bestFirst = List.copyOf(bestFirst).iterator();
        this.explicit = explicit;
    }

    /**
     * Whether a factory whose probe passes is left, probing the next ones if needed.
     *
     * @return {@code true} when {@link #next()} returns a factory
     */
    public boolean hasNext() {
        while (upcoming == null && bestFirst.hasNext()) {
            NodeChannelFactory factory = bestFirst.next();
            String reason = factory.unavailableReason();
            if (reason == null) {
                upcoming = factory;
            } else {
                reject(factory, reason);
            }
        }
        return upcoming != null;
    }

    /**
     * The best factory not tried yet whose probe passes.
     *
     * @return the factory, or {@code null} when none is left
     */
    public NodeChannelFactory next() {
        if (!hasNext()) {
            return null;
        }
        NodeChannelFactory factory = upcoming;
        upcoming = null;
        return factory;
    }

    /**
     * Records why a factory is passed over.
     *
     * @param factory a factory {@link #next()} returned
     * @param reason  why its channel is not used, e.g. {@code "its channel could not start: ..."}
     */
    public void reject(NodeChannelFactory factory, String reason) {
        passedOver.add(new PassedOver(factory.name(), reason));
    }

    /**
     * Why each provider better than the one taken was passed over, to append to the start-up line.
     *
     * @return {@code "; not 'rdma': <reason>"} for each, best first; empty when the best one was taken
     */
    public String passedOver() {
        return passedOver.stream().map(each -> "; not '" + each.provider + "': " + each.reason).collect(Collectors.joining());
    }

    /**
     * Why no provider is used, once every one was passed over.
     *
     * @return the reason for each provider, in the wording of the start-up line
     */
    public String noneUsable() {
        if (explicit && passedOver.size() == 1) {
            PassedOver only = passedOver.get(0);
            return "provider '" + only.provider + "' is not usable here: " + only.reason;
        }
        return passedOver.stream().map(each -> each.provider + ": " + each.reason)
            .collect(Collectors.joining("; ", "no channel provider is usable here (", ")"));
    }

    private record PassedOver(String provider, String reason) {
    }
}
