package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * The rdma provider's reliable queue pairs on a real device (Soft-RoCE in the VM; skipped elsewhere): every
 * operation and every completion field, the error statuses with their "nothing written" guarantee, RNR,
 * flushing and reset, closing, and a dead peer. Two NICs on the same device stand for two nodes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RdmaReliableQueuePairTest {
    private static final Duration RNR_TIMEOUT = Duration.ofMillis(300);
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final int RECEIVES = 8;
    private static final int RECEIVE_SIZE = 1024;
    private static final int DATA_SIZE = 64 * 1024;
    private static final byte UNTOUCHED = (byte) 0xEE;

    private Nic nicA;
    private Nic nicB;
    private CompletionQueue sendsA;
    private CompletionQueue receivesA;
    private SharedReceiveQueue queueA;
    private MemoryRegion local;
    private CompletionQueue sendsB;
    private CompletionQueue receivesB;
    private SharedReceiveQueue queueB;
    private MemoryRegion buffers;
    private MemoryRegion remote;
    private ReliableQueuePair a;
    private ReliableQueuePair b;
    private final WorkRequest request = new WorkRequest();

    @BeforeEach
    void connect() {
        VerbsDevice.assumePresent();
        nicA = open();
        nicB = open();
        assertFalse(nicA.capabilities().dynamicallyConnected() && !nicA.deviceName().startsWith("mlx5"),
            "only mlx5 devices offer DC");
        assertTrue(nicA.capabilities().reliableConnected());
        sendsA = nicA.createCompletionQueue(64);
        receivesA = nicA.createCompletionQueue(64);
        queueA = nicA.createSharedReceiveQueue(RECEIVES);
        local = nicA.allocateRegion(DATA_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        sendsB = nicB.createCompletionQueue(64);
        receivesB = nicB.createCompletionQueue(64);
        queueB = nicB.createSharedReceiveQueue(RECEIVES);
        buffers = nicB.allocateRegion(RECEIVES * RECEIVE_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        remote = nicB.allocateRegion(DATA_SIZE, EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE,
            Access.REMOTE_READ));
        a = nicA.createReliableQueuePair(sendsA, queueA, receivesA, 16);
        b = nicB.createReliableQueuePair(sendsB, queueB, receivesB, 16);
        a.connect(b.localAddress());
        b.connect(a.localAddress());
        buffers.buffer().setMemory(0, buffers.length(), UNTOUCHED);
        remote.buffer().setMemory(0, remote.length(), UNTOUCHED);
    }

    private static Nic open() {
        return new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME).rnrTimeout(RNR_TIMEOUT)
            .peerTimeout(PEER_TIMEOUT));
    }

    @AfterEach
    void close() {
        if (nicA != null) {
            nicA.close();
        }
        if (nicB != null) {
            nicB.close();
        }
    }

    // Operations

    @Test
    void aSendFromARegionLandsInAPostedReceive() {
        postReceives(1);
        byte[] payload = pattern(100, 1);
        local.buffer().putBytes(64, payload);
        assertTrue(a.post(request.send(local, 64, payload.length).wrId(7)));
        assertEquals(new Done(7, Opcode.SEND, CompletionStatus.SUCCESS, payload.length, 0, false), awaitOne(sendsA));
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.SUCCESS, payload.length, 0, false), awaitOne(receivesB));
        assertArrayEquals(payload, bytes(buffers, 0, payload.length));
        assertEquals(UNTOUCHED, buffers.buffer().getByte(payload.length), "wrote past the payload");
        assertEquals(0, queueB.posted());
    }

    @Test
    void anInlineSendCopiesThePayloadAtPostTime() {
        int inline = nicA.capabilities().maxInlineData();
        assertTrue(inline >= 32, "Soft-RoCE grants inline sends: " + inline);
        postReceives(1);
        byte[] payload = pattern(inline, 2);
        VarHandleBuffer source = new VarHandleBuffer(payload.clone());
        assertTrue(a.post(request.sendInline(source, 0, inline).wrId(8)));
        source.setMemory(0, inline, (byte) 0);
        assertEquals(new Done(8, Opcode.SEND, CompletionStatus.SUCCESS, inline, 0, false), awaitOne(sendsA));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receivesB).status());
        assertArrayEquals(payload, bytes(buffers, 0, inline));
    }

    @Test
    void receivesCompleteInPostingOrderWithTheirOwnIds() {
        postReceives(3);
        for (int i = 0; i < 3; i++) {
            local.buffer().putInt(i * 8, 100 + i);
            assertTrue(a.post(request.send(local, i * 8, 4).wrId(i).signalled(false)));
        }
        for (int i = 0; i < 3; i++) {
            Done received = awaitOne(receivesB);
            assertEquals(i, received.wrId());
            assertEquals(100 + i, buffers.buffer().getInt(i * RECEIVE_SIZE));
        }
        assertNoCompletion(sendsA);
    }

    @Test
    void writeWriteWithImmediateAndReadMoveTheRightBytes() {
        postReceives(1);
        byte[] payload = pattern(4096, 3);
        local.buffer().putBytes(0, payload);
        assertTrue(a.post(request.write(local, 0, payload.length, remote.remoteAddress(1000), remote.rkey()).wrId(9)));
        assertEquals(new Done(9, Opcode.WRITE, CompletionStatus.SUCCESS, payload.length, 0, false), awaitOne(sendsA));
        assertArrayEquals(payload, bytes(remote, 1000, payload.length));
        assertEquals(UNTOUCHED, remote.buffer().getByte(999));
        assertEquals(UNTOUCHED, remote.buffer().getByte(1000 + payload.length));
        assertEquals(1, queueB.posted(), "a WRITE consumes no receive");

        assertTrue(a.post(request.writeWithImmediate(local, 0, 300, remote.remoteAddress(8000), remote.rkey(),
            0xCAFE).wrId(10)));
        assertEquals(new Done(10, Opcode.WRITE_WITH_IMM, CompletionStatus.SUCCESS, 300, 0, false), awaitOne(sendsA));
        assertEquals(new Done(0, Opcode.RECV_RDMA_WITH_IMM, CompletionStatus.SUCCESS, 300, 0xCAFE, true),
            awaitOne(receivesB));
        assertEquals(UNTOUCHED, buffers.buffer().getByte(0), "the receive buffer stays untouched");

        byte[] far = pattern(2048, 5);
        remote.buffer().putBytes(20000, far);
        assertTrue(a.post(request.read(local, 128, far.length, remote.remoteAddress(20000), remote.rkey()).wrId(11)));
        assertEquals(new Done(11, Opcode.READ, CompletionStatus.SUCCESS, far.length, 0, false), awaitOne(sendsA));
        assertArrayEquals(far, bytes(local, 128, far.length));
        assertNoCompletion(receivesB);
    }

    @Test
    void trafficFlowsBothWays() {
        queueA.postReceive(9, local, 1024, 64);
        remote.buffer().putLong(128, 4321);
        assertTrue(b.post(request.send(remote, 128, 8).wrId(3)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendsB).status());
        assertEquals(new Done(9, Opcode.RECV, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(receivesA));
        assertEquals(4321, local.buffer().getLong(1024));
    }

    @Test
    void unsignalledRequestsNeverReportSuccessNorFillTheQueue() {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        Completion[] polled = Completion.array(8);
        int posted = 0;
        while (posted < 200 && System.nanoTime() < deadline) {
            local.buffer().putLong(0, posted);
            if (a.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(posted).signalled(false))) {
                posted++;
            } else {
                assertEquals(0, sendsA.poll(polled), "unsignalled successes stay silent");
            }
        }
        assertEquals(200, posted, "the provider signals now and then so the queue drains");
        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(8), remote.rkey()).wrId(500)
            .signalled(true)));
        assertEquals(500, awaitOne(sendsA).wrId());
        assertNoCompletion(sendsA);
        assertEquals(199, remote.buffer().getLong(0));
    }

    // Errors

    @Test
    void aSendLargerThanTheReceiveFailsBothSidesAndWritesNothing() {
        queueB.postReceive(5, buffers, 0, 16);
        assertTrue(a.post(request.send(local, 0, 17).wrId(12).signalled(false)));
        Done sent = awaitOne(sendsA);
        assertEquals(12, sent.wrId());
        assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, sent.status());
        Done received = awaitOne(receivesB);
        assertEquals(5, received.wrId());
        assertEquals(CompletionStatus.LOCAL_LENGTH, received.status());
        assertUntouched(buffers, 0, 16);
        assertEquals(QueuePairState.ERROR, a.state());
        assertEquals(QueuePairState.ERROR, b.state(), "the receive failure moved the responder to ERROR");
    }

    @Test
    void badLocalBuffersFailWithLocalProtectionAndResetRecovers() {
        MemoryRegion readOnly = nicA.allocateRegion(64, EnumSet.noneOf(Access.class));
        MemoryRegion closed = nicA.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        closed.close();
        MemoryRegion foreign = nicB.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        WorkRequest[] bad = {
            new WorkRequest().write(local, DATA_SIZE - 8, 16, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(local, -1, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().read(readOnly, 0, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(closed, 0, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(foreign, 0, 8, remote.remoteAddress(0), remote.rkey()),
        };
        for (WorkRequest each : bad) {
            assertTrue(a.post(each.wrId(13).signalled(false)));
            Done done = awaitOne(sendsA);
            assertEquals(CompletionStatus.LOCAL_PROTECTION, done.status(), each.toString());
            assertEquals(13, done.wrId());
            assertEquals(QueuePairState.ERROR, a.state());
            a.reset();
            assertEquals(QueuePairState.READY, a.state());
        }
        assertUntouched(remote, 0, DATA_SIZE);
        local.buffer().putLong(0, 99);
        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(14)));
        assertEquals(new Done(14, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendsA));
        assertEquals(99, remote.buffer().getLong(0), "after local errors and resets the connection still works");
    }

    @Test
    void remoteAccessErrorsWriteNothingAndFlushLaterRequestsUntilReset() {
        MemoryRegion noRemote = nicB.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        MemoryRegion writeOnly = nicB.allocateRegion(64, EnumSet.of(Access.REMOTE_WRITE));
        noRemote.buffer().setMemory(0, 64, UNTOUCHED);
        local.buffer().setMemory(0, 64, (byte) 1);
        WorkRequest[] bad = {
            new WorkRequest().write(local, 0, 8, remote.remoteAddress(0), remote.rkey() ^ 0x5A5A00),
            new WorkRequest().write(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey()),
            new WorkRequest().write(local, 0, 8, remote.remoteAddress(0) - 1, remote.rkey()),
            new WorkRequest().writeWithImmediate(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey(), 1),
            new WorkRequest().write(local, 0, 8, noRemote.remoteAddress(0), noRemote.rkey()),
            new WorkRequest().read(local, 0, 8, writeOnly.remoteAddress(0), writeOnly.rkey()),
            new WorkRequest().read(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey()),
        };
        postReceives(1);
        for (WorkRequest each : bad) {
            // Each remote error breaks the connection on both ends; a fresh pair tests the next case.
            ReliableQueuePair[] pair = freshPair();
            assertTrue(pair[0].post(each.wrId(14).signalled(false)));
            Done done = awaitOne(sendsA);
            assertEquals(CompletionStatus.REMOTE_ACCESS, done.status(), each.toString());
            assertEquals(14, done.wrId());
            assertEquals(QueuePairState.ERROR, pair[0].state());

            assertTrue(pair[0].post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(15)
                .signalled(false)));
            assertEquals(new Done(15, Opcode.WRITE, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendsA));
            pair[0].reset();
            assertEquals(QueuePairState.READY, pair[0].state());
            pair[0].close();
            pair[1].close();
            assertUntouched(remote, 0, DATA_SIZE, each.toString());
        }
        assertUntouched(remote, 0, DATA_SIZE);
        assertUntouched(noRemote, 0, 64);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 1, local.buffer().getByte(i), "a refused READ writes nothing locally");
        }
        // Soft-RoCE consumes the receive of a refused WRITE_WITH_IMM and fails it; it never reports success.
        Completion[] left = Completion.array(8);
        for (int n = receivesB.poll(left), i = 0; i < n; i++) {
            assertNotEquals(CompletionStatus.SUCCESS, left[i].status(), left[i].toString());
        }
        assertUntouched(buffers, 0, RECEIVES * RECEIVE_SIZE);
    }

    @Test
    void afterRemoteErrorsAndResetsARequestIsNeverReportedDoneWithoutEffect() {
        ReliableQueuePair[] pair = freshPair();
        assertTrue(pair[0].post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey() + 1).wrId(1)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendsA).status());
        pair[0].reset();
        pair[1].reset();
        for (int i = 0; i < 3; i++) {
            local.buffer().putLong(0, 1000 + i);
            assertTrue(pair[0].post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2 + i)
                .signalled(true)));
            Done done = awaitOne(sendsA);
            if (done.status() == CompletionStatus.SUCCESS) {
                assertEquals(1000 + i, remote.buffer().getLong(0), "a successful WRITE must have written");
            } else {
                pair[0].reset();
            }
        }
    }

    @Test
    void anOversizedInlineSendFailsWithLocalLength() {
        int tooLong = nicA.capabilities().maxInlineData() + 1;
        postReceives(1);
        assertTrue(a.post(request.sendInline(new VarHandleBuffer(new byte[tooLong]), 0, tooLong).wrId(15)));
        assertEquals(new Done(15, Opcode.SEND, CompletionStatus.LOCAL_LENGTH, tooLong, 0, false), awaitOne(sendsA));
        assertEquals(QueuePairState.ERROR, a.state());
        assertNoCompletion(receivesB);
    }

    @Test
    void aSendWithoutAReceiveFailsWithRnrAfterAboutTheTimeoutWithoutBlockingPost() {
        long start = System.nanoTime();
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(16)));
        long postNanos = System.nanoTime() - start;
        assertTrue(postNanos < RNR_TIMEOUT.toNanos() / 2, "post blocked for " + postNanos / 1_000_000 + " ms");
        Done done = awaitOne(sendsA);
        long elapsed = System.nanoTime() - start;
        assertEquals(new Done(16, Opcode.SEND, CompletionStatus.RNR_RETRY_EXCEEDED, 8, 0, false), done);
        assertTrue(elapsed >= RNR_TIMEOUT.toNanos() * 8 / 10, "RNR reported after only " + elapsed / 1_000_000 + " ms");
        assertEquals(QueuePairState.ERROR, a.state());
    }

    @Test
    void aWaitingSendIsDeliveredOnceAReceiveIsPostedAndLaterRequestsWaitInOrder() throws InterruptedException {
        local.buffer().putLong(0, 77);
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2)));
        Thread.sleep(RNR_TIMEOUT.toMillis() / 6);
        Completion[] none = Completion.array(4);
        assertEquals(0, sendsA.poll(none), "the SEND still waits for a receive, and the WRITE behind it");
        assertUntouched(remote, 0, 8);
        postReceives(1);
        assertEquals(new Done(1, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendsA));
        assertEquals(new Done(2, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendsA));
        assertEquals(77, remote.buffer().getLong(0));
    }

    @Test
    void aFullSendQueueRefusesPostsUntilRequestsComplete() {
        ReliableQueuePair[] pair = freshPair(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(pair[0].post(request.sendInline(local.buffer(), 0, 8).wrId(i)));
        }
        assertEquals(0, pair[0].sendQueueSpace());
        assertFalse(pair[0].post(request.sendInline(local.buffer(), 0, 8).wrId(99)));
        postReceives(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(new Done(i, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendsA));
        }
        assertEquals(4, pair[0].sendQueueSpace());
    }

    @Test
    void resetAndCloseFlushRequestsQueuedBehindAFailure() {
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(2)));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, awaitOne(sendsA).status());
        a.reset();
        assertEquals(new Done(2, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), pollNow(sendsA));
        assertEquals(QueuePairState.READY, a.state());
        assertNoCompletion(sendsA);

        ReliableQueuePair[] pair = freshPair();
        assertTrue(pair[0].post(request.sendInline(local.buffer(), 0, 8).wrId(3)));
        assertTrue(pair[0].post(request.sendInline(local.buffer(), 0, 8).wrId(4)));
        pair[0].close();
        assertEquals(QueuePairState.CLOSED, pair[0].state());
        assertEquals(new Done(3, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendsA));
        assertEquals(new Done(4, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendsA));
        assertNoCompletion(sendsA);
        assertThrows(IllegalStateException.class, () -> pair[0].post(request));
    }

    @Test
    void closingASharedReceiveQueueFlushesItsBuffersAndStopsItsQueuePairs() {
        postReceives(2);
        queueB.close();
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receivesB));
        assertEquals(new Done(1, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receivesB));
        assertEquals(QueuePairState.ERROR, b.state());
        assertThrows(IllegalStateException.class, () -> queueB.postReceive(1, buffers, 0, 8));
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertNotEquals(CompletionStatus.SUCCESS, awaitOne(sendsA).status());
        assertUntouched(buffers, 0, RECEIVES * RECEIVE_SIZE);
    }

    @Test
    void aFullSharedReceiveQueueRefusesReceivesUntilCompletionsArePolled() {
        postReceives(RECEIVES);
        assertEquals(RECEIVES, queueB.posted());
        assertFalse(queueB.postReceive(99, buffers, 0, 8));
        assertTrue(a.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendsA).status());
        assertEquals(0, awaitOne(receivesB).wrId());
        assertEquals(RECEIVES - 1, queueB.posted());
        assertTrue(queueB.postReceive(99, buffers, 0, 8));
    }

    @Test
    void aDeadPeerIsReportedWithRetryExceededWithinThePeerTimeout() {
        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendsA).status());
        nicB.close();
        nicB = null;
        long start = System.nanoTime();
        assertTrue(a.post(request.write(local, 0, 8, 4096, 1).wrId(2)));
        Done done = awaitOne(sendsA);
        long detected = System.nanoTime() - start;
        assertEquals(CompletionStatus.RETRY_EXCEEDED, done.status());
        assertTrue(detected < PEER_TIMEOUT.toNanos() * 4, "dead peer found after " + detected / 1_000_000 + " ms");
    }

    @Test
    void badArgumentsAreRefusedWithTypedErrors() {
        assertThrows(IllegalArgumentException.class, () -> a.post(new WorkRequest()));
        assertThrows(IllegalArgumentException.class, () -> queueB.postReceive(1, local, 0, 8), "another NIC's region");
        assertThrows(IllegalArgumentException.class, () -> queueB.postReceive(1, buffers, 0, RECEIVES * RECEIVE_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> nicB.allocateRegion(0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> nicA.createReliableQueuePair(sendsB, queueA, receivesA, 4),
            "another NIC's completion queue");
        assertThrows(IllegalArgumentException.class, () -> nicA.createCompletionQueue(0));
        assertThrows(UnsupportedOperationException.class, () -> nicA.createInitiator(sendsA, 4), "Soft-RoCE has no DC");
        assertThrows(IllegalStateException.class, () -> a.connect(b.localAddress()), "already connected");
    }

    @Test
    void connectRefusesAddressesThatAreNotReliableQueuePairs() {
        ReliableQueuePair c = nicA.createReliableQueuePair(sendsA, queueA, receivesA, 4);
        TargetAddress good = b.localAddress();
        assertThrows(VerbsException.class, () -> c.connect(good.withAccessKey(good.accessKey() + 1)));
        TargetAddress dc = new TargetAddress(good.provider(), dcLocator(good), good.targetNumber(), 1);
        assertThrows(VerbsException.class, () -> c.connect(dc));
        assertThrows(VerbsException.class, () -> c.connect(new TargetAddress("soft", new byte[3], 1, 1)));
        assertFalse(c.isConnected());
        TargetAddress copy = TargetAddress.fromExternalForm(good.toExternalForm());
        assertEquals(good, copy);
    }

    private static byte[] dcLocator(TargetAddress rc) {
        byte[] locator = rc.locator();
        locator[1] = 2;
        java.util.Arrays.fill(locator, 20, 24, (byte) 0);
        return locator;
    }

    // Helpers

    private ReliableQueuePair[] freshPair() {
        return freshPair(16);
    }

    private ReliableQueuePair[] freshPair(int depth) {
        ReliableQueuePair x = nicA.createReliableQueuePair(sendsA, queueA, receivesA, depth);
        ReliableQueuePair y = nicB.createReliableQueuePair(sendsB, queueB, receivesB, depth);
        x.connect(y.localAddress());
        y.connect(x.localAddress());
        return new ReliableQueuePair[] {x, y};
    }

    private record Done(long wrId, Opcode opcode, CompletionStatus status, int byteLength, int immediate,
                        boolean hasImmediate) {
        static Done of(Completion c) {
            return new Done(c.wrId(), c.opcode(), c.status(), c.byteLength(), c.immediate(), c.hasImmediate());
        }
    }

    private static Done awaitOne(CompletionQueue queue) {
        Completion[] one = Completion.array(1);
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (queue.poll(one) == 1) {
                return Done.of(one[0]);
            }
            Thread.onSpinWait();
        }
        return fail("no completion within " + AWAIT);
    }

    private static Done pollNow(CompletionQueue queue) {
        Completion[] one = Completion.array(1);
        assertEquals(1, queue.poll(one), "a completion must be ready");
        return Done.of(one[0]);
    }

    private static void assertNoCompletion(CompletionQueue queue) {
        Completion[] polled = Completion.array(8);
        long deadline = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < deadline) {
            if (queue.poll(polled) > 0) {
                fail("unexpected completion " + Done.of(polled[0]));
            }
            Thread.onSpinWait();
        }
    }

    private void postReceives(int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(queueB.postReceive(i, buffers, (long) i * RECEIVE_SIZE, RECEIVE_SIZE));
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(MemoryRegion region, int offset, int length) {
        byte[] bytes = new byte[length];
        region.buffer().getBytes(offset, bytes);
        return bytes;
    }

    private static void assertUntouched(MemoryRegion region, int offset, int length) {
        assertUntouched(region, offset, length, "");
    }

    private static void assertUntouched(MemoryRegion region, int offset, int length, String after) {
        for (int i = offset; i < offset + length; i++) {
            if (region.buffer().getByte(i) != UNTOUCHED) {
                fail("byte " + i + " was written " + after);
            }
        }
    }
}
