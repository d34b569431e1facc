package org.rdmabus.transport.reliability;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving side of one node of the reliability tests, the same in the test JVM and in child JVMs
 * ({@link TrafficNodeMain}). Named {@code N}, it consumes:
 * <ul>
 *   <li>{@code rel.N.echo}: answers {@code "N|" + body}, after an optional delay (to keep requests in flight);</li>
 *   <li>{@code rel.N.seq}: sequenced sends, {@code "<sender incarnation>|<kind>|<number>"}, checked by a
 *       {@link SequenceLedger};</li>
 *   <li>{@code rel.all.pub}: sequenced publishes, checked by the same ledger.</li>
 * </ul>
 */
final class TrafficNode {

    /** The address every node subscribes to for publishes. */
    static final String PUBLISH_ADDRESS = "rel.all.pub";

    private final Vertx vertx;
    private final String name;
    private final long echoDelayMillis;
    private final SequenceLedger ledger = new SequenceLedger();
    private final AtomicLong echoed = new AtomicLong();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final String incarnation;

    /**
     * @param vertx           the clustered node
     * @param name            the node's name in the test, e.g. {@code "A"}
     * @param echoDelayMillis how long the echo waits before answering; 0 for at once
     */
    TrafficNode(Vertx vertx, String name, long echoDelayMillis) {
        this.vertx = vertx;
        this.name = name;
        this.echoDelayMillis = echoDelayMillis;
        this.incarnation = name + "@" + ((VertxInternal) vertx).clusterManager().getNodeId();
    }

    /** @return the address a node's echo serves */
    static String echoAddress(String name) {
        return "rel." + name + ".echo";
    }

    /** @return the address a node's sequenced-send consumer serves */
    static String sequenceAddress(String name) {
        return "rel." + name + ".seq";
    }

    /** @return the name, e.g. {@code "A"} */
    String name() {
        return name;
    }

    /** @return the name and the cluster node id: a restarted node is another incarnation */
    String incarnation() {
        return incarnation;
    }

    /** @return the node */
    Vertx vertx() {
        return vertx;
    }

    /** @return what arrived, per sender stream */
    SequenceLedger ledger() {
        return ledger;
    }

    /**
     * Registers the consumers, everywhere in the cluster.
     *
     * @return completes when every registration has propagated
     */
    Future<Void> start() {
        EventBus bus = vertx.eventBus();
        consumers.add(bus.<String>consumer(echoAddress(name), this::echo));
        consumers.add(bus.<String>consumer(sequenceAddress(name), this::recordSequenced));
        consumers.add(bus.<String>consumer(PUBLISH_ADDRESS, this::recordSequenced));
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
    }

    /**
     * Unregisters every consumer: from then on nothing more is recorded, so {@link #stats()} is final.
     *
     * @return completes when the registrations are gone
     */
    Future<Void> stopServing() {
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }

    /** @return {@code incarnation}, {@code echoed} and {@code received} (the ledger's summary) */
    JsonObject stats() {
        return new JsonObject().put("incarnation", incarnation).put("echoed", echoed.get()).put("received", ledger.summary());
    }

    private void echo(Message<String> request) {
        echoed.incrementAndGet();
        if (echoDelayMillis <= 0) {
            request.reply(name + "|" + request.body());
        } else {
            vertx.setTimer(echoDelayMillis, id -> request.reply(name + "|" + request.body()));
        }
    }

    private void recordSequenced(Message<String> message) {
        String body = message.body();
        int last = body.lastIndexOf('|');
        ledger.record(body.substring(0, last), Long.parseLong(body.substring(last + 1)));
    }
}
