package org.rdmabus.verbs.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * The provider-independent conformance suite of the NIC layer. A provider runs it by extending this class and
 * supplying {@link #nicOptions()}; everything else uses only the SPI. Each test opens two NICs in this JVM (a
 * sending side and a receiving side); the cross-JVM tests also start a {@link ConformancePeer} in a second JVM.
 * <p>
 * The suite covers every operation (SEND from a region and inline, WRITE, WRITE_WITH_IMM, READ; signalled and
 * unsignalled; every completion field), every error status with its "nothing written or delivered" guarantee,
 * the error state with FLUSHED and reset, RNR handling without blocking {@code post}, dead peers, reliable queue
 * pairs, datagram queue pairs (payload-only receives, the size limit) and a 100 000-message integrity run
 * between two JVMs.
 * <p>
 * Every test that does not depend on DC addressing runs once per {@link Transport}: through a DC initiator to a
 * target, and through an RC queue pair to its connected peer (receiving from the same shared receive queue), so
 * a device without DC (Soft-RoCE) runs it over RC. What cannot exist on RC (one initiator reaching many targets,
 * DC access keys) and the DC variants on such a device are skipped as
 * {@linkplain Requirements#NOT_APPLICABLE_ON_RC_ONLY not applicable}, never silently.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class FabricConformanceTest {
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
    /**
     * System property: the largest payload of the integrity run's frames, at most (and by default)
     * {@link IntegrityFrames#MAX_PAYLOAD}. The Soft-RoCE VM lowers it because emulation makes every byte slow.
     */
    public static final String INTEGRITY_MAX_PAYLOAD_PROPERTY = "rdmabus.conformance.integrityMaxPayload";
    /** The integrity run's RNR timeout, on both ends: the sink must be allowed to fall behind the source. */
    private static final Duration INTEGRITY_RNR_TIMEOUT = Duration.ofSeconds(20);
    private static final int INTEGRITY_RECEIVES = 256;
    private static final int RECEIVES = 8;
    private static final int RECEIVE_SIZE = 1024;
    private static final int DATA_SIZE = 64 * 1024;
    private static final int DEPTH = 16;
    private static final byte UNTOUCHED = (byte) 0xEE;

    /** The sending side. */
    protected Nic initiatorNic;
    /** The receiving side. */
    protected Nic targetNic;
    /** Send completions of every sender. */
    protected CompletionQueue sendCompletions;
    /** Receive completions of the receiving side. */
    protected CompletionQueue receiveCompletions;
    /** The receiving side's shared receive queue, with {@link #RECEIVES} buffers of {@link #RECEIVE_SIZE}. */
    protected SharedReceiveQueue receives;
    /** The sending side's local region: LOCAL_WRITE. */
    protected MemoryRegion local;
    /** The receiving side's receive buffers: LOCAL_WRITE. */
    protected MemoryRegion receiveBuffers;
    /** The receiving side's one-sided region: LOCAL_WRITE, REMOTE_WRITE, REMOTE_READ. */
    protected MemoryRegion remote;
    /** A reusable work request. */
    protected final WorkRequest request = new WorkRequest();
    // An RC queue pair needs receives and completion queues at both ends even where a test uses one direction.
    private SharedReceiveQueue senderReceives;
    private CompletionQueue senderReceiveCompletions;
    private CompletionQueue peerSendCompletions;
    private DcTarget target;
    private final Completion[] polled = Completion.array(32);
    private final List<PeerProcess> peers = new ArrayList<>();

    /** A test that runs once per {@link Transport}, named after it. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    protected @interface OverEachTransport {
    }

    /**
     * The options of every NIC the suite opens, in this JVM and in peers. They must name the provider, use
     * {@link #RNR_TIMEOUT} and {@link #PEER_TIMEOUT}, and may set a directory (which peers are given too).
     *
     * @return fresh options.
     */
    protected abstract NicOptions nicOptions();

    /**
     * Makes a DC target unreachable from this JVM's initiators, as if its host died, without closing anything.
     * Providers that cannot do this return {@code false} and the test is reported not applicable to them.
     *
     * @param deadTarget the target.
     * @return whether the provider did it.
     */
    protected abstract boolean makeTargetLookDead(DcTarget deadTarget);

    /**
     * Like {@link #makeTargetLookDead(DcTarget)} for the receiving RC queue pair of a connection.
     *
     * @param deadPeer the queue pair its peer posts to.
     * @return whether the provider did it.
     */
    protected abstract boolean makePeerLookDead(ReliableQueuePair deadPeer);

    /** @return a NIC opened with {@link #nicOptions()}. */
    protected Nic openNic() {
        return Fabrics.open(nicOptions());
    }

    /**
     * Called before each test opens its NICs: skips (or, in a required run, fails) the test if the provider's
     * device is missing, through {@link Requirements#assumePresent}. Per test, so a missing device shows every
     * test as skipped rather than a class with no tests. The default does nothing.
     */
    protected void assumeProviderPresent() {
    }

    @BeforeEach
    void openResources() {
        assumeProviderPresent();
        initiatorNic = openNic();
        targetNic = openNic();
        sendCompletions = initiatorNic.createCompletionQueue(64);
        local = initiatorNic.allocateRegion(DATA_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        senderReceives = initiatorNic.createSharedReceiveQueue(4);
        senderReceiveCompletions = initiatorNic.createCompletionQueue(16);
        receiveCompletions = targetNic.createCompletionQueue(64);
        receives = targetNic.createSharedReceiveQueue(RECEIVES);
        peerSendCompletions = targetNic.createCompletionQueue(16);
        receiveBuffers = targetNic.allocateRegion(RECEIVES * RECEIVE_SIZE, EnumSet.of(Access.LOCAL_WRITE));
        remote = targetNic.allocateRegion(DATA_SIZE,
            EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
        fill(receiveBuffers, UNTOUCHED);
        fill(remote, UNTOUCHED);
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

    // Senders

    /** @return a sender over {@code transport} to the receiving side, {@value #DEPTH} requests deep. */
    protected Sender sender(Transport transport) {
        return sender(transport, DEPTH, UnaryOperator.identity());
    }

    /**
     * A sender from the sending side to the receiving side's {@link #receives} and {@link #receiveCompletions}.
     * A DC sender is a new initiator to the target; an RC sender is a new connection whose receiving queue pair
     * takes its receives from {@link #receives}. Over DC on a device without DC the test is not applicable.
     *
     * @param transport which queue pairs carry the requests.
     * @param depth     the send queue's depth.
     * @param handOver  what the receiver's address goes through on its way to the sender (and, for RC, the
     *                  sender's on its way back), as addresses travel through the cluster.
     * @return a sender whose completions arrive on {@link #sendCompletions}.
     */
    protected Sender sender(Transport transport, int depth, UnaryOperator<TargetAddress> handOver) {
        QueuePair queuePair = sendingQueuePair(transport, sendCompletions, depth);
        if (queuePair instanceof DcInitiator initiator) {
            return Sender.dc(initiator, handOver.apply(target().address()), target());
        }
        ReliableQueuePair a = (ReliableQueuePair) queuePair;
        ReliableQueuePair b = targetNic.createReliableQueuePair(peerSendCompletions, receives, receiveCompletions, depth);
        a.connect(handOver.apply(b.localAddress()));
        b.connect(handOver.apply(a.localAddress()));
        return Sender.rc(a, b);
    }

    /** A new DC initiator or unconnected RC queue pair on the sending side, whose sends complete on {@code cq}. */
    private QueuePair sendingQueuePair(Transport transport, CompletionQueue cq, int depth) {
        if (transport == Transport.DC) {
            requireDc("this test's RC variant runs instead");
            return initiatorNic.createInitiator(cq, depth);
        }
        return initiatorNic.createReliableQueuePair(cq, senderReceives, senderReceiveCompletions, depth);
    }

    /**
     * Brings a sender back after a remote error: a DC initiator is reset; an RC connection is replaced at both ends
     * (see {@link Transport#resetRecoversFromRemoteErrors()}).
     */
    private Sender afterRemoteError(Sender sender) {
        if (sender.transport().resetRecoversFromRemoteErrors()) {
            sender.queuePair().reset();
            return sender;
        }
        sender.queuePair().close();
        sender.closeReceiver();
        return sender(sender.transport());
    }

    /** Reports the calling test not applicable unless the device has DC. */
    private void requireDc(String why) {
        if (!initiatorNic.capabilities().dynamicallyConnected()) {
            Requirements.notApplicableOnRcOnlyDevices(initiatorNic.deviceName() + " has no DC transport; " + why);
        }
    }

    /** @return the receiving side's DC target on {@link #receives}, created on first use. */
    private DcTarget target() {
        if (target == null) {
            target = targetNic.createTarget(receives, receiveCompletions, ACCESS_KEY);
        }
        return target;
    }

    // Operations

    @OverEachTransport
    void sendFromRegionLandsInTheReceiveBufferAndCompletesBothSides(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        byte[] payload = pattern(100, 1);
        local.buffer().putBytes(64, payload);
        assertTrue(sender.post(request.send(local, 64, payload.length).wrId(7).signalled(true)));

        Done sent = awaitOne(sendCompletions);
        assertEquals(new Done(7, Opcode.SEND, CompletionStatus.SUCCESS, payload.length, 0, false), sent);
        Done received = awaitOne(receiveCompletions);
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.SUCCESS, payload.length, 0, false), received);
        assertArrayEquals(payload, bytes(receiveBuffers, 0, payload.length));
        assertEquals(UNTOUCHED, receiveBuffers.buffer().getByte(payload.length), "wrote past the payload");
    }

    @OverEachTransport
    void sendInlineCopiesThePayloadAtPostTime(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        int inline = Math.min(64, initiatorNic.capabilities().maxInlineData());
        byte[] payload = pattern(inline, 2);
        VarHandleBuffer source = new VarHandleBuffer(payload.clone());
        assertTrue(sender.post(request.sendInline(source, 0, inline).wrId(8)));
        source.setMemory(0, inline, (byte) 0);

        assertEquals(new Done(8, Opcode.SEND, CompletionStatus.SUCCESS, inline, 0, false), awaitOne(sendCompletions));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
        assertArrayEquals(payload, bytes(receiveBuffers, 0, inline));
    }

    @OverEachTransport
    void receiveCompletionsCarryEachReceivesWrIdInPostingOrder(Transport transport) {
        Sender sender = sender(transport);
        postReceives(3);
        for (int i = 0; i < 3; i++) {
            local.buffer().putInt(0, 100 + i);
            assertTrue(sender.post(request.sendInline(local.buffer(), 0, 4).wrId(i)));
        }
        for (int i = 0; i < 3; i++) {
            Done received = awaitOne(receiveCompletions);
            assertEquals(i, received.wrId());
            assertEquals(100 + i, receiveBuffers.buffer().getInt(i * RECEIVE_SIZE));
        }
    }

    @OverEachTransport
    void writeCopiesIntoTheRemoteRegionAndDoesNotConsumeAReceive(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        byte[] payload = pattern(4096, 3);
        local.buffer().putBytes(0, payload);
        assertTrue(sender.post(request.write(local, 0, payload.length, remote.remoteAddress(1000), remote.rkey()).wrId(9)));

        assertEquals(new Done(9, Opcode.WRITE, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertArrayEquals(payload, bytes(remote, 1000, payload.length));
        assertEquals(UNTOUCHED, remote.buffer().getByte(999));
        assertEquals(UNTOUCHED, remote.buffer().getByte(1000 + payload.length));
        assertNoCompletion(receiveCompletions);
        assertEquals(1, receives.posted());
    }

    @OverEachTransport
    void writeWithImmediateDeliversTheImmediateInAReceiveCompletion(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        byte[] payload = pattern(300, 4);
        local.buffer().putBytes(0, payload);
        assertTrue(sender.post(
            request.writeWithImmediate(local, 0, payload.length, remote.remoteAddress(0), remote.rkey(), 0xCAFE)
                .wrId(10)));

        assertEquals(new Done(10, Opcode.WRITE_WITH_IMM, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertEquals(new Done(0, Opcode.RECV_RDMA_WITH_IMM, CompletionStatus.SUCCESS, payload.length, 0xCAFE, true),
            awaitOne(receiveCompletions));
        assertArrayEquals(payload, bytes(remote, 0, payload.length));
        assertEquals(UNTOUCHED, receiveBuffers.buffer().getByte(0), "the receive buffer must stay untouched");
    }

    @OverEachTransport
    void readCopiesRemoteBytesIntoTheLocalRegion(Transport transport) {
        Sender sender = sender(transport);
        byte[] payload = pattern(2048, 5);
        remote.buffer().putBytes(512, payload);
        assertTrue(sender.post(request.read(local, 128, payload.length, remote.remoteAddress(512), remote.rkey()).wrId(11)));

        assertEquals(new Done(11, Opcode.READ, CompletionStatus.SUCCESS, payload.length, 0, false),
            awaitOne(sendCompletions));
        assertArrayEquals(payload, bytes(local, 128, payload.length));
        assertNoCompletion(receiveCompletions);
    }

    @OverEachTransport
    void unsignalledSuccessesProduceNoCompletion(Transport transport) {
        Sender sender = sender(transport);
        local.buffer().putLong(0, 42);
        assertTrue(sender.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(1).signalled(false)));
        assertTrue(sender.post(request.write(local, 0, 8, remote.remoteAddress(8), remote.rkey()).wrId(2).signalled(true)));

        assertEquals(2, awaitOne(sendCompletions).wrId());
        assertNoCompletion(sendCompletions);
        assertEquals(42, remote.buffer().getLong(0));
        assertEquals(42, remote.buffer().getLong(8));
    }

    @OverEachTransport
    void anAddressSurvivesItsExternalForm(Transport transport) {
        Sender sender = sender(transport, DEPTH, address -> TargetAddress.fromExternalForm(address.toExternalForm()));
        postReceives(1);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 16).wrId(3)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
    }

    @Test
    void oneInitiatorReachesManyTargets() {
        requireDc("one initiator reaching many targets is DC addressing; an RC queue pair reaches only its peer");
        DcInitiator initiator = initiatorNic.createInitiator(sendCompletions, DEPTH);
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
            for (DcTarget each : List.of(target(), other, third)) {
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

    @OverEachTransport
    void aSendLargerThanTheReceiveFailsBothSidesAndWritesNothing(Transport transport) {
        Sender sender = sender(transport);
        receives.postReceive(5, receiveBuffers, 0, 16);
        assertTrue(sender.post(request.send(local, 0, 17).wrId(12).signalled(false)));

        assertEquals(new Done(12, Opcode.SEND, CompletionStatus.REMOTE_INVALID_REQUEST, 17, 0, false),
            awaitOne(sendCompletions));
        Done received = awaitOne(receiveCompletions);
        assertEquals(5, received.wrId());
        assertEquals(CompletionStatus.LOCAL_LENGTH, received.status());
        assertEquals(Opcode.RECV, received.opcode());
        assertUntouched(receiveBuffers, 0, 16);
        assertEquals(QueuePairState.ERROR, sender.queuePair().state());
    }

    @OverEachTransport
    void localProtectionErrorsForBadLocalBuffersAndResetRecovers(Transport transport) {
        Sender sender = sender(transport);
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
            assertTrue(sender.post(each.wrId(13).signalled(false)));
            Done done = awaitOne(sendCompletions);
            assertEquals(CompletionStatus.LOCAL_PROTECTION, done.status(), each.toString());
            assertEquals(13, done.wrId(), each.toString());
            assertEquals(QueuePairState.ERROR, sender.queuePair().state());
            sender.queuePair().reset();
        }
        assertUntouched(remote, 0, DATA_SIZE);
        // A local error never reached the peer, so after the resets the same queue pair still works, RC included.
        local.buffer().putLong(0, 99);
        assertTrue(sender.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(14)));
        assertEquals(new Done(14, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(99, remote.buffer().getLong(0));
    }

    @OverEachTransport
    void remoteAccessErrorsWriteAndDeliverNothing(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        MemoryRegion noRemote = targetNic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        fill(noRemote, UNTOUCHED);
        MemoryRegion writeOnly = targetNic.allocateRegion(64, EnumSet.of(Access.REMOTE_WRITE));
        fill(local, (byte) 1);
        record Case(String name, WorkRequest request) {
        }
        List<Case> cases = List.of(
            new Case("WRITE with a wrong rkey",
                new WorkRequest().write(local, 0, 8, remote.remoteAddress(0), remote.rkey() ^ 0x5A5A00)),
            new Case("WRITE past the region's end",
                new WorkRequest().write(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey())),
            new Case("WRITE before the region's start",
                new WorkRequest().write(local, 0, 8, remote.remoteAddress(0) - 1, remote.rkey())),
            new Case("WRITE_WITH_IMM past the region's end",
                new WorkRequest().writeWithImmediate(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey(), 1)),
            new Case("WRITE without REMOTE_WRITE",
                new WorkRequest().write(local, 0, 8, noRemote.remoteAddress(0), noRemote.rkey())),
            new Case("READ without REMOTE_READ",
                new WorkRequest().read(local, 0, 8, writeOnly.remoteAddress(0), writeOnly.rkey())),
            new Case("READ past the region's end",
                new WorkRequest().read(local, 0, 16, remote.remoteAddress(DATA_SIZE - 8), remote.rkey())));
        for (Case each : cases) {
            assertTrue(sender.post(each.request().wrId(14).signalled(false)));
            Done done = awaitOne(sendCompletions);
            assertEquals(CompletionStatus.REMOTE_ACCESS, done.status(), each.name());
            assertEquals(14, done.wrId(), each.name());
            assertEquals(QueuePairState.ERROR, sender.queuePair().state(), each.name());
            sender = afterRemoteError(sender);
        }
        assertUntouched(remote, 0, DATA_SIZE);
        assertUntouched(noRemote, 0, 64);
        assertUntouched(receiveBuffers, 0, RECEIVES * RECEIVE_SIZE);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 1, local.buffer().getByte(i), "a refused READ must not write locally");
        }
        if (transport.refusedWriteWithImmediateMayConsumeAReceive()) {
            for (int n = receiveCompletions.poll(polled), i = 0; i < n; i++) {
                assertNotEquals(CompletionStatus.SUCCESS, polled[i].status(), "a refused request delivered " + polled[i]);
            }
        } else {
            assertNoCompletion(receiveCompletions);
            assertEquals(1, receives.posted(), "a refused WRITE_WITH_IMM must not consume a receive");
        }
    }

    @Test
    void aWrongAccessKeyIsRefusedAndWritesAndDeliversNothing() {
        requireDc("the access key is checked by DC targets; RC carries none on the wire, and connect refuses an "
            + "altered address (connectingToSomethingOtherThanALiveReliableQueuePairFails)");
        DcInitiator initiator = initiatorNic.createInitiator(sendCompletions, DEPTH);
        postReceives(1);
        TargetAddress wrongKey = target().address().withAccessKey(ACCESS_KEY + 1);
        fill(local, (byte) 1);
        List<WorkRequest> requests = List.of(
            new WorkRequest().send(local, 0, 8),
            new WorkRequest().write(local, 0, 8, remote.remoteAddress(0), remote.rkey()),
            new WorkRequest().writeWithImmediate(local, 0, 8, remote.remoteAddress(0), remote.rkey(), 1),
            new WorkRequest().read(local, 0, 8, remote.remoteAddress(0), remote.rkey()));
        for (WorkRequest each : requests) {
            assertTrue(initiator.post(wrongKey, each.wrId(14).signalled(false)));
            Done done = awaitOne(sendCompletions);
            assertEquals(CompletionStatus.REMOTE_ACCESS, done.status(), each.toString());
            assertEquals(14, done.wrId(), each.toString());
            assertEquals(QueuePairState.ERROR, initiator.state(), each.toString());
            initiator.reset();
        }
        assertUntouched(remote, 0, DATA_SIZE);
        assertUntouched(receiveBuffers, 0, RECEIVES * RECEIVE_SIZE);
        assertNoCompletion(receiveCompletions);
        assertEquals(1, receives.posted(), "a refused SEND must not consume a receive");
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 1, local.buffer().getByte(i), "a refused READ must not write locally");
        }
    }

    @OverEachTransport
    void anOversizedInlineSendFailsWithLocalLength(Transport transport) {
        Sender sender = sender(transport);
        int tooLong = initiatorNic.capabilities().maxInlineData() + 1;
        VarHandleBuffer source = new VarHandleBuffer(new byte[tooLong]);
        postReceives(1);
        assertTrue(sender.post(request.sendInline(source, 0, tooLong).wrId(15)));
        assertEquals(CompletionStatus.LOCAL_LENGTH, awaitOne(sendCompletions).status());
        assertEquals(QueuePairState.ERROR, sender.queuePair().state());
        assertNoCompletion(receiveCompletions);
    }

    @OverEachTransport
    void aSendWithoutAReceiveFailsWithRnrAfterTheTimeoutWithoutBlockingPost(Transport transport) {
        Sender sender = sender(transport);
        long start = System.nanoTime();
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(16)));
        long postNanos = System.nanoTime() - start;
        assertTrue(postNanos < RNR_TIMEOUT.toNanos() / 2, "post blocked for " + postNanos / 1_000_000 + " ms");

        Done done = awaitOne(sendCompletions);
        long elapsed = System.nanoTime() - start;
        assertEquals(new Done(16, Opcode.SEND, CompletionStatus.RNR_RETRY_EXCEEDED, 8, 0, false), done);
        assertTrue(elapsed >= RNR_TIMEOUT.toNanos() * 9 / 10, "RNR reported after only " + elapsed / 1_000_000 + " ms");
        assertEquals(QueuePairState.ERROR, sender.queuePair().state());
        postReceives(1);
        assertNoCompletion(receiveCompletions);
    }

    @OverEachTransport
    void aWriteWithImmediateWithoutAReceiveFailsWithRnr(Transport transport) {
        Sender sender = sender(transport);
        assertTrue(sender.post(
            request.writeWithImmediate(local, 0, 8, remote.remoteAddress(0), remote.rkey(), 5).wrId(17)));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        assertUntouched(remote, 0, DATA_SIZE);
    }

    @OverEachTransport
    void aWaitingSendIsDeliveredOnceAReceiveIsPosted(Transport transport) throws InterruptedException {
        Sender sender = sender(transport);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(18)));
        Thread.sleep(RNR_TIMEOUT.toMillis() / 6);
        assertEquals(0, sendCompletions.poll(polled), "the SEND must still wait for a receive");
        postReceives(1);
        assertEquals(new Done(18, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(receiveCompletions).status());
    }

    @OverEachTransport
    void laterRequestsWaitBehindAWaitingSendInOrder(Transport transport) {
        Sender sender = sender(transport);
        local.buffer().putLong(0, 77);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(sender.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2)));
        assertNoCompletion(sendCompletions);
        assertUntouched(remote, 0, 8);

        postReceives(1);
        assertEquals(new Done(1, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(new Done(2, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(77, remote.buffer().getLong(0));
    }

    @OverEachTransport
    void aFullSendQueueRefusesPostsUntilRequestsComplete(Transport transport) {
        Sender small = sender(transport, 4, UnaryOperator.identity());
        for (int i = 0; i < 4; i++) {
            assertTrue(small.post(request.sendInline(local.buffer(), 0, 8).wrId(i)));
        }
        assertEquals(0, small.queuePair().sendQueueSpace());
        assertFalse(small.post(request.sendInline(local.buffer(), 0, 8).wrId(99)));

        postReceives(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(new Done(i, Opcode.SEND, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(sendCompletions));
        }
        assertEquals(4, small.queuePair().sendQueueSpace());
    }

    @OverEachTransport
    void anErrorFlushesLaterRequestsEvenUnsignalledUntilReset(Transport transport) {
        Sender sender = sender(transport);
        assertTrue(sender.post(
            request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey() + 1).wrId(1).signalled(false)));
        assertEquals(new Done(1, Opcode.WRITE, CompletionStatus.REMOTE_ACCESS, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(QueuePairState.ERROR, sender.queuePair().state());

        assertTrue(sender.post(request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(2).signalled(false)));
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(3).signalled(false)));
        assertEquals(new Done(2, Opcode.WRITE, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendCompletions));
        assertEquals(new Done(3, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), awaitOne(sendCompletions));
        assertUntouched(remote, 0, DATA_SIZE);

        sender.queuePair().reset();
        assertEquals(QueuePairState.READY, sender.queuePair().state());
        local.buffer().putLong(0, 5);
        request.write(local, 0, 8, remote.remoteAddress(0), remote.rkey()).wrId(4).signalled(true);
        assertTrue(sender.post(request));
        Done afterReset = awaitOne(sendCompletions);
        if (!transport.resetRecoversFromRemoteErrors() && afterReset.status() != CompletionStatus.SUCCESS) {
            // The remote error broke the RC connection at both ends; a failure here is allowed, a success that
            // wrote nothing is not (checked below). A replaced connection must work.
            sender = afterRemoteError(sender);
            assertTrue(sender.post(request));
            afterReset = awaitOne(sendCompletions);
        }
        assertEquals(new Done(4, Opcode.WRITE, CompletionStatus.SUCCESS, 8, 0, false), afterReset);
        assertEquals(5, remote.buffer().getLong(0));
    }

    @OverEachTransport
    void resetFlushesRequestsQueuedBehindAFailure(Transport transport) {
        Sender second = sender(transport, 8, UnaryOperator.identity());
        assertTrue(second.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(second.post(request.sendInline(local.buffer(), 0, 8).wrId(2)));
        assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        second.queuePair().reset();
        assertEquals(new Done(2, Opcode.SEND, CompletionStatus.FLUSHED, 8, 0, false), pollNow(sendCompletions));
        assertEquals(QueuePairState.READY, second.queuePair().state());
    }

    @OverEachTransport
    void closingAQueuePairFlushesItsQueuedRequests(Transport transport) {
        Sender doomed = sender(transport, 8, UnaryOperator.identity());
        assertTrue(doomed.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertTrue(doomed.post(request.sendInline(local.buffer(), 0, 8).wrId(2)));
        doomed.queuePair().close();
        assertEquals(QueuePairState.CLOSED, doomed.queuePair().state());
        assertEquals(CompletionStatus.FLUSHED, awaitOne(sendCompletions).status());
        assertEquals(CompletionStatus.FLUSHED, awaitOne(sendCompletions).status());
        assertThrows(IllegalStateException.class, () -> doomed.post(request));
    }

    @OverEachTransport
    void closingASharedReceiveQueueFlushesItsPostedReceivesAndDeliversNothingMore(Transport transport) {
        Sender sender = sender(transport);
        postReceives(2);
        receives.close();
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receiveCompletions));
        assertEquals(new Done(1, Opcode.RECV, CompletionStatus.FLUSHED, 0, 0, false), awaitOne(receiveCompletions));
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertNotEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertUntouched(receiveBuffers, 0, RECEIVES * RECEIVE_SIZE);
    }

    @OverEachTransport
    void aFullSharedReceiveQueueRefusesReceivesUntilCompletionsArePolled(Transport transport) {
        Sender sender = sender(transport);
        postReceives(RECEIVES);
        assertEquals(RECEIVES, receives.posted());
        assertFalse(receives.postReceive(99, receiveBuffers, 0, 8));
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        // Verbs tells that a receive was consumed only by its completion, so posted() drops once that is polled.
        assertEquals(0, awaitOne(receiveCompletions).wrId());
        assertEquals(RECEIVES - 1, receives.posted());
        assertTrue(receives.postReceive(99, receiveBuffers, 0, 8));
    }

    @OverEachTransport
    void postingToAReceiverWhoseNicClosedFailsWithRetryExceeded(Transport transport) {
        Sender sender = sender(transport);
        postReceives(1);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        long remoteAddress = remote.remoteAddress(0);
        int rkey = remote.rkey();
        targetNic.close();
        targetNic = null;
        assertTrue(sender.post(request.write(local, 0, 8, remoteAddress, rkey).wrId(2)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
    }

    @OverEachTransport
    void postingToAClosedReceiverFails(Transport transport) {
        Sender sender = sender(transport);
        sender.closeReceiver();
        postReceives(1);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertNotEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertNoCompletion(receiveCompletions);
    }

    @OverEachTransport
    void postingToAReceiverThatLooksDeadFailsWithRetryExceeded(Transport transport) {
        Sender sender = sender(transport);
        boolean faked = transport == Transport.DC ? makeTargetLookDead(sender.target()) : makePeerLookDead(sender.peer());
        if (!faked) {
            Requirements.notApplicableToProvider(initiatorNic.provider(), "it cannot make one receiver look dead "
                + "without taking the device down; postingToAReceiverWhoseNicClosedFailsWithRetryExceeded and "
                + "aKilledPeerIsReportedWithRetryExceededWithinThePeerTimeout cover dead peers");
        }
        postReceives(1);
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(1)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
        assertNoCompletion(receiveCompletions);
    }

    @OverEachTransport
    void badArgumentsAreRefusedWithTypedErrors(Transport transport) {
        Sender sender = sender(transport);
        assertThrows(IllegalArgumentException.class, () -> sender.post(new WorkRequest()));
        assertThrows(IllegalArgumentException.class, () -> receives.postReceive(1, local, 0, 8),
            "a region of another NIC");
        assertThrows(IllegalArgumentException.class, () -> receives.postReceive(1, receiveBuffers, 0, RECEIVES * RECEIVE_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> targetNic.allocateRegion(0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> sendingQueuePair(transport, receiveCompletions, 4),
            "a completion queue of another NIC");
    }

    // Reliable queue pairs

    @Test
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
    void connectingToSomethingOtherThanALiveReliableQueuePairFails() {
        CompletionQueue cq = initiatorNic.createCompletionQueue(8);
        SharedReceiveQueue srq = initiatorNic.createSharedReceiveQueue(2);
        ReliableQueuePair a = initiatorNic.createReliableQueuePair(cq, srq, cq, 4);
        ReliableQueuePair b = targetNic.createReliableQueuePair(cq(targetNic), receives, receiveCompletions, 4);
        // A DC target's address exists only where DC does.
        if (targetNic.capabilities().dynamicallyConnected()) {
            assertThrows(VerbsException.class, () -> a.connect(target().address()), "a DC target");
        }
        assertThrows(VerbsException.class, () -> a.connect(b.localAddress().withAccessKey(b.localAddress().accessKey() + 1)));
        TargetAddress closed = b.localAddress();
        b.close();
        assertThrows(VerbsException.class, () -> a.connect(closed));
        assertFalse(a.isConnected());
    }

    // Datagrams

    /** A datagram queue pair that only sends, on the sending side. */
    private DatagramQueuePair datagramSender() {
        return datagramQueuePair(initiatorNic, sendCompletions, cq(initiatorNic), null, 0);
    }

    /** A datagram queue pair on {@code nic} with {@code receives} buffers of its largest datagram posted. */
    private DatagramQueuePair datagramQueuePair(Nic nic, CompletionQueue sends, CompletionQueue received,
                                                MemoryRegion buffers, int receives) {
        if (!nic.capabilities().datagrams()) {
            Requirements.notApplicableToProvider(nic.provider(), nic.deviceName() + " has no datagram queue pairs");
        }
        DatagramQueuePair queuePair = nic.createDatagramQueuePair(sends, received, 8, Math.max(1, receives), ACCESS_KEY);
        int size = queuePair.maxDatagramSize();
        for (int i = 0; i < receives; i++) {
            assertTrue(queuePair.postReceive(i, buffers, (long) i * size, size));
        }
        return queuePair;
    }

    @Test
    void datagramsArriveWithThePayloadAloneInTheReceiveBuffer() {
        DatagramQueuePair from = datagramSender();
        int size = from.maxDatagramSize();
        MemoryRegion outgoing = initiatorNic.allocateRegion(size, EnumSet.of(Access.LOCAL_WRITE));
        MemoryRegion buffers = targetNic.allocateRegion(2 * size + 1, EnumSet.of(Access.LOCAL_WRITE));
        fill(buffers, UNTOUCHED);
        DatagramQueuePair to = datagramQueuePair(targetNic, cq(targetNic), receiveCompletions, buffers, 2);
        assertEquals(size, to.maxDatagramSize(), "both ends sit on the same path");

        int[] lengths = {40, size};
        for (int i = 0; i < lengths.length; i++) {
            byte[] payload = pattern(lengths[i], 20 + i);
            outgoing.buffer().putBytes(0, payload);
            assertTrue(from.post(to.address(), request.send(outgoing, 0, payload.length).wrId(30 + i).signalled(true)));
            assertEquals(new Done(30 + i, Opcode.SEND, CompletionStatus.SUCCESS, payload.length, 0, false),
                awaitOne(sendCompletions));
            assertEquals(new Done(i, Opcode.RECV, CompletionStatus.SUCCESS, payload.length, 0, false),
                awaitOne(receiveCompletions), "the byte length counts the payload alone");
            assertArrayEquals(payload, bytes(buffers, i * size, payload.length), "the payload starts the buffer");
        }
        assertEquals(UNTOUCHED, buffers.buffer().getByte(40), "wrote past the first datagram's payload");
        assertEquals(UNTOUCHED, buffers.buffer().getByte(2 * size), "wrote past the receive buffers");
        assertEquals(0, to.postedReceives());
    }

    @Test
    void anOversizedDatagramIsRefusedAndTheQueuePairGoesOn() {
        DatagramQueuePair from = datagramSender();
        int size = from.maxDatagramSize();
        MemoryRegion outgoing = initiatorNic.allocateRegion(size + 1, EnumSet.of(Access.LOCAL_WRITE));
        MemoryRegion buffers = targetNic.allocateRegion(size, EnumSet.of(Access.LOCAL_WRITE));
        DatagramQueuePair to = datagramQueuePair(targetNic, cq(targetNic), receiveCompletions, buffers, 1);
        assertThrows(IllegalArgumentException.class,
            () -> from.post(to.address(), request.send(outgoing, 0, size + 1).wrId(40)), "one byte over the datagram size");
        assertThrows(IllegalArgumentException.class,
            () -> from.post(to.address(), request.write(outgoing, 0, 8, remote.remoteAddress(0), remote.rkey())),
            "a datagram queue pair carries only SENDs");
        assertNoCompletion(sendCompletions);
        assertNoCompletion(receiveCompletions);

        outgoing.buffer().putLong(0, 4242);
        assertTrue(from.post(to.address(), request.send(outgoing, 0, 8).wrId(41).signalled(true)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());
        assertEquals(new Done(0, Opcode.RECV, CompletionStatus.SUCCESS, 8, 0, false), awaitOne(receiveCompletions));
        assertEquals(4242, buffers.buffer().getLong(0));
    }

    // Across two JVMs

    /** A sender in this JVM to a receiver in a peer JVM, and the peer's data region. */
    private record ToPeer(Sender sender, int rkey, long base) {
    }

    /**
     * Has the peer create a receiver ({@code target} or {@code reliable}: receives and a data region, shared by
     * every receiver it creates) and returns a new sender to it, connected at both ends for RC.
     */
    private ToPeer toPeer(Transport transport, PeerProcess peer, String receiverSizes) {
        QueuePair queuePair = sendingQueuePair(transport, sendCompletions, DEPTH);
        String[] info = peer.ask((transport == Transport.DC ? "target " : "reliable ") + receiverSizes, AWAIT);
        TargetAddress address = TargetAddress.fromExternalForm(info[0]);
        Sender sender;
        if (queuePair instanceof DcInitiator initiator) {
            sender = Sender.dc(initiator, address, null);
        } else {
            ReliableQueuePair a = (ReliableQueuePair) queuePair;
            a.connect(address);
            peer.ask("connect " + a.localAddress().toExternalForm(), AWAIT);
            sender = Sender.rc(a, null);
        }
        return new ToPeer(sender, Integer.parseInt(info[1]), Long.parseLong(info[2]));
    }

    @OverEachTransport
    void everyOperationWorksAcrossTwoJvms(Transport transport) throws Exception {
        PeerProcess peer = startPeer();
        ToPeer to = toPeer(transport, peer, "4 1024 65536");
        Sender sender = to.sender();
        int rkey = to.rkey();
        long base = to.base();

        byte[] payload = pattern(1000, 6);
        local.buffer().putBytes(0, payload);
        int inline = Math.min(64, initiatorNic.capabilities().maxInlineData());
        assertTrue(sender.post(request.send(local, 0, 1000).wrId(1)));
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, inline).wrId(2)));
        assertTrue(sender.post(request.write(local, 0, 1000, base + 4096, rkey).wrId(3)));
        assertTrue(sender.post(request.writeWithImmediate(local, 0, 1000, base + 8192, rkey, 77).wrId(4)));
        for (int i = 1; i <= 4; i++) {
            Done done = awaitOne(sendCompletions);
            assertEquals(i, done.wrId());
            assertEquals(CompletionStatus.SUCCESS, done.status());
        }
        String[] completions = peer.ask("poll 3 5000", AWAIT);
        assertArrayEquals(new String[] {"0:RECV:SUCCESS:1000:0:false", "1:RECV:SUCCESS:" + inline + ":0:false",
            "2:RECV_RDMA_WITH_IMM:SUCCESS:1000:77:true"}, completions);
        int crc = IntegrityFrames.crc(local.buffer(), 0, 1000);
        assertEquals(String.valueOf(crc), peer.ask("recvcrc 0 1000", AWAIT)[0]);
        assertEquals(String.valueOf(IntegrityFrames.crc(local.buffer(), 0, inline)),
            peer.ask("recvcrc 1 " + inline, AWAIT)[0]);
        assertEquals(String.valueOf(crc), peer.ask("crc 4096 1000", AWAIT)[0]);
        assertEquals(String.valueOf(crc), peer.ask("crc 8192 1000", AWAIT)[0]);

        String filled = peer.ask("fill 20000 3000", AWAIT)[0];
        assertTrue(sender.post(request.read(local, 10000, 3000, base + 20000, rkey).wrId(5)));
        assertEquals(new Done(5, Opcode.READ, CompletionStatus.SUCCESS, 3000, 0, false), awaitOne(sendCompletions));
        assertEquals(filled, String.valueOf(IntegrityFrames.crc(local.buffer(), 10000, 3000)));

        String zeros = String.valueOf(IntegrityFrames.crc(new VarHandleBuffer(new byte[8]), 0, 8));
        assertTrue(sender.post(request.write(local, 0, 8, base + 30000, rkey ^ 0x5A5A00).wrId(6)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        assertEquals(zeros, peer.ask("crc 30000 8", AWAIT)[0], "a WRITE with a wrong rkey must not write");
        if (transport.resetRecoversFromRemoteErrors()) {
            sender.queuePair().reset();
        } else {
            sender.queuePair().close();
            sender = toPeer(transport, peer, "4 1024 65536").sender();
        }
        assertTrue(sender.post(request.write(local, 0, 8, base + 65536 - 4, rkey).wrId(7)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        assertEquals(String.valueOf(IntegrityFrames.crc(new VarHandleBuffer(new byte[4]), 0, 4)),
            peer.ask("crc 65532 4", AWAIT)[0], "a WRITE past the region's end must not write");
    }

    @Test
    void aWrongAccessKeyIsRefusedAcrossTwoJvms() throws Exception {
        requireDc("the access key is checked by DC targets; RC carries none on the wire");
        PeerProcess peer = startPeer();
        String[] info = peer.ask("target 4 1024 4096", AWAIT);
        TargetAddress wrongKey = TargetAddress.fromExternalForm(info[0]).withAccessKey(1);
        DcInitiator initiator = initiatorNic.createInitiator(sendCompletions, DEPTH);
        local.buffer().putLong(0, 0x1234);
        assertTrue(initiator.post(wrongKey,
            request.write(local, 0, 8, Long.parseLong(info[2]), Integer.parseInt(info[1])).wrId(1)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        initiator.reset();
        assertTrue(initiator.post(wrongKey, request.send(local, 0, 8).wrId(2)));
        assertEquals(CompletionStatus.REMOTE_ACCESS, awaitOne(sendCompletions).status());
        assertEquals(String.valueOf(IntegrityFrames.crc(new VarHandleBuffer(new byte[8]), 0, 8)),
            peer.ask("crc 0 8", AWAIT)[0], "a refused WRITE must not write");
        assertArrayEquals(new String[0], peer.ask("poll 1 " + QUIET.toMillis(), AWAIT), "a refused SEND delivered");
    }

    @OverEachTransport
    void aKilledPeerIsReportedWithRetryExceededWithinThePeerTimeout(Transport transport) throws Exception {
        PeerProcess peer = startPeer();
        ToPeer to = toPeer(transport, peer, "4 1024 4096");
        Sender sender = to.sender();
        assertTrue(sender.post(request.write(local, 0, 8, to.base(), to.rkey()).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendCompletions).status());

        peer.kill();
        long killed = System.nanoTime();
        long deadline = killed + PEER_TIMEOUT.toNanos() + Duration.ofSeconds(2).toNanos();
        CompletionStatus status = CompletionStatus.SUCCESS;
        while (status == CompletionStatus.SUCCESS && System.nanoTime() < deadline) {
            assertTrue(sender.post(request.write(local, 0, 8, to.base(), to.rkey()).wrId(2)));
            status = awaitOne(sendCompletions).status();
            if (status == CompletionStatus.SUCCESS) {
                Thread.sleep(10);
            }
        }
        long detected = System.nanoTime() - killed;
        assertEquals(CompletionStatus.RETRY_EXCEEDED, status,
            "after " + detected / 1_000_000 + " ms the dead peer was still not reported");
        sender.queuePair().reset();
        assertTrue(sender.post(request.sendInline(local.buffer(), 0, 8).wrId(3)));
        assertEquals(CompletionStatus.RETRY_EXCEEDED, awaitOne(sendCompletions).status());
    }

    @OverEachTransport
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void hundredThousandMessagesCrossTwoJvmsIntactAndInOrder(Transport transport) throws Exception {
        if (transport == Transport.DC) {
            requireDc("this test's RC variant runs instead");
        }
        int count = 100_000;
        long seed = 20240501L;
        // From the start, so a slow run reports how far it got before the test's timeout stops it.
        long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
        int maxPayload = integrityMaxPayload();
        int frame = IntegrityFrames.HEADER + maxPayload;
        // Its own NIC: on RC the receiver's RNR timer, not only the sender's retry count, decides how long the
        // source may wait for the sink to repost. Many receives, because on RC a sender is told of nothing but
        // placement: with few, the sink falling briefly behind costs an RNR wait (up to 655 ms on verbs) each time.
        try (Nic sinkNic = Fabrics.open(nicOptions().rnrTimeout(INTEGRITY_RNR_TIMEOUT))) {
            CompletionQueue completions = sinkNic.createCompletionQueue(2 * INTEGRITY_RECEIVES);
            SharedReceiveQueue queue = sinkNic.createSharedReceiveQueue(INTEGRITY_RECEIVES);
            MemoryRegion buffers = sinkNic.allocateRegion(INTEGRITY_RECEIVES * frame, EnumSet.of(Access.LOCAL_WRITE));
            for (int i = 0; i < INTEGRITY_RECEIVES; i++) {
                queue.postReceive(i, buffers, (long) i * frame, frame);
            }
            PeerProcess source = startPeer(INTEGRITY_RNR_TIMEOUT);
            String done;
            if (transport == Transport.DC) {
                DcTarget sink = sinkNic.createTarget(queue, completions, ACCESS_KEY);
                source.send("source " + sink.address().toExternalForm() + " " + count + " " + seed + " " + maxPayload);
                done = "source";
            } else {
                ReliableQueuePair sink = sinkNic.createReliableQueuePair(sinkNic.createCompletionQueue(8), queue,
                    completions, 4);
                sink.connect(TargetAddress.fromExternalForm(source.ask("reliable 1 64 64", AWAIT)[0]));
                source.ask("connect " + sink.localAddress().toExternalForm(), AWAIT);
                source.send("rcsource " + count + " " + seed + " " + maxPayload);
                done = "rcsource";
            }
            long started = System.nanoTime();
            receiveIntegrityFrames(completions, queue, buffers, count, seed, maxPayload, deadline);
            assertArrayEquals(new String[] {String.valueOf(count), "SUCCESS"}, source.expect(done, AWAIT));
            System.out.printf("integrity run over %s: %d messages of up to %d bytes in %d ms%n", transport, count,
                maxPayload, (System.nanoTime() - started) / 1_000_000);
            assertNoCompletion(completions);
        }
    }

    private static void receiveIntegrityFrames(CompletionQueue completions, SharedReceiveQueue queue,
                                               MemoryRegion buffers, int count, long seed, int maxPayload,
                                               long deadline) {
        int frame = IntegrityFrames.HEADER + maxPayload;
        Random sizes = new Random(seed);
        Completion[] batch = Completion.array(64);
        long expected = 0;
        while (expected < count && System.nanoTime() < deadline) {
            int n = completions.poll(batch);
            for (int i = 0; i < n; i++) {
                Completion c = batch[i];
                assertEquals(CompletionStatus.SUCCESS, c.status(), "message " + expected);
                int slot = (int) c.wrId();
                int offset = slot * frame;
                long seq = buffers.buffer().getLong(offset);
                if (seq != expected) {
                    fail("expected message " + expected + " but got " + seq + ": lost, duplicated or reordered");
                }
                int length = buffers.buffer().getInt(offset + 12);
                assertEquals(1 + sizes.nextInt(maxPayload), length, "length of message " + seq);
                assertEquals(IntegrityFrames.HEADER + length, c.byteLength(), "byte length of message " + seq);
                assertEquals(buffers.buffer().getInt(offset + 8),
                    IntegrityFrames.crc(buffers.buffer(), offset + IntegrityFrames.HEADER, length),
                    "message " + seq + " is corrupted");
                expected++;
                assertTrue(queue.postReceive(slot, buffers, offset, frame));
            }
            if (n == 0) {
                Thread.yield();
            }
        }
        assertEquals(count, expected, "messages received before the deadline");
    }

    private static int integrityMaxPayload() {
        int max = Integer.getInteger(INTEGRITY_MAX_PAYLOAD_PROPERTY, IntegrityFrames.MAX_PAYLOAD);
        if (max < 1 || max > IntegrityFrames.MAX_PAYLOAD) {
            throw new IllegalArgumentException(INTEGRITY_MAX_PAYLOAD_PROPERTY + " must be in 1.."
                + IntegrityFrames.MAX_PAYLOAD + ": " + max);
        }
        return max;
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
