package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.NicOptions;

/** Start-up, the shared instance, statistics, close, and a sink or callback that throws. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LifecycleTest {

    @Test
    void sharedPoolsAreReferenceCountedAndCloseReleasesEveryFile() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            PoolOptions options = cluster.options("node-shared");
            QpPool first = QpPool.shared(options).toCompletableFuture().get(30, TimeUnit.SECONDS);
            QpPool second = QpPool.shared(new PoolOptions(options)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertSame(first, second, "equal options share one pool");
            assertTrue(countFiles(cluster.directory()) > 0);
            first.close();
            assertTrue(countFiles(cluster.directory()) > 0, "a reference is still held");
            first.advertisedAddress();
            second.close();
            assertEquals(0, countFiles(cluster.directory()), "the last close removes every shared-memory file");
            QpPool third = QpPool.shared(options).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertNotSame(first, third, "a closed shared pool is replaced");
            third.close();
        }
    }

    @Test
    void startUpFailsWithTheReasonAndLeavesNothingBehind() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            PoolOptions bad = cluster.options("node-bad")
                .nicOptions(new NicOptions().provider("no-such-provider").directory(cluster.directory()));
            QpPool pool = new QpPool(bad);
            ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("no-such-provider"), failed.getCause().getMessage());
            pool.close();
            assertEquals(0, countFiles(cluster.directory()));
            assertThrows(IllegalStateException.class, () -> pool.connect("anyone"));
        }
    }

    @Test
    void closeFailsEveryPendingMessageTyped() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool b = cluster.start("node-b");
            Inbox inbox = new Inbox();
            inbox.hold(true);
            b.messageSink(inbox);
            QpPool a = new QpPool(cluster.options("node-a"));
            a.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            a.directory().put("node-b", b.advertisedAddress());
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                outcomes.add(Outcome.send(ab, new byte[300]));
            }
            // Nobody polls a: its sends stay in flight or queued until close.
            a.close();
            int closed = 0;
            for (Outcome outcome : outcomes) {
                PoolException failure = outcome.await();
                if (failure != null) {
                    assertInstanceOf(ConnectionClosedException.class, failure);
                    closed++;
                }
            }
            assertTrue(closed >= 50 - 16, "queued messages fail when the pool closes: " + closed);
            assertEquals(0, a.stats().sendChunksInUse(), "every send chunk came back");
            inbox.releaseHeld();
        }
    }

    @Test
    void aThrowingSinkOrCallbackIsCountedAndTheBufferStillReturns() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            b.messageSink((source, buffer, offset, length, handle) -> {
                throw new IllegalStateException("sink bug");
            });
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                Outcome outcome = Outcome.send(ab, new byte[100]);
                assertEquals(null, outcome.await());
            }
            ab.offer(org.rdmabus.codec.FrameType.MESSAGE, 0, new VarHandleBuffer(new byte[4]), 0, 4,
                failure -> {
                    throw new IllegalStateException("callback bug");
                });
            assertTrue(Inbox.await(() -> b.stats().handlerFailures() == 101, 10, TimeUnit.SECONDS),
                () -> "handler failures " + b.stats().handlerFailures());
            assertTrue(Inbox.await(() -> a.stats().handlerFailures() == 1, 10, TimeUnit.SECONDS));
            assertEquals(0, b.stats().receiveBuffersLent(), "the pool released what the failing sink held");

            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            assertEquals(null, Outcome.send(ab, new byte[] {7}).await());
            assertTrue(Inbox.await(() -> inbox.size() == 1, 5, TimeUnit.SECONDS), "the poller survived");
        }
    }

    @Test
    void statisticsMove() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            PoolStats stats = a.stats();
            assertEquals(PoolCluster.TRANSPORT == TransportService.RC ? 0 : 2, stats.initiators(),
                "DC initiators: two (one poller) on DC, none on RC");
            long polls = stats.polls();
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                assertEquals(null, Outcome.send(ab, new byte[1000]).await());
            }
            assertTrue(Inbox.await(() -> inbox.size() == 20, 5, TimeUnit.SECONDS));
            assertTrue(stats.framesSent() >= 20);
            assertTrue(stats.bytesSent() >= 20 * 1000);
            assertEquals(PoolCluster.TRANSPORT == TransportService.RC ? 23 : 21, ab.stats().framesSent(),
                "20 messages and the HELLO that names node-a (on RC also the OFFER and READY that connect it)");
            assertTrue(b.stats().framesReceived() >= 20);
            assertTrue(b.peerStats("node-a").bytesReceived() >= 20 * 1000);
            assertTrue(stats.polls() > polls);
            assertTrue(stats.emptyPolls() > 0);
            assertTrue(stats.directoryHits() >= 1);
            assertEquals(0, stats.errors(CompletionStatus.RETRY_EXCEEDED));
        }
    }

    private static long countFiles(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
