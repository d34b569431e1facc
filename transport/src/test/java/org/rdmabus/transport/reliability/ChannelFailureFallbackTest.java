package org.rdmabus.transport.reliability;

import io.vertx.core.Context;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.soft.SoftFaults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel fails in the middle of a stream of 3000 sequenced writes from one context, over the soft fabric with
 * its fault injection: once by a single transfer that fails ({@code REMOTE_INVALID_REQUEST}: the pool re-posts the
 * frames behind it), once by the receiver looking dead ({@code RETRY_EXCEEDED} on every frame). Proves: the stream
 * moves to TCP for good; it arrives in order with no duplicate; every write reported successful arrived; every write
 * that did not arrive was reported failed with a {@code ReplyException} naming the cause (none silently lost); no
 * more writes failed than the fault can reach: the one transfer that failed, or what the pool held for the peer when it
 * gave up (its queue, twice the credits, and the frames in flight, the initiator quota); and writes after the switch
 * arrive over TCP.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChannelFailureFallbackTest {

    private static final int STREAM = 3_000;
    private static final int FAIL_AT = 1_500;
    private static final int CHUNK = 50;

    /**
     * What the pool holds for one peer at most: the channel's pool queue (twice the initial credits, see
     * {@code PoolNodeChannel}) and the frames in flight (the initiator quota). A dead-looking receiver fails all of it.
     */
    private static final int POOL_HOLDS = 2 * PoolOptions.DEFAULT_INITIAL_CREDITS + PoolOptions.DEFAULT_INITIATOR_QUOTA;

    @Test
    void aTransferFailureMidStreamFallsBackInOrderWithoutDuplicates() {
        streamThroughAFault("transfer", target -> SoftFaults.failNextPostTo(target, CompletionStatus.REMOTE_INVALID_REQUEST), target -> { }, 1);
    }

    @Test
    void aReceiverThatLooksDeadMidStreamFallsBackInOrderWithoutDuplicates() {
        streamThroughAFault("dead", target -> SoftFaults.lookDead(target, true), target -> SoftFaults.lookDead(target, false), POOL_HOLDS);
    }

    private void streamThroughAFault(String label, java.util.function.Consumer<DcTarget> fault, java.util.function.Consumer<DcTarget> heal,
                                                                     int mostFailed) {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("fallback-" + label);
                 TestCluster cluster = TestCluster.start("fallback-" + label, 2,
                     // The faults are set on the peer's DC target: a peer promoted to its own queue pair would bypass them.
                     new RdmaEventBusOptions().setProvider("soft").setPromotionThreshold(0))) {
            String address = "fallback-" + UUID.randomUUID();
            List<Integer> received = new CopyOnWriteArrayList<>();
            AtomicBoolean warm = new AtomicBoolean();
            Await.result(cluster.node(1).eventBus().<Integer>consumer(address, message -> {
                if (message.body() < 0) {
                    warm.set(true);
                } else {
                    received.add(message.body());
                }
            }).completion());
            Await.until("node 0 sees the consumer", Duration.ofSeconds(30), () -> {
                cluster.node(0).eventBus().send(address, -1);
                return warm.get();
            });
            DcTarget target = PoolChannelAccess.dcTargetOf(HookRegistry.hookOf(cluster.node(1)).channel());
            Map<Integer, Throwable> writeFailures = new ConcurrentHashMap<>();
            Set<Integer> written = ConcurrentHashMap.newKeySet();
            Context context = cluster.node(0).getOrCreateContext();
            MessageProducer<Integer> producer = cluster.node(0).eventBus().sender(address);
            try {
                context.runOnContext(v -> sendChunk(context, producer, 0, () -> fault.accept(target), written, writeFailures));
                Await.until("every write settled", Duration.ofSeconds(60), () -> written.size() + writeFailures.size() == STREAM);
                Await.until("every written message arrived", Duration.ofSeconds(30), () -> received.size() >= written.size());
            } finally {
                heal.accept(target);
            }

            int last = -1;
            for (int number : received) {
                assertTrue(number > last, "message " + number + " after " + last + ": out of order or duplicated");
                last = number;
            }
            assertEquals(new TreeSet<>(written), new TreeSet<>(received), "exactly the writes reported successful arrived");
            for (Throwable failure : writeFailures.values()) {
                assertInstanceOf(ReplyException.class, failure);
                assertTrue(failure.getMessage().contains("not delivered"), failure.getMessage());
            }
            assertTrue(writeFailures.size() <= mostFailed, "only what the fault caught failed: " + writeFailures.size() + " of at most " + mostFailed);
            assertTrue(written.containsAll(List.of(0, FAIL_AT - 1, STREAM - 1)), "before and long after the fault, writes succeed");
            HookCounters counters = cluster.counters(0);
            assertEquals(1, counters.switchesToTcp(), counters.toString());
            assertTrue(cluster.tcpConnectionTargets(0).contains(cluster.nodeId(1)), "the stream went on over TCP");
            System.out.printf("FIGURES fallback-%s: stream=%d arrived=%d in order, duplicates 0, reported failed=%d (%s)%n", label, STREAM, received.size(),
                writeFailures.size(), writeFailures.isEmpty() ? "-" : writeFailures.values().iterator().next().getMessage());
        }
    }

    private static void sendChunk(Context context, MessageProducer<Integer> producer, int first, Runnable fault, Set<Integer> written,
                                                                Map<Integer, Throwable> failures) {
        int end = Math.min(first + CHUNK, STREAM);
        for (int i = first; i < end; i++) {
            if (i == FAIL_AT) {
                fault.run();
            }
            int number = i;
            producer.write(i).onComplete(result -> {
                if (result.succeeded()) {
                    written.add(number);
                } else {
                    failures.put(number, result.cause());
                }
            });
        }
        if (end < STREAM) {
            context.runOnContext(v -> sendChunk(context, producer, end, fault, written, failures));
        }
    }
}
