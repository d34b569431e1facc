package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.TargetAddress;

/** The directory alone: hits, misses looked up once, failures, invalidation, and keys kept out. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TargetDirectoryTest {
    private static final TargetAddress ADDRESS = new TargetAddress("soft", new byte[] {1, 2, 3}, 7, 0);

    @Test
    void aHitIsCompletedAtOnceAndCounted() {
        TargetDirectory directory = new TargetDirectory();
        directory.put("n1", ADDRESS);
        CompletionStage<TargetAddress> stage = directory.resolve("n1");
        assertTrue(stage.toCompletableFuture().isDone());
        assertEquals(ADDRESS, stage.toCompletableFuture().join());
        assertEquals(1, directory.hits());
        assertEquals(0, directory.misses());
    }

    @Test
    void concurrentMissesRunTheLookupOnceAndCacheTheAnswer() throws Exception {
        CompletableFuture<TargetAddress> answer = new CompletableFuture<>();
        AtomicInteger lookups = new AtomicInteger();
        TargetDirectory directory = new TargetDirectory().lookup(node -> {
            lookups.incrementAndGet();
            return answer;
        });
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<TargetAddress>> results = new CopyOnWriteArrayList<>();
        List<Thread> missing = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    results.add(directory.resolve("n1").toCompletableFuture());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            missing.add(thread);
        }
        start.countDown();
        for (Thread thread : missing) {
            thread.join(5_000);
        }
        assertEquals(threads, results.size());
        assertEquals(1, lookups.get());
        answer.complete(ADDRESS.withAccessKey(99));
        for (CompletableFuture<TargetAddress> result : results) {
            assertEquals(ADDRESS, result.get(5, TimeUnit.SECONDS));
            assertEquals(0, result.get().accessKey(), "the directory never holds an access key");
        }
        assertEquals(ADDRESS, directory.cached("n1"));
        directory.resolve("n1");
        assertEquals(1, lookups.get());
        assertEquals(1, directory.misses());
        assertTrue(directory.missNanosTotal() > 0);
    }

    @Test
    void aFailedOrEmptyLookupIsTypedAndNotCached() {
        AtomicInteger lookups = new AtomicInteger();
        TargetDirectory directory = new TargetDirectory().lookup(node -> {
            return lookups.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                : CompletableFuture.completedFuture(null);
        });
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> directory.resolve("n1").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(UnknownNodeException.class, failed.getCause());
        ExecutionException empty = assertThrows(ExecutionException.class,
            () -> directory.resolve("n1").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(UnknownNodeException.class, empty.getCause());
        assertEquals(2, lookups.get());
        assertEquals(2, directory.lookupFailures());
        assertNull(directory.cached("n1"));
    }

    @Test
    void removeInvalidatesAndListenersSeeEveryChange() {
        TargetDirectory directory = new TargetDirectory();
        List<String> changes = new CopyOnWriteArrayList<>();
        directory.addListener((node, previous, current) ->
            changes.add(node + ":" + (previous != null) + "->" + (current != null)));
        TargetAddress moved = new TargetAddress("soft", new byte[] {9}, 8, 0);
        directory.put("n1", ADDRESS);
        directory.put("n1", ADDRESS);
        directory.put("n1", moved);
        directory.remove("n1");
        assertNull(directory.cached("n1"));
        assertEquals(List.of("n1:false->true", "n1:true->true", "n1:true->false"), changes);
    }

    @Test
    void aLookupOvertakenByRemovalDoesNotResurrectTheNode() throws Exception {
        CompletableFuture<TargetAddress> answer = new CompletableFuture<>();
        TargetDirectory directory = new TargetDirectory().lookup(node -> answer);
        CompletableFuture<TargetAddress> pending = directory.resolve("n1").toCompletableFuture();
        directory.remove("n1");
        answer.complete(ADDRESS);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(UnknownNodeException.class, failed.getCause());
        assertNull(directory.cached("n1"));
    }

    @Test
    void putStripsTheAccessKey() {
        TargetDirectory directory = new TargetDirectory();
        directory.put("n1", ADDRESS.withAccessKey(1234));
        assertEquals(0, directory.cached("n1").accessKey());
        assertSame(directory.cached("n1"), directory.cached("n1"));
    }
}
