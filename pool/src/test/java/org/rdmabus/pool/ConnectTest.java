package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.TargetAddress;

/** {@link QpPool#connect}: hits are lookups that create nothing; misses look up once; leaving invalidates. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectTest {

    @Test
    void hitsCompleteAtOnceAndCreateNoQueuePairOrFile() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            TargetAddress address = b.advertisedAddress();
            for (int i = 0; i < 1000; i++) {
                a.directory().put("peer-" + i, address);
            }
            long filesBefore = countFiles(cluster);
            long hitsBefore = a.stats().directoryHits();
            List<Connection> connections = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                CompletableFuture<Connection> stage = a.connect("peer-" + i).toCompletableFuture();
                assertTrue(stage.isDone(), "a directory hit must not wait");
                connections.add(stage.join());
            }
            assertEquals(filesBefore, countFiles(cluster), "connecting created shared-memory resources");
            assertEquals(1000, a.stats().directoryHits() - hitsBefore);
            assertEquals(0, a.stats().directoryMisses());
            assertSame(connections.get(5), a.connectIfKnown("peer-5"), "one connection per peer");
            assertEquals("peer-5", connections.get(5).nodeId());
            assertNull(a.connectIfKnown("nobody"));
        }
    }

    @Test
    void concurrentMissesLookUpOnceAndShareTheConnection() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool b = cluster.start("node-b");
            QpPool a = new QpPool(cluster.options("node-a"));
            CompletableFuture<TargetAddress> answer = new CompletableFuture<>();
            AtomicInteger lookups = new AtomicInteger();
            a.directory().lookup(node -> {
                lookups.incrementAndGet();
                return answer;
            });
            try {
                a.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                int callers = 6;
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Connection>> stages = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    CompletableFuture<Connection> slot = new CompletableFuture<>();
                    stages.add(slot);
                    Thread thread = new Thread(() -> {
                        try {
                            go.await();
                            a.connect("node-b").whenComplete((c, e) -> {
                                if (e != null) {
                                    slot.completeExceptionally(e);
                                } else {
                                    slot.complete(c);
                                }
                            });
                        } catch (InterruptedException e) {
                            slot.completeExceptionally(e);
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                go.countDown();
                for (Thread thread : threads) {
                    thread.join(5_000);
                }
                answer.complete(b.advertisedAddress());
                Connection first = stages.get(0).get(5, TimeUnit.SECONDS);
                for (CompletableFuture<Connection> stage : stages) {
                    assertSame(first, stage.get(5, TimeUnit.SECONDS));
                }
                assertEquals(1, lookups.get());
                assertEquals(1, a.stats().directoryMisses());
                assertTrue(a.connect("node-b").toCompletableFuture().isDone(), "cached after the miss");
                assertEquals(1, lookups.get());
                assertTrue(a.stats().directoryMissNanosTotal() > 0);
            } finally {
                a.close();
            }
        }
    }

    @Test
    void anUnknownNodeFailsTypedAndALeavingNodeFailsItsQueuedMessages() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> a.connect("nobody").toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertInstanceOf(UnknownNodeException.class, unknown.getCause());

            Inbox inbox = new Inbox();
            inbox.hold(true);
            b.messageSink(inbox);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                outcomes.add(Outcome.send(ab, new byte[] {(byte) i}));
            }
            assertTrue(Inbox.await(() -> ab.stats().queuedMessages() == 40 - 16, 10, TimeUnit.SECONDS),
                () -> "queued " + ab.stats().queuedMessages());
            a.directory().remove("node-b");
            int closed = 0;
            for (Outcome outcome : outcomes) {
                PoolException failure = outcome.await();
                if (failure != null) {
                    assertInstanceOf(ConnectionClosedException.class, failure);
                    closed++;
                }
            }
            assertEquals(24, closed, "the messages still queued when the node left");
            assertNull(a.connectIfKnown("node-b"));
            inbox.releaseHeld();
        }
    }

    @Test
    void learningAnAddressWarmsTheRouteUnlessDisabled() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool b = cluster.start("node-b");
            QpPool a = cluster.start("node-a");
            QpPool cold = cluster.start("node-cold", o -> o.warmRoutes(false));
            assertTrue(Inbox.await(() -> b.peerStats("node-a") != null
                && b.peerStats("node-a").framesReceived() == 1, 5, TimeUnit.SECONDS),
                "a's HELLO reached b before any message");
            assertEquals(0, a.stats().framesSent(), "the warm-up is not a message");
            Thread.sleep(50);
            assertEquals(0, b.peerStats("node-cold").framesReceived(), "no warm-up when disabled");
            assertNotNull(cold.connectIfKnown("node-b"));
        }
    }

    private static long countFiles(PoolCluster cluster) throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(cluster.directory())) {
            return files.count();
        }
    }
}
