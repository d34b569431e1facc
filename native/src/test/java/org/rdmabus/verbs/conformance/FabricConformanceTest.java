package org.rdmabus.verbs.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
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
 * The provider-independent conformance suite of the NIC layer. A provider runs it by extending this class and
 * supplying {@link #nicOptions()}; everything else uses only the SPI. Each test opens two NICs in this JVM (an
 * initiator side and a target side); the cross-JVM tests also start a {@link ConformancePeer} in a second JVM.
 * <p>
 * The suite covers every operation (SEND from a region and inline, WRITE, WRITE_WITH_IMM, READ; signalled and
 * unsignalled; every completion field), every error status with its "nothing written or delivered" guarantee,
 * the error state with FLUSHED and reset, RNR handling without blocking {@code post}, dead peers, reliable queue
 * pairs and a 100 000-message integrity run between two JVMs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FabricConformanceTest {
    /** Tag of the tests that need no DC initiator or target, so they also run on devices without DC. */
    protected static final String RELIABLE_ONLY = "reliable-only";
    /** The access key of the targets under test. */
    protected static final long ACCESS_KEY = 0x5EC2E7_C0FFEE_01L;
    /** How long a test waits for a completion that must come. */
    protected static final Duration AWAIT = Duration.ofSeconds(10);
    /** How long a test waits to be sure a completion does not come. */
    protected static final Duration QUIET = Duration.ofMillis(150);
    /** The RNR timeout the suite's NICs must use; see {@link #nicOptions()}. */
    protected static final Duration RNR_TIMEOUT = Duration.ofMillis(300);
    /** The peer timeout the suite's NICs must use; see {@link #nicOptions()}. */
    protected static final Duration PEER_TIMEOUT = Duration.ofMillis(1000);
    private static final int RECEIVES = 8;
    private static final int RECEIVE_SIZE = 1024;
    private static final int DATA_SIZE = 64 * 1024;
    private static final byte UNTOUCHED = (byte) 0xEE;

    /** The initiator side. */
    protected Nic initiatorNic;
    /** The target side. */
    protected Nic targetNic;
    /** Send completions of {@link #initiator}. */
    protected CompletionQueue sendCompletions;
    /** Receive completions of {@link #target}. */
    protected CompletionQueue receiveCompletions;
    /** The target's receive queue, with {@link #RECEIVES} buffers of {@link #RECEIVE_SIZE} bytes posted. */
    protected SharedReceiveQueue receives;
    /** The initiator under test. */
    protected DcInitiator initiator;
    /** The target under test. */
    protected DcTarget target;
    /** The initiator's local region: LOCAL_WRITE. */
    protected MemoryRegion local;
    /** The target's receive buffers: LOCAL_WRITE. */
    protected MemoryRegion receiveBuffers;
    /** The target's one-sided region: LOCAL_WRITE, REMOTE_WRITE, REMOTE_READ. */
    protected MemoryRegion remote;
    /** A reusable work request. */
    protected final WorkRequest request = new WorkRequest();
    private final Completion[] polled = Completion.array(32);
    private final List<PeerProcess> peers = new ArrayList<>();

    /**
     * The options of every NIC the suite opens, in this JVM and in peers. They must name the provider, use
     * {@link #RNR_TIMEOUT} and {@link #PEER_TIMEOUT}, and may set a directory (which peers are given too).
     *
     * @return fresh options.
     */
    protected abstract NicOptions nicOptions();

    /**
     * Makes a target unreachable from this JVM's initiators, as if its host died, without closing anything.
     * Providers that cannot do this return {@code false} and the test is skipped.
     *
     * @param deadTarget the target.
     * @return whether the provider did it.
     */
    protected abstract boolean makeTargetLookDead(DcTarget deadTarget);

    /** @return a NIC opened with {@link #nicOptions()}. */
    protected Nic openNic() {
        return Fabrics.open(nicOptions());
    }

    @BeforeEach
    void openResources(TestInfo test) {
        initiatorNic = openNic();
        targetNic = openNic();
        sendCompletions = initiatorNic.createCompletionQueue(64);
        local = initiatorNic.allocateRegion(DATA_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        receiveCompletions = targetNic.createCompletionQueue(64);
        receives = targetNic.createSharedReceiveQueue(RECEIVES);
        receiveBuffers = targetNic.allocateRegion(RECEIVES * RECEIVE_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        remote = targetNic.allocateRegion(DATA_SIZE,
            EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
        fill(receiveBuffers, UNTOUCHED);
        fill(remote, UNTOUCHED);
        // Devices without DC (Soft-RoCE under the rdma provider) run only the reliable-queue-pair tests.
        if (!initiatorNic.capabilities().dynamicallyConnected()) {
            Assumptions.assumeTrue(test.getTags().contains(RELIABLE_ONLY),
                () -> initiatorNic.deviceName() + " has no DC transport; only @Tag(\"" + RELIABLE_ONLY + "\") tests run");
            return;
        }
        initiator = initiatorNic.createInitiator(sendCompletions, 16);
        target = targetNic.createTarget(receives, receiveCompletions, ACCESS_KEY);
    }

    @AfterEach
    void closeResources() {
        for (PeerProcess peer : peers) {
            peer.kill();
        }
        if (initiatorNic != null) {
            initiatorNic.close();
        }
        if (targetNic != null) {
            targetNic.close();
        }
    }

    // Operations

    @Test
    void sendFromRegionLandsInTheReceiveBufferAndCompletesBothSides() {
        postReceives(1);
        byte[] payload = pattern(100, 1);
        local.buffer().putBytes(64, payload);
        assertTrue(initiator.post(target.address(), request.send(local, 64, payload.length).wrId(7).signalled(true)));

        Done sent = awaitOne(sendCompletions);
        assertEquals(new Done(7, Opcode.SEND, CompletionStatus.SUCCESS, payload.length, 0, false), sent);
        Done received = awaitOne(receiveCompletions);
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.SUCCESS, payload.length, 0, false), received);
        assertArrayEquals(payload, bytes(receiveBuffers, 0, payload.length));
        assertEquals(UNTOUCHED, receiveBuffers.buffer().getByte(payload.length), "wrote past the payload");
    }

    @Test
    void sendInlineCopiesThePayloadAtPostTime() {
        postReceives(1);
        int inline = Math.min(64, initiatorNic.capabilities().maxInlineData());
        byte[] payload = pattern(inline, 2);
        UnsafeBuffer source = new UnsafeBuffer(payload.clone());
        assertTrue(initiator.post(target.address(), request.sendInline(source, 0, inline).wrId(8)));
        source.setMemory(0, inline, (byte) 0);

        assertEquals(new Done(8, Opcode.SEND, CompletionStatus.SUCCESS, inline, 0, false), awaitOne(sendCompletions));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
        assertArrayEquals(payload, bytes(receiveBuffers, 0, inline));
    }

    @Test
    void receiveCompletionsCarryEachReceivesWrIdInPostingOrder() {
        postReceives(3);
        for (int i = 0; i < 3; i++) {
            local.buffer().putInt(0, 100 + i);
            assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 4).wrId(i)));
        }
        for (int i = 0; i < 3; i++) {
            Done received = awaitOne(receiveCompletions);
            assertEquals(i, received.wrId());
            assertEquals(100 + i, receiveBuffers.buffer().getInt(i * RECEIVE_SIZE));
        }
    }

    @Test
    void writeCopiesIntoTheRemoteRegionAndDoesNotConsumeAReceive() {
        postReceives(1);
        byte[] payload = pattern(4096, 3);
        local.buffer().putBytes(0, payload);
        assertTrue(initiator.post(target.address(),
            request.write(local, 0, payload.length, remote.remoteAddress(1000), remote.rkey()).wrId(9)));

        assertEquals(new Done(9, Opcode.WRITE, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertArrayEquals(payload, bytes(remote, 1000, payload.length));
        assertEquals(UNTOUCHED, remote.buffer().getByte(999));
        assertEquals(UNTOUCHED, remote.buffer().getByte(1000 + payload.length));
        assertNoCompletion(receiveCompletions);
        assertEquals(1, receives.posted());
    }

    @Test
    void writeWithImmediateDeliversTheImmediateInAReceiveCompletion() {
        postReceives(1);
        byte[] payload = pattern(300, 4);
        local.buffer().putBytes(0, payload);
        assertTrue(initiator.post(target.address(),
            request.writeWithImmediate(local, 0, payload.length, remote.remoteAddress(0), remote.rkey(), 0xCAFE)
                .wrId(10)));

        assertEquals(new Done(10, Opcode.WRITE_WITH_IMM, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertEquals(new Done(0, Opcode.RECV_RDMA_WITH_IMM, CompletionStatus.SUCCESS, payload.length, 0xCAFE, true),
            awaitOne(receiveCompletions));
        assertArrayEquals(payload, bytes(remote, 0, payload.length));
        assertEquals(UNTOUCHED, receiveBuffers.buffer().getByte(0), "the receive buffer must stay untouched");
    }

    @Test
    void readCopiesRemoteBytesIntoTheLocalRegion() {
        byte[] payload = pattern(2048, 5);
        remote.buffer().putBytes(512, payload);
        assertTrue(initiator.post(target.address(),
            request.read(local, 128, payload.length, remote.remoteAddress(512), remote.rkey()).wrId(11)));

        assertEquals(new Done(11, Opcode.READ, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertArrayEquals(payload, bytes(local, 128, payload.length));
        assertNoCompletion(receiveCompletions);
    }

    @Test
    void unsignalledSuccessesProduceNoCompletion() {
        local.buffer().putLong(0, 42);
        request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(1).signalled(false);
        assertTrue(initiator.post(target.address(), request));
        request.write(local, 0, 8, remote.remoteAddress(8), remote.rkey()).wrId(2).signalled(true);
        assertTrue(initiator.post(target.address(), request));

        assertEquals(2, awaitOne(sendCompletions).wrId());
        assertNoCompletion(sendCompletions);
        assertEquals(42, remote.buffer().getLong(0));
        assertEquals(42, remote.buffer().getLong(8));
    }

    @Test
    void aTargetAddressSurvivesItsExternalForm() {
        postReceives(1);
        TargetAddress copy = TargetAddress.fromExternalForm(target.address().toExternalForm());
        assertTrue(initiator.post(copy, request.sendInline(local.buffer(), 0, 16).wrId(3)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
    }

    @Test
    void oneInitiatorReachesManyTargets() {
        SharedReceiveQueue otherReceives = targetNic.createSharedReceiveQueue(2);
        CompletionQueue otherCompletions = targetNic.createCompletionQueue(8);
        DcTarget other = targetNic.createTarget(otherReceives, otherCompletions, ACCESS_KEY);
        Nic thirdNic = openNic();
        try {
            CompletionQueue thirdCompletions = thirdNic.createCompletionQueue(8);
            SharedReceiveQueue thirdReceives = thirdNic.createSharedReceiveQueue(2);
            MemoryRegion thirdBuffers = thirdNic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
            DcTarget third = thirdNic.createTarget(thirdReceives, thirdCompletions, ACCESS_KEY);
            postReceives(1);
            otherReceives.postReceive(50, receiveBuffers, RECEIVE_SIZE, 64);
            thirdReceives.postReceive(60, thirdBuffers, 0, 64);
            for (DcTarget each : List.of(target, other, third)) {
                assertTrue(initiator.post(each.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
            }
            assertEquals(0, awaitOne(receiveCompletions).wrId());
            assertEquals(50, awaitOne(otherCompletions).wrId());
            assertEquals(60, awaitOne(thirdCompletions).wrId());
            for (int i = 0; i < 3; i++) {
                assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
            }
        } finally {
            thirdNic.close();
        }
    }

    // Errors

    @Test
    void aSendLargerThanTheReceiveFailsBothSidesAndWritesNothing() {
        receives.postReceive(5, receiveBuffers, 0, 16);
        assertTrue(initiator.post(target.address(), request.send(local, 0, 17).wrId(12).signalled(false)));

        assertEquals(new Done(12, Opcode.SEND, CompletionStatus.REMOTE_INVALID_REQUEST, 17, 0, false),
            awaitOne(sendCompletions));
        Done received = awaitOne(receiveCompletions);
        assertEquals(5, received.wrId());
        assertEquals(CompletionStatus.LOCAL_LENGTH, received.status());
        assertEquals(Opcode.RECV, received.opcode());
        assertUntouched(receiveBuffers, 0, 16);
        assertEquals(QueuePairState.ERROR, initiator.state());
    }

    @Test
    void localProtectionErrorsForBadLocalBuffers() {
        MemoryRegion readOnly = initiatorNic.allocateRegion(64, EnumSet.noneOf(Access.class));
        MemoryRegion closed = initiatorNic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        closed.close();
        MemoryRegion foreign = targetNic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        List<WorkRequest> bad = List.of(
            new WorkRequest().write(local, DATA_SIZE - 8, 16, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(local, -1, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().read(readOnly, 0, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(closed, 0, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().write(foreign, 0, 8, remote.remoteAddress(0), remote.rkey()));
        for (WorkRequest each : bad) {
            assertTrue(initiator.post(target.address(), each.wrId(13).signalled(false)));
            assertEquals(CompletionStatus.LOCAL_PROTECTION, awaitOne(sendCompletions).status(), each.toString());
            assertEquals(QueuePairState.ERROR, initiator.state());
            initiator.reset();
        }
        assertUntouched(remote, 0, DATA_SIZE);
    }

    @Test
    void remoteAccessErrorsWriteAndDeliverNothing() {
        postReceives(1);
        MemoryRegion noRemote = targetNic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        fill(noRemote, UNTOUCHED);
        MemoryRegion writeOnly = targetNic.allocateRegion(64, EnumSet.of(Access.REMOTE_WRITE));
        TargetAddress wrongKey = target.address().withAccessKey(ACCESS_KEY + 1);
        fill(local, (byte) 1);
        record Case(String name, TargetAddress to, WorkRequest request) {
        }
        List<Case> cases = List.of(
            new Case("SEND with a wrong access key", wrongKey, new WorkRequest().send(local, 0, 8)),
            new Case("WRITE with a wrong access key", wrongKey,
                new WorkRequest().write(local, 0, 8, remote.remoteAddress(0), remote.rkey())),
            new Case("WRITE_WITH_IMM with a wrong access key", wrongKey,
                new WorkRequest().writeWithImmediate(local, 0, 8, remote.remoteAddress(0), remote.rkey(), 1)),
            new Case("READ with a wrong access key", wrongKey,
                new WorkRequest().read(local, 0, 8, remote.remoteAddress(0), remote.rkey())),
            new Case("WRITE with a wrong rkey", target.address(),
                new WorkRequest().write(local, 0, 8, remote.remoteAddress(0), remote.rkey() ^ 0x5A5A00)),
            new Case("WRITE past the region's end", target.address(),
                new WorkRequest().write(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey())),
            new Case("WRITE before the region's start", target.address(),
                new WorkRequest().write(local, 0, 8, remote.remoteAddress(0) - 1, remote.rkey())),
            new Case("WRITE_WITH_IMM past the region's end", target.address(),
                new WorkRequest().writeWithImmediate(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey(), 1)),
            new Case("WRITE without REMOTE_WRITE", target.address(),
                new WorkRequest().write(local, 0, 8, noRemote.remoteAddress(0), noRemote.rkey())),
            new Case("READ without REMOTE_READ", target.address(),
                new WorkRequest().read(local, 0, 8, writeOnly.remoteAddress(0), writeOnly.rkey())),
            new Case("READ past the region's end", target.address(),
                new WorkRequest().read(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey())));
        for (Case each : cases) {
            assertTrue(initiator.post(each.to(), each.request().wrId(14).signalled(false)));
            Done done = awaitOne(sendCompletions);
            assertEquals(CompletionStatus.REMOTE_ACCESS, done.status(), each.name());
            assertEquals(14, done.wrId(), each.name());
            assertEquals(QueuePairState.ERROR, initiator.state(), each.name());
            initiator.reset();
        }
        assertUntouched(remote, 0, DATA_SIZE);
        assertUntouched(noRemote, 0, 64);
        assertUntouched(receiveBuffers, 0, RECEIVES * RECEIVE_SIZE);
        assertNoCompletion(receiveCompletions);
        assertEquals(1, receives.posted(), "a refused SEND must not consume a receive");
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 1, local.buffer().getByte(i), "a refused READ must not write locally");
        }
    }

    @Test
    void anOversizedInlineSendFailsWithLocalLength() {
        int tooLong = initiatorNic.capabilities().maxInlineData() + 1;
        UnsafeBuffer source = new UnsafeBuffer(new byte[tooLong]);
        postReceives(1);
        assertTrue(initiator.post(target.address(), request.sendInline(source, 0, tooLong).wrId(15)));
        assertEquals(CompletionStatus.LOCAL_LENGTH, awaitOne(sendCompletions).status());
        assertNoCompletion(receiveCompletions);
    }

    @Test
    void aSendWithoutAReceiveFailsWithRnrAfterTheTimeoutWithoutBlockingPost() {
        long start = System.nanoTime();
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(16)));
        long postNanos = System.nanoTime() - start;
        assertTrue(postNanos < RNR_TIMEOUT.toNanos() / 2, "post blocked for " + postNanos / 1_000_000 + " ms");

        Done done = awaitOne(sendCompletions);
        long elapsed = System.nanoTime() - start;
        assertEquals(new Done(16, Opcode.SEND, CompletionStatus.RNR_RETRY_EXCEEDED, 8, 0, false), done);
        assertTrue(elapsed >= RNR_TIMEOUT.toNanos() * 9 / 10, "RNR reported after only " + elapsed / 1_000_000 + " ms");
        assertEquals(QueuePairState.ERROR, initiator.state());
        postReceives(1);
        assertNoCompletion(receiveCompletions);
    }

    @Test
    void aWriteWithImmediateWithoutAReceiveFailsWithRnr() {
        assertTrue(initiator.post(target.address(),
            request.writeWithImmediate(local, 0, 8, remote.remoteAddress(0), remote.rkey(), 5).wrId(17)));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        assertUntouched(remote, 0, DATA_SIZE);
    }

    @Test
    void aWaitingSendIsDeliveredOnceAReceiveIsPosted() throws InterruptedException {
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(18)));
        Thread.sleep(RNR_TIMEOUT.toMillis() / 6);
        assertEquals(0, sendCompletions.poll(polled), "the SEND must still wait for a receive");
        postReceives(1);
        assertEquals(new Done(18, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
    }

    @Test
    void laterRequestsWaitBehindAWaitingSendInOrder() {
        local.buffer().putLong(0, 77);
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(initiator.post(target.address(),
            request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2)));
        assertNoCompletion(sendCompletions);
        assertUntouched(remote, 0, 8);

        postReceives(1);
        assertEquals(new Done(1, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(new Done(2, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(77, remote.buffer().getLong(0));
    }

    @Test
    void aFullSendQueueRefusesPostsUntilRequestsComplete() {
        DcInitiator small = initiatorNic.createInitiator(sendCompletions, 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(small.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(i)));
        }
        assertEquals(0, small.sendQueueSpace());
        assertFalse(small.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(99)));

        postReceives(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(new Done(i, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        }
        assertEquals(4, small.sendQueueSpace());
        small.close();
    }

    @Test
    void anErrorFlushesLaterRequestsEvenUnsignalledUntilReset() {
        assertTrue(initiator.post(target.address(),
            request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey() + 1).wrId(1).signalled(false)));
        assertEquals(new Done(1, Opcode.WRITE, CompletionStatus.REMOTE_ACCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(QueuePairState.ERROR, initiator.state());

        assertTrue(initiator.post(target.address(),
            request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2).signalled(false)));
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(3).signalled(false)));
        assertEquals(new Done(2, Opcode.WRITE, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(new Done(3, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendCompletions));
        assertUntouched(remote, 0, DATA_SIZE);

        initiator.reset();
        assertEquals(QueuePairState.READY, initiator.state());
        local.buffer().putLong(0, 5);
        assertTrue(initiator.post(target.address(),
            request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(4).signalled(true)));
        assertEquals(new Done(4, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(5, remote.buffer().getLong(0));
    }

    @Test
    void resetFlushesRequestsQueuedBehindAFailure() {
        DcInitiator second = initiatorNic.createInitiator(sendCompletions, 8);
        assertTrue(second.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(second.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(2)));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        second.reset();
        assertEquals(new Done(2, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), pollNow(sendCompletions));
        assertEquals(QueuePairState.READY, second.state());
        second.close();
    }

    @Test
    void closingAQueuePairFlushesItsQueuedRequests() {
        DcInitiator doomed = initiatorNic.createInitiator(sendCompletions, 8);
        assertTrue(doomed.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(doomed.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(2)));
        doomed.close();
        assertEquals(QueuePairState.CLOSED, doomed.state());
        assertEquals(CompletionStatus.FLUSHED, awaitOne(sendCompletions).status());
        assertEquals(CompletionStatus.FLUSHED, awaitOne(sendCompletions).status());
        assertThrows(IllegalStateException.class, () -> doomed.post(target.address(), request));
    }

    @Test
    void closingASharedReceiveQueueFlushesItsPostedReceives() {
        postReceives(2);
        receives.close();
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receiveCompletions));
        assertEquals(new Done(1, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receiveCompletions));
    }

    @Test
    void aFullSharedReceiveQueueRefusesReceivesUntilCompletionsArePolled() {
        postReceives(RECEIVES);
        assertEquals(RECEIVES, receives.posted());
        assertFalse(receives.postReceive(99, receiveBuffers, 0, 8));
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertEquals(RECEIVES - 1, receives.posted());
        assertEquals(0, awaitOne(receiveCompletions).wrId());
        assertTrue(receives.postReceive(99, receiveBuffers, 0, 8));
    }

    @Test
    void postingToATargetWhoseNicClosedFailsWithRetryExceeded() {
        postReceives(1);
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        TargetAddress gone = target.address();
        targetNic.close();
        targetNic = null;
        assertTrue(initiator.post(gone, request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
    }

    @Test
    void postingToAClosedTargetFails() {
        TargetAddress address = target.address();
        target.close();
        postReceives(1);
        assertTrue(initiator.post(address, request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertNotEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertNoCompletion(receiveCompletions);
    }

    @Test
    void postingToATargetThatLooksDeadFailsWithRetryExceeded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(makeTargetLookDead(target), "provider cannot fake a dead target");
        postReceives(1);
        assertTrue(initiator.post(target.address(), request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        assertNoCompletion(receiveCompletions);
    }

    @Test
    void badArgumentsAreRefusedWithTypedErrors() {
        assertThrows(IllegalArgumentException.class, () -> initiator.post(target.address(), new WorkRequest()));
        assertThrows(IllegalArgumentException.class, () -> receives.postReceive(1, local, 0, 8),
            "a region of another NIC");
        assertThrows(IllegalArgumentException.class, () -> receives.postReceive(1, receiveBuffers, 0, RECEIVES * RECEIVE_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> targetNic.allocateRegion(0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> initiatorNic.createInitiator(receiveCompletions, 4),
            "a completion queue of another NIC");
    }

    // Reliable queue pairs

    @Test
    @Tag(RELIABLE_ONLY)
    void reliableQueuePairsConnectAndCarryEveryOperationBothWays() {
        CompletionQueue aSends = initiatorNic.createCompletionQueue(16);
        CompletionQueue aReceives = initiatorNic.createCompletionQueue(16);
        SharedReceiveQueue aQueue = initiatorNic.createSharedReceiveQueue(4);
        ReliableQueuePair a = initiatorNic.createReliableQueuePair(aSends, aQueue, aReceives, 8);
        CompletionQueue bSends = targetNic.createCompletionQueue(16);
        ReliableQueuePair b = targetNic.createReliableQueuePair(bSends, receives, receiveCompletions, 8);
        assertFalse(a.isConnected());
        assertThrows(IllegalStateException.class, () -> a.post(request.sendInline(local.buffer(), 0, 8)));

        a.connect(b.localAddress());
        b.connect(a.localAddress());
        assertTrue(a.isConnected() && b.isConnected());

        postReceives(1);
        local.buffer().putLong(0, 1234);
        assertTrue(a.post(request.send(local, 0, 8).wrId(1)));
        assertEquals(new Done(1, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(aSends));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
        assertEquals(1234, receiveBuffers.buffer().getLong(0));

        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(64), remote.rkey()).wrId(2)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(aSends).status());
        assertEquals(1234, remote.buffer().getLong(64));

        aQueue.postReceive(9, local, 1024, 64);
        remote.buffer().putLong(128, 4321);
        assertTrue(b.post(request.send(remote, 128, 8).wrId(3)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(bSends).status());
        assertEquals(new Done(9, Opcode.RECV, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(aReceives));
        assertEquals(4321, local.buffer().getLong(1024));

        assertTrue(a.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey() + 1).wrId(4)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(aSends).status());
        assertEquals(QueuePairState.ERROR, a.state());
        a.reset();
        assertEquals(QueuePairState.READY, a.state());
    }

    @Test
    @Tag(RELIABLE_ONLY)
    void connectingToSomethingOtherThanALiveReliableQueuePairFails() {
        CompletionQueue cq = initiatorNic.createCompletionQueue(8);
        SharedReceiveQueue srq = initiatorNic.createSharedReceiveQueue(2);
        ReliableQueuePair a = initiatorNic.createReliableQueuePair(cq, srq, cq, 4);
        ReliableQueuePair b = targetNic.createReliableQueuePair(cq(targetNic), receives, receiveCompletions, 4);
        if (target != null) {
            assertThrows(VerbsException.class, () -> a.connect(target.address()), "a DC target");
        }
        assertThrows(VerbsException.class, () -> a.connect(b.localAddress().withAccessKey(b.localAddress().accessKey() + 1)));
        TargetAddress closed = b.localAddress();
        b.close();
        assertThrows(VerbsException.class, () -> a.connect(closed));
        assertFalse(a.isConnected());
    }

    // Across two JVMs

    @Test
    void everyOperationWorksAcrossTwoJvms() throws Exception {
        PeerProcess peer = startPeer();
        String[] info = peer.ask("target 4 1024 65536", AWAIT);
        TargetAddress address = TargetAddress.fromExternalForm(info[0]);
        int rkey = Integer.parseInt(info[1]);
        long base = Long.parseLong(info[2]);

        byte[] payload = pattern(1000, 6);
        local.buffer().putBytes(0, payload);
        assertTrue(initiator.post(address, request.send(local, 0, 1000).wrId(1)));
        assertTrue(initiator.post(address, request.write(local, 0, 1000, base + 4096, rkey).wrId(2)));
        assertTrue(initiator.post(address, request.writeWithImmediate(local, 0, 1000, base + 8192, rkey, 77).wrId(3)));
        for (int i = 1; i <= 3; i++) {
            Done done = awaitOne(sendCompletions);
            assertEquals(i, done.wrId());
            assertEquals(CompletionStatus.SUCCESS, done.status());
        }
        String[] completions = peer.ask("poll 2 5000", AWAIT);
        assertArrayEquals(new String[] {"0:RECV:SUCCESS:1000:0:false", "1:RECV_RDMA_WITH_IMM:SUCCESS:1000:77:true"},
            completions);
        int crc = IntegrityFrames.crc(local.buffer(), 0, 1000);
        assertEquals(String.valueOf(crc), peer.ask("recvcrc 0 1000", AWAIT)[0]);
        assertEquals(String.valueOf(crc), peer.ask("crc 4096 1000", AWAIT)[0]);
        assertEquals(String.valueOf(crc), peer.ask("crc 8192 1000", AWAIT)[0]);

        String filled = peer.ask("fill 20000 3000", AWAIT)[0];
        assertTrue(initiator.post(address, request.read(local, 10000, 3000, base + 20000, rkey).wrId(4)));
        assertEquals(new Done(4, Opcode.READ, CompletionStatus.SUCCESS, 3000, 0, false), awaitOne(sendCompletions));
        assertEquals(filled, String.valueOf(IntegrityFrames.crc(local.buffer(), 10000, 3000)));

        assertTrue(initiator.post(address.withAccessKey(1), request.write(local, 0, 8, base, rkey).wrId(5)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        initiator.reset();
        assertTrue(initiator.post(address, request.write(local, 0, 8, base + 65536 - 4, rkey).wrId(6)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        assertEquals(String.valueOf(IntegrityFrames.crc(new UnsafeBuffer(new byte[4]), 0, 4)),
            peer.ask("crc 65532 4", AWAIT)[0], "a refused WRITE must not write");
    }

    @Test
    void aKilledPeerIsReportedWithRetryExceededWithinThePeerTimeout() throws Exception {
        PeerProcess peer = startPeer();
        String[] info = peer.ask("target 4 1024 4096", AWAIT);
        TargetAddress address = TargetAddress.fromExternalForm(info[0]);
        int rkey = Integer.parseInt(info[1]);
        long base = Long.parseLong(info[2]);
        assertTrue(initiator.post(address, request.write(local, 0, 8, base, rkey).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());

        peer.kill();
        long killed = System.nanoTime();
        long deadline = killed + PEER_TIMEOUT.toNanos() + Duration.ofSeconds(2).toNanos();
        CompletionStatus status = CompletionStatus.SUCCESS;
        while (status == CompletionStatus.SUCCESS && System.nanoTime() < deadline) {
            assertTrue(initiator.post(address, request.write(local, 0, 8, base, rkey).wrId(2)));
            status = awaitOne(sendCompletions).status();
            if (status == CompletionStatus.SUCCESS) {
                Thread.sleep(10);
            }
        }
        long detected = System.nanoTime() - killed;
        assertEquals(CompletionStatus.RETRY_EXCEEDED, status,
            "after " + detected / 1_000_000 + " ms the dead peer was still not reported");
        initiator.reset();
        assertTrue(initiator.post(address, request.sendInline(local.buffer(), 0, 8).wrId(3)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void hundredThousandMessagesCrossTwoJvmsIntactAndInOrder() throws Exception {
        int count = 100_000;
        long seed = 20240501L;
        CompletionQueue completions = targetNic.createCompletionQueue(256);
        SharedReceiveQueue queue = targetNic.createSharedReceiveQueue(64);
        MemoryRegion buffers = targetNic.allocateRegion(64 * IntegrityFrames.MAX_FRAME, EnumSet.of(Access.LOCAL_WRITE));
        for (int i = 0; i < 64; i++) {
            queue.postReceive(i, buffers, (long) i * IntegrityFrames.MAX_FRAME, IntegrityFrames.MAX_FRAME);
        }
        DcTarget sink = targetNic.createTarget(queue, completions, ACCESS_KEY);
        PeerProcess source = startPeer(Duration.ofSeconds(20));
        source.send("source " + sink.address().toExternalForm() + " " + count + " " + seed);

        Random sizes = new Random(seed);
        Completion[] batch = Completion.array(64);
        long expected = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
        while (expected < count && System.nanoTime() < deadline) {
            int n = completions.poll(batch);
            for (int i = 0; i < n; i++) {
                Completion c = batch[i];
                assertEquals(CompletionStatus.SUCCESS, c.status(), "message " + expected);
                int slot = (int) c.wrId();
                int offset = slot * IntegrityFrames.MAX_FRAME;
                long seq = buffers.buffer().getLong(offset);
                if (seq != expected) {
                    fail("expected message " + expected + " but got " + seq + ": lost, duplicated or reordered");
                }
                int length = buffers.buffer().getInt(offset + 12);
                assertEquals(1 + sizes.nextInt(IntegrityFrames.MAX_PAYLOAD), length, "length of message " + seq);
                assertEquals(IntegrityFrames.HEADER + length, c.byteLength(), "byte length of message " + seq);
                assertEquals(buffers.buffer().getInt(offset + 8),
                    IntegrityFrames.crc(buffers.buffer(), offset + IntegrityFrames.HEADER, length),
                    "message " + seq + " is corrupted");
                expected++;
                assertTrue(queue.postReceive(slot, buffers, offset, IntegrityFrames.MAX_FRAME));
            }
            if (n == 0) {
                Thread.yield();
            }
        }
        assertEquals(count, expected, "messages received before the deadline");
        assertArrayEquals(new String[] {String.valueOf(count), "SUCCESS"}, source.expect("source", AWAIT));
        assertNoCompletion(completions);
    }

    // Helpers

    /** A completion copied out of the reusable array. */
    protected record Done(long wrId, Opcode opcode, CompletionStatus status, int byteLength, int immediate,
                          boolean hasImmediate) {
        static Done of(Completion c) {
            return new Done(c.wrId(), c.opcode(), c.status(), c.byteLength(), c.immediate(), c.hasImmediate());
        }
    }

    /** Polls until one completion arrives, or fails after {@link #AWAIT}. */
    protected Done awaitOne(CompletionQueue queue) {
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

    /** Takes one completion that must already be there. */
    protected Done pollNow(CompletionQueue queue) {
        Completion[] one = Completion.array(1);
        assertEquals(1, queue.poll(one), "a completion must be ready");
        return Done.of(one[0]);
    }

    /** Asserts that no completion arrives for {@link #QUIET}. */
    protected void assertNoCompletion(CompletionQueue queue) {
        long deadline = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < deadline) {
            int n = queue.poll(polled);
            if (n > 0) {
                fail("unexpected completion " + Done.of(polled[0]));
            }
            Thread.onSpinWait();
        }
    }

    /** Posts {@code count} receives of {@link #RECEIVE_SIZE} bytes with wrIds 0.. */
    protected void postReceives(int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(receives.postReceive(i, receiveBuffers, (long) i * RECEIVE_SIZE, RECEIVE_SIZE));
        }
    }

    /** Starts a peer JVM with this suite's options. */
    protected PeerProcess startPeer() throws java.io.IOException {
        return startPeer(RNR_TIMEOUT);
    }

    private PeerProcess startPeer(Duration rnrTimeout) throws java.io.IOException {
        NicOptions options = nicOptions();
        PeerProcess peer = PeerProcess.start(List.of(options.provider(),
            options.directory() == null ? "-" : options.directory().toString(),
            String.valueOf(rnrTimeout.toMillis()), String.valueOf(options.peerTimeout().toMillis()),
            String.valueOf(ACCESS_KEY)));
        peers.add(peer);
        return peer;
    }

    private static CompletionQueue cq(Nic nic) {
        return nic.createCompletionQueue(8);
    }

    private static void fill(MemoryRegion region, byte value) {
        region.buffer().setMemory(0, region.length(), value);
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
        for (int i = offset; i < offset + length; i++) {
            if (region.buffer().getByte(i) != UNTOUCHED) {
                fail("byte " + i + " of " + region + " was written");
            }
        }
    }
}
