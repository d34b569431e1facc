package org.rdmabus.samples.ticker;

import io.reactivex.rxjava3.core.Flowable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The messages of an event-bus consumer as a back-pressured {@link Flowable}: {@code request(n)} becomes the
 * consumer's {@code fetch(n)}, so Vert.x hands over only as many messages as the subscriber asked for.
 *
 * <p>What happens to the others is Vert.x's rule, not back-pressure on the sender: a paused consumer buffers up to
 * {@link MessageConsumerOptions#setMaxBufferedMessages(int) maxBufferedMessages} messages and drops the rest (with a
 * warning in Vert.x's log). A slow subscriber therefore holds a bounded number of messages, and loses the excess,
 * while the publisher is never slowed down. A transport with credits (rdmabus's {@code RdmaChannel}) pushes back on
 * the sender instead.
 *
 * <p>The consumer is created on {@code context} (an event-loop context) when a subscriber subscribes, and every signal
 * ({@code onNext}, {@code onComplete}, {@code onError}) comes from that context, one at a time. {@code request} and
 * {@code cancel} may be called from any thread; a request made on the context (from {@code onNext}) takes effect at
 * once, one from elsewhere as the context's next task. Cancelling unregisters the consumer; a consumer unregistered
 * otherwise (its Vert.x closing) completes the stream. One subscriber at most.
 *
 * @param <T> the messages' body type.
 */
public final class MessageConsumerFlowable<T> extends Flowable<Message<T>> {

    private final Context context;
    private final MessageConsumerOptions options;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Promise<Void> registered = Promise.promise();

    /**
     * @param context the event-loop context the consumer lives on: where messages are delivered and signals come
     *                from.
     * @param options the consumer's address and buffer; copied.
     */
    public MessageConsumerFlowable(Context context, MessageConsumerOptions options) {
        this.context = Objects.requireNonNull(context, "context");
        if (!context.isEventLoopContext()) {
            throw new IllegalArgumentException("the consumer's context must be an event-loop context: its one thread "
                + "is where every signal comes from");
        }
        this.options = new MessageConsumerOptions(Objects.requireNonNull(options, "options"));
        if (this.options.getAddress() == null) {
            throw new IllegalArgumentException("the consumer options need an address");
        }
    }

    /**
     * @return completed once the subscriber's consumer is registered, cluster-wide on a clustered event bus; failed
     *     if registering failed or the subscriber cancelled first.
     */
    public Future<Void> registered() {
        return registered.future();
    }

    @Override
    protected void subscribeActual(Subscriber<? super Message<T>> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new NoSubscription());
            subscriber.onError(new IllegalStateException("a MessageConsumerFlowable takes one subscriber"));
            return;
        }
        ConsumerSubscription subscription = new ConsumerSubscription(subscriber);
        // Queued before onSubscribe, so that it runs before any request the subscriber makes from there.
        context.runOnContext(ignored -> subscription.register());
        subscriber.onSubscribe(subscription);
    }

    /** What a refused second subscriber gets: its onError follows at once, so there is nothing to request. */
    private static final class NoSubscription implements Subscription {
        @Override
        public void request(long n) {
            // Terminated already.
        }

        @Override
        public void cancel() {
            // Terminated already.
        }
    }

    /** The one subscriber's subscription: demand goes to the consumer, and its messages come back as signals. */
    private final class ConsumerSubscription implements Subscription {
        private final Subscriber<? super Message<T>> subscriber;
        /** Set on the context only. */
        private MessageConsumer<T> consumer;
        /** The context's thread, once the consumer is registered on it. */
        private volatile Thread contextThread;
        /** Read on the context; set from any thread, so that no signal follows a cancel. */
        private volatile boolean cancelled;
        /** Set on the context only, where every signal comes from. */
        private boolean terminated;

        private ConsumerSubscription(Subscriber<? super Message<T>> subscriber) {
            this.subscriber = subscriber;
        }

        private void register() {
            if (cancelled) {
                registered.tryFail(new IllegalStateException("cancelled before the consumer was registered"));
                return;
            }
            contextThread = Thread.currentThread();
            consumer = context.owner().eventBus().consumer(options);
            // Paused: no message is handed over before the subscriber asks for it.
            consumer.pause();
            consumer.endHandler(ignored -> complete());
            consumer.handler(this::next);
            consumer.completion().onComplete(registered).onFailure(this::fail);
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                // Reactive Streams rule 3.9: a non-positive request is an error, signalled from the context.
                context.runOnContext(ignored -> {
                    fail(new IllegalArgumentException("request(" + n + "): a request must be positive"));
                    unregister();
                });
                return;
            }
            if (Thread.currentThread() == contextThread) {
                // Asked from onNext: demand now, not behind the messages already queued on the context.
                fetch(n);
            } else {
                context.runOnContext(ignored -> fetch(n));
            }
        }

        private void fetch(long n) {
            if (!cancelled && !terminated) {
                consumer.fetch(n);
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            context.runOnContext(ignored -> unregister());
        }

        private void next(Message<T> message) {
            if (!cancelled && !terminated) {
                subscriber.onNext(message);
            }
        }

        private void complete() {
            if (!cancelled && !terminated) {
                terminated = true;
                subscriber.onComplete();
            }
        }

        private void fail(Throwable failure) {
            if (!cancelled && !terminated) {
                terminated = true;
                subscriber.onError(failure);
            }
        }

        private void unregister() {
            if (consumer != null) {
                MessageConsumer<T> current = consumer;
                consumer = null;
                // Ours, not the end of the stream: the end handler must not complete a cancelled subscriber.
                terminated = true;
                current.unregister();
            }
        }
    }
}
