package org.rdmabus.transport.impl.vertx;

import java.util.function.Consumer;

/** Decides, once per destination, whether its traffic can take the channel. */
@FunctionalInterface
interface PathResolver {

    /**
     * Decides the path of a destination, possibly asynchronously (a cluster lookup, a TLS check).
     *
     * @param nodeId   the destination's node id
     * @param decision receives {@link Path#CHANNEL} or {@link Path#TCP}, exactly once, on any thread
     */
    void resolve(String nodeId, Consumer<Path> decision);
}
