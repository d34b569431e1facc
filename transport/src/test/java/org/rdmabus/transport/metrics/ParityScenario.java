package org.rdmabus.transport.metrics;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.rdmabus.transport.testing.Await;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The traffic both metrics comparisons run, once over TCP and once over the channel: node 0 sends, requests and
 * publishes to consumers on node 1 (and, for the publish, on itself), with a reply to a reply, a recipient failure,
 * no handlers, a timeout and a paused consumer that discards. Every address is fixed, so that both runs report the
 * same names; each step waits for its outcome before the next one starts.
 */
final class ParityScenario {

    private static final long TIMEOUT_MILLIS = 500;

    private final Vertx sender;
    private final Vertx receiver;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();

    /**
     * @param sender   node 0
     * @param receiver node 1
     */
    ParityScenario(Vertx sender, Vertx receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    /**
     * Runs every step.
     *
     * @param endStep called after each step with its name, once its outcome is in; it waits until the nodes are
     *                quiet, so that late callbacks still count for the step
     */
    void run(Consumer<String> endStep) {
        EventBus from = sender.eventBus();
        EventBus to = receiver.eventBus();
        Promise<String> sent = Promise.promise();
        List<String> published = new ArrayList<>();
        Promise<Void> bothPublished = Promise.promise();
        Promise<Message<String>> slow = Promise.promise();
        register(to.<String>consumer("parity.send", message -> sent.tryComplete(message.body())));
        register(to.<String>consumer("parity.echo", message -> message.reply("echo:" + message.body())));
        register(to.<String>consumer("parity.conversation", message -> message.<String>replyAndRequest("first")
            .onSuccess(second -> second.reply("third"))));
        register(to.<String>consumer("parity.fail", message -> message.fail(42, "refused")));
        register(to.<String>consumer("parity.slow", slow::tryComplete));
        register(to.<String>consumer("parity.publish", message -> published(published, message, bothPublished)));
        register(from.<String>consumer("parity.publish", message -> published(published, message, bothPublished)));
        MessageConsumerOptions oneBuffered = new MessageConsumerOptions().setAddress("parity.paused").setMaxBufferedMessages(1);
        register(to.<String>consumer(oneBuffered, message -> { }).pause());
        endStep.accept("register");

        from.send("parity.send", "one");
        assertEquals("one", Await.result(sent.future()));
        endStep.accept("send");

        assertEquals("echo:request", Await.result(from.<String>request("parity.echo", "request")).body());
        endStep.accept("request/reply");

        Message<String> first = Await.result(from.request("parity.conversation", "zero"));
        assertEquals("first", first.body());
        assertEquals("third", Await.result(first.<String>replyAndRequest("second")).body());
        endStep.accept("reply to a reply");

        from.publish("parity.publish", "everyone");
        Await.result(bothPublished.future());
        endStep.accept("publish to a local and a remote consumer");

        assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure(from.request("parity.fail", "x")).failureType());
        endStep.accept("RECIPIENT_FAILURE");

        assertEquals(ReplyFailure.NO_HANDLERS, failure(from.request("parity.nobody", "x")).failureType());
        endStep.accept("NO_HANDLERS");

        Future<Message<Object>> timingOut = from.request("parity.slow", "x", new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS));
        Await.result(slow.future());
        assertEquals(ReplyFailure.TIMEOUT, failure(timingOut).failureType());
        endStep.accept("TIMEOUT");

        for (int i = 0; i < 3; i++) {
            from.send("parity.paused", "paused-" + i);
        }
        // Both paths keep node 0's messages to node 1 in order: once this is answered, the three have arrived.
        assertEquals("echo:barrier", Await.result(from.<String>request("parity.echo", "barrier")).body());
        endStep.accept("a paused consumer buffers one and discards the rest");

        for (MessageConsumer<?> consumer : consumers) {
            Await.result(consumer.unregister());
        }
        endStep.accept("unregister");
    }

    private void register(MessageConsumer<?> consumer) {
        consumers.add(consumer);
        Await.result(consumer.completion());
    }

    private static synchronized void published(List<String> published, Message<String> message, Promise<Void> both) {
        published.add(message.body());
        if (published.size() == 2) {
            both.tryComplete();
        }
    }

    private static ReplyException failure(Future<?> request) {
        return assertInstanceOf(ReplyException.class, Await.failure(request));
    }
}
