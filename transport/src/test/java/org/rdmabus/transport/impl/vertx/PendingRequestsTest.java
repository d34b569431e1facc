package org.rdmabus.transport.impl.vertx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bookkeeping that fails requests waiting on a lost node, with a test clock. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingRequestsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> failed = new CopyOnWriteArrayList<>();
    private final PendingRequests pending = new PendingRequests((replyAddress, reason) -> failed.add(replyAddress + " " + reason), now::get);

    @Test
    void aLostNodeFailsExactlyTheRequestsStillWaitingOnIt() {
        pending.track("a", "r1", 5_000);
        pending.track("a", "r2", 5_000);
        pending.track("a", "r3", 5_000);
        pending.track("b", "r4", 5_000);
        pending.replied("a", "r2");
        pending.replied("b", "r1"); // a message from another node at that address settles nothing

        assertEquals(2, pending.lose("a", "gone"));
        assertEquals(List.of("r1 gone", "r3 gone"), failed.stream().sorted().toList());
        assertEquals(List.of("b"), pending.waitingNodes());
        assertEquals(1, pending.size());
    }

    @Test
    void aRequestTrackedAfterTheLossFailsAtOnceAndOnlyOnce() {
        pending.lose("a", "gone");
        pending.track("a", "late", 5_000);
        assertEquals(List.of("late gone"), failed);
        assertEquals(0, pending.lose("a", "again"));
        assertEquals(1, failed.size());
        assertEquals(List.of(), pending.waitingNodes());
    }

    @Test
    void requestsOverTcpToALostNodeFailOnceItsPortIsFoundDeadAndLaterOnesAtOnce() {
        pending.trackOverTcp("a", "before-loss", 5_000); // not lost yet: TCP's business
        pending.lose("a", "gone");
        pending.trackOverTcp("a", "r1", 5_000);
        pending.trackOverTcp("a", "r2", 5_000);
        assertEquals(List.of(), failed, "nothing fails before the verdict");
        assertEquals(2, pending.size());

        assertEquals(2, pending.unreachableOverTcp("a", "dead port"));
        pending.trackOverTcp("a", "r3", 5_000);
        assertEquals(List.of("r1 dead port", "r2 dead port", "r3 dead port"), failed.stream().sorted().toList());
        assertEquals(0, pending.unreachableOverTcp("a", "again"), "each request fails once");
        assertEquals(0, pending.size());
    }

    @Test
    void requestsOverTcpToALostNodeThatStillAnswersAreLeftToTcp() {
        pending.lose("a", "gone");
        pending.trackOverTcp("a", "r1", 5_000);
        pending.reachableOverTcp("a");
        pending.trackOverTcp("a", "r2", 5_000);
        assertEquals(0, pending.size());
        assertEquals(0, pending.unreachableOverTcp("a", "late"), "nothing waits on a verdict any more");
        assertEquals(List.of(), failed);
    }

    @Test
    void aLostNodeThatLeavesFailsItsRequestsOverTcpAndIsForgotten() {
        pending.lose("a", "gone");
        pending.trackOverTcp("a", "r1", 5_000);
        assertEquals(1, pending.forget("a", "left"));
        assertEquals(List.of("r1 left"), failed);
        assertEquals(0, pending.unreachableOverTcp("a", "late"), "a verdict after the node left changes nothing");
        pending.trackOverTcp("a", "r2", 5_000);
        assertEquals(List.of("r1 left", "r2 left"), failed, "Vert.x may still pick a node that just left: that request fails at once");
        assertEquals(0, pending.size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        pending.expire();
        pending.trackOverTcp("a", "r3", 5_000);
        assertEquals(2, failed.size(), "a minute after it left, the node is forgotten");
        assertEquals(0, pending.size());
    }

    @Test
    void aRefusedRequestIsNotFailed() {
        pending.track("a", "r1", 5_000);
        pending.untrack("a", "r1");
        assertEquals(0, pending.lose("a", "gone"));
        assertEquals(List.of(), failed);
    }

    @Test
    void requestsPastTheirOwnTimeoutAreDroppedNotFailed() {
        pending.track("a", "short", 100);
        pending.track("a", "long", 60_000);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100) + TimeUnit.SECONDS.toNanos(1) + 1);
        pending.expire();
        assertEquals(1, pending.size());
        assertEquals(1, pending.lose("a", "gone"));
        assertEquals(List.of("long gone"), failed);
    }

    @Test
    void aDepartedNodeIsForgottenAfterItsRequestsFail() {
        pending.track("a", "r1", 5_000);
        assertEquals(1, pending.forget("a", "left"));
        assertEquals(0, pending.size());
        assertTrue(pending.lostNodes().isEmpty());
    }

    @Test
    void aLossRacingWithTrackingFailsEveryAcceptedRequestExactlyOnce() throws InterruptedException {
        int requests = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread tracker = new Thread(() -> {
            await(start);
            for (int i = 0; i < requests; i++) {
                pending.track("a", "r" + i, 5_000);
            }
        });
        tracker.start();
        start.countDown();
        Thread.sleep(1);
        int failedByLoss = pending.lose("a", "gone");
        tracker.join(10_000);
        // Every request either failed once through the loss, or failed at once when tracked after it: all, once each.
        assertEquals(requests, failed.size());
        assertEquals(requests, failed.stream().distinct().count());
        assertTrue(failedByLoss <= requests);
        assertEquals(0, pending.size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
