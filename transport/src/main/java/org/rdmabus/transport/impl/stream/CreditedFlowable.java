package org.rdmabus.transport.impl.stream;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.operators.SpscArrayQueue;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A single-subscriber {@link Flowable} fed by a completion poller, whose back-pressure is the fabric's receive
 * credits.
 * <p>
 * Each item holds one receive buffer, and so one of the sender's credits, until it is released. The poller
 * {@link #offer offers} items; they are emitted only as the subscriber {@code request}s them, on the
 * {@code executor} (a Vert.x context, never the poller thread), and released after {@code onNext} returns.
 * Items that arrive without demand wait in a queue whose capacity is the credits this stream can hold, so the
 * queue is bounded by construction: when it is full the sender has no credit left and waits.
 *
 * @param <T> the item type.
 */
public final class CreditedFlowable<T> extends Flowable<T> {
    private final SpscArrayQueue<T> queue;
    private final int credits;
    // The queue's capacity is rounded up to a power of two; this keeps the bound at exactly `credits`.
    private final AtomicInteger queued = new AtomicInteger();
    private final Executor executor;
    private final Consumer<? super T> release;
    private final Consumer<Throwable> subscriberFailures;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile Subscriber<? super T> subscriber;
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile Throwable failure;
    private volatile boolean terminateNow;

    /**
     * @param credits            the most items held without demand: the receive credits of this stream.
     * @param executor           where {@code onNext} runs.
     * @param release            returns an item's receive buffer; called exactly once per offered item.
     * @param subscriberFailures told when the subscriber throws from {@code onNext}.
     */
    public CreditedFlowable(int credits, Executor executor, Consumer<? super T> release,
                            Consumer<Throwable> subscriberFailures) {
        if (credits < 1) {
            throw new IllegalArgumentException("credits must be positive: " + credits);
        }
        this.credits = credits;
        this.queue = new SpscArrayQueue<>(credits);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.release = Objects.requireNonNull(release, "release");
        this.subscriberFailures = Objects.requireNonNull(subscriberFailures, "subscriberFailures");
    }

    /**
     * Hands an item over from the single producer thread.
     *
     * @param item the item; on {@code true} this stream owns it and will release it.
     * @return {@code false} if the stream is full or finished; the caller still owns the item.
     */
    public boolean offer(T item) {
        if (cancelled || done || queued.get() >= credits) {
            return false;
        }
        queued.incrementAndGet();
        queue.offer(item);
        schedule();
        return true;
    }

    /** Ends the stream after the queued items. */
    public void complete() {
        done = true;
        schedule();
    }

    /**
     * Ends the stream with an error after the queued items.
     *
     * @param error why.
     */
    public void fail(Throwable error) {
        failure = error;
        done = true;
        schedule();
    }

    /**
     * Ends the stream at once: items not yet emitted are released, and the subscriber, present or future, gets
     * {@code onComplete} (or {@code onError}) without waiting for demand.
     *
     * @param error why, or {@code null} to complete.
     */
    public void terminate(Throwable error) {
        if (error != null) {
            failure = error;
        }
        terminateNow = true;
        done = true;
        schedule();
    }

    /** @return whether the subscriber cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    protected void subscribeActual(Subscriber<? super T> s) {
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("this stream allows a single subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    // Reactive Streams rule 3.9: a non-positive request ends the stream with an error.
                    failure = new IllegalArgumentException("request(" + n + "): demand must be positive");
                    terminateNow = true;
                    done = true;
                } else {
                    requested.getAndAccumulate(n, CreditedFlowable::addCapped);
                }
                schedule();
            }

            @Override
            public void cancel() {
                cancelled = true;
                schedule();
            }
        });
        schedule();
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Subscriber<? super T> s = subscriber;
            if (s != null) {
                emit(s);
            } else if (cancelled || terminateNow) {
                releaseQueued();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void emit(Subscriber<? super T> s) {
        if (terminateNow && !cancelled) {
            cancelled = true;
            releaseQueued();
            Throwable error = failure;
            if (error != null) {
                s.onError(error);
            } else {
                s.onComplete();
            }
            return;
        }
        long emitted = 0;
        long demand = requested.get();
        while (true) {
            if (cancelled) {
                releaseQueued();
                return;
            }
            if (emitted == demand) {
                break;
            }
            T item = take();
            if (item == null) {
                break;
            }
            try {
                s.onNext(item);
            } catch (Throwable t) {
                cancelled = true;
                releaseQuietly(item);
                releaseQueued();
                subscriberFailures.accept(t);
                return;
            }
            releaseQuietly(item);
            emitted++;
        }
        if (emitted > 0 && demand != Long.MAX_VALUE) {
            requested.addAndGet(-emitted);
        }
        if (done && queue.isEmpty() && !cancelled) {
            cancelled = true;
            Throwable error = failure;
            if (error != null) {
                s.onError(error);
            } else {
                s.onComplete();
            }
        }
    }

    private T take() {
        T item = queue.poll();
        if (item != null) {
            queued.decrementAndGet();
        }
        return item;
    }

    private static long addCapped(long current, long n) {
        long sum = current + n;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private void releaseQueued() {
        T item;
        while ((item = take()) != null) {
            releaseQuietly(item);
        }
    }

    private void releaseQuietly(T item) {
        try {
            release.accept(item);
        } catch (RuntimeException e) {
            subscriberFailures.accept(e);
        }
    }
}
