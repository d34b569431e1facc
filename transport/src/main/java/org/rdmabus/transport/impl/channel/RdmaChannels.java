package org.rdmabus.transport.impl.channel;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.Objects;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaChannelUnavailableException;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookRegistry;

/** Finds the warm pool of a Vert.x instance through the hook's registry and opens its {@link RdmaChannel}. */
public final class RdmaChannels {
    private RdmaChannels() {
    }

    /**
     * @param vertx a clustered Vert.x instance.
     * @return its open channel.
     * @throws RdmaChannelUnavailableException if rdmabus does not run over a fabric there, or a channel is open.
     */
    public static RdmaChannel open(Vertx vertx) {
        Objects.requireNonNull(vertx, "vertx");
        BusHook hook = HookRegistry.hookOf(vertx);
        if (hook == null) {
            throw new RdmaChannelUnavailableException(RdmaEventBus.status(vertx).getDescription());
        }
        NodeChannel channel = hook.channel();
        if (!(channel instanceof PoolNodeChannel pooled) || pooled.channelEndpoint() == null) {
            throw new RdmaChannelUnavailableException("rdmabus on this Vert.x instance does not run over a fabric's "
                + "warm pool: " + hook.description());
        }
        Context current = Vertx.currentContext();
        VertxInternal internal = (VertxInternal) vertx;
        ContextInternal context = current != null && current.owner() == vertx
            ? (ContextInternal) current : internal.createEventLoopContext();
        return pooled.channelEndpoint().open(internal, context);
    }
}
