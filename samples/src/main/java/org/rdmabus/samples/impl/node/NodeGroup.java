package org.rdmabus.samples.impl.node;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** What a sample's launcher does with all of its node JVMs at once: name them, and wait until every one is ready. */
public final class NodeGroup {

    private NodeGroup() {
    }

    /**
     * @param nodes the started nodes.
     * @param name  how the user knows each.
     * @return {@code "starting a (pid 1), b (pid 2) ... "}, the line printed while they start.
     */
    public static <K> String startingLine(Map<K, NodeProcess> nodes, Function<K, String> name) {
        return "starting " + String.join(", ", nodes.entrySet().stream()
            .map(node -> name.apply(node.getKey()) + " (pid " + node.getValue().pid() + ")").toList()) + " ... ";
    }

    /**
     * Waits for every node's {@link LineProtocol#READY} event, polling them all in turn so that a node that fails is
     * reported at once, not after the others' time-out.
     *
     * @param nodes     the started nodes.
     * @param limit     how long all of them may take.
     * @param poll      how long each poll waits for one node.
     * @param stepField the field of progress events naming the node's current step, quoted if it is late; or
     *                  {@code null} when the nodes report none.
     * @return every node's ready event.
     * @throws SampleException naming the first node that failed or was late.
     */
    public static <K> Map<K, JsonObject> awaitReady(Map<K, NodeProcess> nodes, Duration limit, Duration poll,
                                                    String stepField) {
        long begin = System.nanoTime();
        Map<K, JsonObject> ready = new HashMap<>();
        Map<K, String> steps = new HashMap<>();
        while (ready.size() < nodes.size()) {
            for (Map.Entry<K, NodeProcess> node : nodes.entrySet()) {
                K key = node.getKey();
                if (!ready.containsKey(key)) {
                    node.getValue().poll(LineProtocol.READY, poll, progress -> {
                        if (stepField != null) {
                            steps.put(key, progress.getString(stepField));
                        }
                    }).ifPresent(event -> ready.put(key, event));
                }
            }
            if (ready.size() < nodes.size() && System.nanoTime() - begin > limit.toNanos()) {
                K late = nodes.keySet().stream().filter(key -> !ready.containsKey(key)).findFirst().orElseThrow();
                throw nodes.get(late).failure("was not ready within " + limit.toSeconds() + " s"
                    + (stepField == null ? "" : "; its last step: " + steps.getOrDefault(late, "starting the JVM")));
            }
        }
        return ready;
    }
}
