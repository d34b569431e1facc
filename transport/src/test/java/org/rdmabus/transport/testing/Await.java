package org.rdmabus.transport.testing;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: nothing here blocks longer than its timeout. */
public final class Await {

    /** The default bound for a single asynchronous result (30 s, {@linkplain TestTimes stretched} on slow machines). */
    public static final Duration DEFAULT = TestTimes.scaled(Duration.ofSeconds(30));

    private Await() {
    }

    /**
     * The result of a future.
     *
     * @param future the future
     * @param <T>    its type
     * @return the result
     * @throws AssertionError when it fails (with the failure as cause) or takes longer than {@link #DEFAULT}
     */
    public static <T> T result(Future<T> future) {
        return result(future, DEFAULT);
    }

    /**
     * The result of a future.
     *
     * @param future  the future
     * @param timeout how long to wait
     * @param <T>     its type
     * @return the result
     * @throws AssertionError when it fails (with the failure as cause) or takes longer than the timeout
     */
    public static <T> T result(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The failure of a future that must fail.
     *
     * @param future the future
     * @return its failure
     * @throws AssertionError when it succeeds or takes longer than {@link #DEFAULT}
     */
    public static Throwable failure(Future<?> future) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + DEFAULT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits until a condition holds.
     *
     * @param what      the condition, for the failure message
     * @param timeout   how long to wait
     * @param condition polled every few milliseconds
     * @throws AssertionError when it does not hold within the timeout
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
