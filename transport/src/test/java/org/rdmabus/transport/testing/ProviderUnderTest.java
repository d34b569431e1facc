package org.rdmabus.transport.testing;

import io.vertx.core.Vertx;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.Fabrics;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The channel provider a test class runs rdmabus over, for suites that run unchanged over several providers
 * ({@code soft}, {@code rdma}): whether the suite can run here, and the proof that a node's event bus really took
 * that provider's channel.
 *
 * <p>A provider that needs a device ({@code rdma}) is skipped, visibly and per test, where its fabric finds none;
 * with {@code -Drdmabus.verbs.required=true} (the Soft-RoCE VM run) nothing is skipped, and a node that ends up on
 * TCP or on another fabric fails the suite with its start-up line as the reason.
 */
public final class ProviderUnderTest {

    /** The system property that turns a missing device from a skip into a failure (as in the native module). */
    public static final String REQUIRED_PROPERTY = "rdmabus.verbs.required";

    /** Providers that need an RDMA device; the soft fabric works wherever this project builds. */
    private static final Set<String> NEED_A_DEVICE = Set.of("rdma");

    private ProviderUnderTest() {
    }

    /**
     * Why a suite over a provider cannot run here.
     *
     * @param provider the provider the suite runs over
     * @return the reason to skip every test of the suite, or {@code null} to run it (always when the device is
     *     required: then a node that cannot take the provider fails the suite instead)
     */
    public static String skipReason(String provider) {
        if (!NEED_A_DEVICE.contains(provider) || Boolean.getBoolean(REQUIRED_PROPERTY)) {
            return null;
        }
        String why;
        try {
            Fabric fabric = Fabrics.byName(provider);
            FabricStatus status = fabric.probe();
            if (status.available()) {
                return null;
            }
            why = status.reason() + ": " + status.detail();
        } catch (FabricUnavailableException e) {
            why = e.getMessage();
        }
        return "the '" + provider + "' provider has no device here (" + why + "); native/src/test/vm/run-eventbus-tests.sh"
            + " runs this suite on Soft-RoCE, and -D" + REQUIRED_PROPERTY + "=true fails instead of skipping";
    }

    /**
     * Fails unless a node's event bus takes the provider's channel: rdmabus active, and its pool advertising a
     * target of that provider.
     *
     * @param provider the provider the node was configured with
     * @param who      the node, for the message
     * @param node     the node
     * @param startUp  the log captured while the node started
     */
    public static void assertTakes(String provider, String who, Vertx node, LogCapture startUp) {
        assertTook(provider, who, RdmaEventBus.status(node).isActive() ? fabricOf(node) : null, startUpLine(node, startUp));
    }

    /**
     * A node's start-up line: its status where rdmabus installed on it; otherwise what rdmabus logged while it
     * started, since a provider that is not usable here leaves no hook to ask.
     *
     * @param node    the node
     * @param startUp the log captured while the node started
     * @return the line
     */
    public static String startUpLine(Vertx node, LogCapture startUp) {
        if (HookRegistry.hookOf(node) != null) {
            return RdmaEventBus.status(node).getDescription();
        }
        List<String> logged = startUp.messages(Level.INFO).stream().filter(line -> line.startsWith("rdmabus: ")).distinct().toList();
        return logged.isEmpty() ? RdmaEventBus.status(node).getDescription() : String.join(" / ", logged);
    }

    /**
     * Fails unless a node reported that it took the provider's channel (for nodes in other JVMs).
     *
     * @param provider    the provider the node was configured with
     * @param who         the node, for the message
     * @param fabric      the provider of the node's advertised target, {@code null} when it runs no pool channel
     * @param startUpLine the node's start-up line
     */
    public static void assertTook(String provider, String who, String fabric, String startUpLine) {
        assertEquals(provider, fabric, who + " was to carry its event bus over the '" + provider
            + "' channel, but its start-up line says: " + startUpLine);
    }

    /**
     * The fabric a node's channel runs on, read from the target address its pool advertises.
     *
     * @param node a clustered node
     * @return the provider's name, or {@code null} when the node runs no started pool channel
     */
    public static String fabricOf(Vertx node) {
        BusHook hook = HookRegistry.hookOf(node);
        NodeChannel channel = hook == null ? null : hook.channel();
        QpPool pool = channel instanceof PoolNodeChannel poolChannel ? poolChannel.pool() : null;
        return pool == null ? null : pool.advertisedAddress().provider();
    }
}
