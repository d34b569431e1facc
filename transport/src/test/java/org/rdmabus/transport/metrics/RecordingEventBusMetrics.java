package org.rdmabus.transport.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The event-bus metrics of one node, as Vert.x reports them to a metrics implementation: every callback, with its
 * arguments, grouped by the scenario step during which it came. Within a step the calls are kept sorted, because
 * Vert.x itself makes some of them concurrently (a reply can be read before the request's write is reported, and a
 * publish reports each destination as it goes); the steps themselves are sequential.
 *
 * <p>Reply addresses are random per request: they are recorded as {@code __vertx.reply.*}.
 */
final class RecordingEventBusMetrics implements EventBusMetrics<String> {

    private static final Pattern REPLY_ADDRESS = Pattern.compile("__vertx\\.reply\\.[0-9a-f-]+");

    private final List<String> current = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();

    /** One step of the scenario and the calls made during it, sorted. */
    record Step(String name, List<String> calls) {
        @Override
        public String toString() {
            return name + " " + calls;
        }
    }

    /**
     * A metrics factory for {@code Vertx.builder().withMetrics(..)} whose instance reports to this recorder.
     *
     * @return the factory
     */
    VertxMetricsFactory factory() {
        EventBusMetrics<String> recorder = this;
        return (VertxOptions options) -> new VertxMetrics() {
            @Override
            public EventBusMetrics<?> createEventBusMetrics() {
                return recorder;
            }
        };
    }

    /** How many calls the current step got so far, to see when the node has gone quiet. */
    synchronized int callsSoFar() {
        return current.size();
    }

    /**
     * Ends the current step.
     *
     * @param name the step's name
     */
    synchronized void endStep(String name) {
        List<String> calls = new ArrayList<>(current);
        Collections.sort(calls);
        steps.add(new Step(name, List.copyOf(calls)));
        current.clear();
    }

    /** @return every step ended so far */
    synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    private synchronized void record(String call) {
        current.add(REPLY_ADDRESS.matcher(call).replaceAll("__vertx.reply.*"));
    }

    @Override
    public String handlerRegistered(String address) {
        record("handlerRegistered " + address);
        return address;
    }

    @Override
    public void handlerUnregistered(String handler) {
        record("handlerUnregistered " + handler);
    }

    @Override
    public void scheduleMessage(String handler, boolean local) {
        record("scheduleMessage " + handler + " local=" + local);
    }

    @Override
    public void discardMessage(String handler, boolean local, Message<?> msg) {
        record("discardMessage " + handler + " local=" + local + " body=" + msg.body());
    }

    @Override
    public void messageDelivered(String handler, boolean local) {
        record("messageDelivered " + handler + " local=" + local);
    }

    @Override
    public void messageSent(String address, boolean publish, boolean local, boolean remote) {
        record("messageSent " + address + " publish=" + publish + " local=" + local + " remote=" + remote);
    }

    @Override
    public void messageReceived(String address, boolean publish, boolean local, int handlers) {
        record("messageReceived " + address + " publish=" + publish + " local=" + local + " handlers=" + handlers);
    }

    @Override
    public void messageWritten(String address, int numberOfBytes) {
        record("messageWritten " + address + " bytes=" + numberOfBytes);
    }

    @Override
    public void messageRead(String address, int numberOfBytes) {
        record("messageRead " + address + " bytes=" + numberOfBytes);
    }

    @Override
    public void replyFailure(String address, ReplyFailure failure) {
        record("replyFailure " + address + " " + failure);
    }
}
