package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
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
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.rdma.impl.RdmaLocator;

/**
 * The rdma provider's datagram (UD) queue pairs on a real device (Soft-RoCE in the VM; skipped elsewhere):
 * payloads both ways with the GRH kept out of the caller's buffer, several peers from one queue pair (beyond the
 * address-handle cache's bound), the size and opcode limits, the access key enforced by the receiving NIC,
 * reset and close, a datagram longer than its receive buffer, and a 10 000-datagram run. Two NICs on the same device stand for two nodes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RdmaDatagramQueuePairTest {
    private static final long KEY = 0x5eed_c0de_1234_5678L;
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int RECEIVES = 64;
    private static final int SLOT = 4096;
    private static final byte UNTOUCHED = (byte) 0xEE;

    private Nic nicA;
    private Nic nicB;
    private CompletionQueue sendsA;
    private CompletionQueue receivesA;
    private CompletionQueue sendsB;
    private CompletionQueue receivesB;
    private MemoryRegion regionA;
    private MemoryRegion regionB;
    private DatagramQueuePair a;
    private DatagramQueuePair b;
    private final WorkRequest request = new WorkRequest();

    @BeforeEach
    void open() {
        VerbsDevice.assumePresent();
        nicA = new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME));
        nicB = new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME));
        assertTrue(nicA.capabilities().datagrams(), "every verbs device has UD: " + nicA.capabilities());
        sendsA = nicA.createCompletionQueue(512);
        receivesA = nicA.createCompletionQueue(512);
        sendsB = nicB.createCompletionQueue(512);
        receivesB = nicB.createCompletionQueue(512);
        regionA = nicA.allocateRegion(RECEIVES * SLOT, EnumSet.of(Access.LOCAL_WRITE));
        regionB = nicB.allocateRegion(RECEIVES * SLOT, EnumSet.of(Access.LOCAL_WRITE));
        regionA.buffer().setMemory(0, regionA.length(), UNTOUCHED);
        regionB.buffer().setMemory(0, regionB.length(), UNTOUCHED);
        a = nicA.createDatagramQueuePair(sendsA, receivesA, 64, RECEIVES, KEY);
        b = nicB.createDatagramQueuePair(sendsB, receivesB, 64, RECEIVES, KEY);
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

    @Test
    void theAddressIsARdmaDatagramAddressWithTheKey() {
        TargetAddress address = b.address();
        assertEquals(RdmaFabric.NAME, address.provider());
        assertEquals(RdmaLocator.Kind.UD, RdmaLocator.of(address).kind());
        assertEquals(KEY, address.accessKey());
        assertNotEquals(a.address().targetNumber(), address.targetNumber(), "each queue pair has its own number");
        assertEquals(address, TargetAddress.fromExternalForm(address.toExternalForm()));
        assertEquals(QueuePairState.READY, b.state());
    }

    @Test
    void aDatagramFromARegionCarriesOnlyItsPayloadIntoTheBuffer() {
        assertTrue(b.postReceive(21, regionB, 100, SLOT));
        assertEquals(1, b.postedReceives());
        byte[] payload = pattern(300, 1);
        regionA.buffer().putBytes(SLOT, payload);
        assertTrue(a.post(b.address(), request.send(regionA, SLOT, payload.length).wrId(7)));
        assertEquals(new Done(7, Opcode.SEND, CompletionStatus.SUCCESS, payload.length), awaitOne(sendsA));
        assertEquals(new Done(21, Opcode.RECV, CompletionStatus.SUCCESS, payload.length), awaitOne(receivesB),
            "the byte count excludes the 40-byte GRH");
        assertArrayEquals(payload, bytes(regionB, 100, payload.length), "the payload starts at the buffer's start");
        assertUntouched(regionB, 0, 100, "before the buffer");
        assertUntouched(regionB, 100 + payload.length, 64, "after the payload");
        assertEquals(0, b.postedReceives());
    }

    @Test
    void inlineDatagramsFlowTheOtherWayToo() {
        assertTrue(a.postReceive(3, regionA, 0, SLOT));
        byte[] payload = pattern(48, 2);
        VarHandleBuffer source = new VarHandleBuffer(payload.clone());
        assertTrue(b.post(a.address(), request.sendInline(source, 0, payload.length).wrId(8)));
        source.setMemory(0, payload.length, (byte) 0);
        assertEquals(new Done(8, Opcode.SEND, CompletionStatus.SUCCESS, payload.length), awaitOne(sendsB));
        assertEquals(new Done(3, Opcode.RECV, CompletionStatus.SUCCESS, payload.length), awaitOne(receivesA));
        assertArrayEquals(payload, bytes(regionA, 0, payload.length));
    }

    @Test
    void twoQueuePairsOnOneNicExchangeDatagrams() {
        DatagramQueuePair c = nicA.createDatagramQueuePair(sendsA, receivesA, 8, 8, KEY);
        assertTrue(c.postReceive(30, regionA, 0, SLOT));
        assertTrue(a.postReceive(31, regionA, SLOT, SLOT));
        regionA.buffer().putLong(8 * SLOT, 0x1111);
        regionA.buffer().putLong(9 * SLOT, 0x2222);
        assertTrue(a.post(c.address(), request.send(regionA, 8 * SLOT, 8).wrId(1)));
        assertEquals(new Done(30, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesA));
        assertTrue(c.post(a.address(), request.send(regionA, 9 * SLOT, 8).wrId(2)));
        assertEquals(new Done(31, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesA));
        assertEquals(0x1111, regionA.buffer().getLong(0));
        assertEquals(0x2222, regionA.buffer().getLong(SLOT));
    }

    @Test
    void aFullSizeDatagramArrivesAndLargerOnesOrOtherOperationsAreRefused() {
        int max = a.maxDatagramSize();
        assertTrue(max >= 256 && max <= 4096 && Integer.bitCount(max) == 1, "an IB MTU: " + max);
        assertTrue(b.postReceive(1, regionB, 0, SLOT));
        byte[] payload = pattern(max, 3);
        regionA.buffer().putBytes(0, payload);
        assertTrue(a.post(b.address(), request.send(regionA, 0, max).wrId(1)));
        assertEquals(new Done(1, Opcode.RECV, CompletionStatus.SUCCESS, max), awaitOne(receivesB));
        assertArrayEquals(payload, bytes(regionB, 0, max));

        assertThrows(IllegalArgumentException.class, () -> a.post(b.address(), request.send(regionA, 0, max + 1)));
        assertThrows(IllegalArgumentException.class, () -> a.post(b.address(),
            request.write(regionA, 0, 8, regionB.remoteAddress(0), regionB.rkey())));
        assertThrows(IllegalArgumentException.class, () -> a.post(b.address(),
            request.read(regionA, 0, 8, regionB.remoteAddress(0), regionB.rkey())));
        assertThrows(IllegalArgumentException.class, () -> a.post(b.address(),
            request.writeWithImmediate(regionA, 0, 8, regionB.remoteAddress(0), regionB.rkey(), 1)));
        ReliableQueuePair rc = nicB.createReliableQueuePair(sendsB, nicB.createSharedReceiveQueue(4), receivesB, 4);
        assertThrows(IllegalArgumentException.class, () -> a.post(rc.localAddress(), request.send(regionA, 0, 8)),
            "an RC address is no datagram destination");
        assertEquals(1, awaitNothing(sendsA), "only the full-size datagram was posted");
        assertEquals(QueuePairState.READY, a.state());
    }

    @Test
    void aDatagramWithAnotherAccessKeyIsDroppedByTheReceivingNic() {
        assertTrue(b.postReceive(5, regionB, 0, SLOT));
        regionA.buffer().putLong(0, 0xBAD);
        assertTrue(a.post(b.address().withAccessKey(KEY + 1), request.send(regionA, 0, 8).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendsA).status(), "a datagram's sender learns nothing");
        assertEquals(0, awaitNothing(receivesB), "the receiver saw nothing");
        assertUntouched(regionB, 0, 8, "by the wrongly keyed datagram");
        assertEquals(1, b.postedReceives());

        regionA.buffer().putLong(8, 0x600D);
        assertTrue(a.post(b.address(), request.send(regionA, 8, 8).wrId(2)));
        assertEquals(new Done(5, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesB),
            "the same buffer takes the rightly keyed one");
        assertEquals(0x600D, regionB.buffer().getLong(0));
    }

    @Test
    void oneQueuePairReachesMorePeersThanItCachesHandlesFor() {
        int peers = 130;
        CompletionQueue sends = nicB.createCompletionQueue(peers);
        CompletionQueue receives = nicB.createCompletionQueue(2 * peers);
        MemoryRegion inboxes = nicB.allocateRegion(peers * 64, EnumSet.of(Access.LOCAL_WRITE));
        List<DatagramQueuePair> targets = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            targets.add(nicB.createDatagramQueuePair(sends, receives, 1, 2, KEY));
        }
        Completion[] polled = Completion.array(64);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < peers; i++) {
                assertTrue(targets.get(i).postReceive(i, inboxes, i * 64L, 64));
                regionA.buffer().putInt(i * 8, round * 1000 + i);
                while (!a.post(targets.get(i).address(), request.send(regionA, i * 8, 4).wrId(i).signalled(false))) {
                    sendsA.poll(polled);
                }
            }
            Set<Long> arrived = new HashSet<>();
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (arrived.size() < peers && System.nanoTime() < deadline) {
                int n = receives.poll(polled);
                for (int k = 0; k < n; k++) {
                    assertEquals(CompletionStatus.SUCCESS, polled[k].status(), polled[k].toString());
                    int peer = (int) polled[k].wrId();
                    assertEquals(round * 1000 + peer, inboxes.buffer().getInt(peer * 64), "peer " + peer + " got"
                        + " its own datagram");
                    assertTrue(arrived.add(polled[k].wrId()), "peer " + peer + " received twice");
                }
            }
            assertEquals(peers, arrived.size(), "round " + round + ": datagrams that reached their peer");
        }
        awaitNothing(sendsA);
        assertEquals(QueuePairState.READY, a.state(), "evicted address handles were never used after destruction");
    }

    @Test
    void closeFlushesPostedReceivesAndRefusesMore() {
        for (int i = 0; i < 3; i++) {
            assertTrue(b.postReceive(40 + i, regionB, (long) i * SLOT, SLOT));
        }
        b.close();
        assertEquals(QueuePairState.CLOSED, b.state());
        Set<Long> flushed = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Done done = awaitOne(receivesB);
            assertEquals(CompletionStatus.FLUSHED, done.status(), done.toString());
            flushed.add(done.wrId());
        }
        assertEquals(Set.of(40L, 41L, 42L), flushed);
        assertEquals(0, awaitNothing(receivesB), "each buffer is reported once, whatever the NIC also reports");
        assertThrows(IllegalStateException.class, () -> b.postReceive(1, regionB, 0, 8));
        assertThrows(IllegalStateException.class, () -> b.post(a.address(), request.send(regionB, 0, 8)));
        b.close();
    }

    @Test
    void closeCompletesEverySendOnceWithSuccessOrFlushed() {
        int posted = 0;
        while (posted < 64 && a.post(b.address(), request.send(regionA, 0, 64).wrId(100 + posted))) {
            posted++;
        }
        a.close();
        Set<Long> sends = new HashSet<>();
        int flushed = 0;
        for (int i = 0; i < posted; i++) {
            Done done = awaitOne(sendsA);
            assertTrue(done.status() == CompletionStatus.FLUSHED || done.status() == CompletionStatus.SUCCESS,
                done.toString());
            flushed += done.status() == CompletionStatus.FLUSHED ? 1 : 0;
            assertTrue(sends.add(done.wrId()), "completed twice: " + done);
        }
        assertEquals(0, awaitNothing(sendsA), "each send completed exactly once");
        System.out.printf("rdma UD: closing with %d sends posted flushed %d of them%n", posted, flushed);
        assertThrows(IllegalStateException.class, () -> a.post(b.address(), request.send(regionA, 0, 8)));
    }

    @Test
    void aLocalErrorStopsTheQueuePairAndResetFlushesItsReceivesAndRecovers() {
        assertTrue(a.postReceive(50, regionA, 0, SLOT));
        MemoryRegion closed = nicA.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
        closed.close();
        assertTrue(a.post(b.address(), request.send(closed, 0, 8).wrId(9)));
        assertEquals(new Done(9, Opcode.SEND, CompletionStatus.LOCAL_PROTECTION, 8), awaitOne(sendsA));
        assertEquals(QueuePairState.ERROR, a.state());
        assertTrue(a.post(b.address(), request.send(regionA, SLOT, 8).wrId(10)));
        assertEquals(new Done(10, Opcode.SEND, CompletionStatus.FLUSHED, 8), awaitOne(sendsA));
        a.reset();
        assertEquals(QueuePairState.READY, a.state());
        assertEquals(new Done(50, Opcode.RECV, CompletionStatus.FLUSHED, 0), awaitOne(receivesA));
        assertEquals(0, awaitNothing(receivesA), "the flushed receive is reported once");

        assertTrue(a.postReceive(51, regionA, 0, SLOT));
        assertTrue(b.postReceive(52, regionB, 0, SLOT));
        regionA.buffer().putLong(SLOT, 77);
        regionB.buffer().putLong(SLOT, 88);
        assertTrue(a.post(b.address(), request.send(regionA, SLOT, 8).wrId(11)));
        assertTrue(b.post(a.address(), request.send(regionB, SLOT, 8).wrId(12)));
        assertEquals(new Done(52, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesB));
        assertEquals(new Done(51, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesA));
        assertEquals(77, regionB.buffer().getLong(0));
        assertEquals(88, regionA.buffer().getLong(0));
    }

    @Test
    void aDatagramLongerThanTheReceiveBufferIsDroppedAndReceivingGoesOn() {
        assertTrue(b.postReceive(60, regionB, 0, 16));
        assertTrue(a.post(b.address(), request.send(regionA, 0, a.maxDatagramSize()).wrId(1)));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(sendsA).status());
        assertEquals(new Done(60, Opcode.RECV, CompletionStatus.LOCAL_LENGTH, 0), awaitOne(receivesB),
            "a full-MTU datagram in 16 bytes");
        assertUntouched(regionB, 16, SLOT - 16, "past the 16-byte buffer");
        assertEquals(QueuePairState.READY, b.state(), "a peer cannot stop the queue pair with a long datagram");

        assertTrue(b.postReceive(61, regionB, SLOT, SLOT));
        regionA.buffer().putLong(0, 4242);
        assertTrue(a.post(b.address(), request.send(regionA, 0, 8).wrId(2)));
        assertEquals(new Done(61, Opcode.RECV, CompletionStatus.SUCCESS, 8), awaitOne(receivesB));
        assertEquals(4242, regionB.buffer().getLong(SLOT));
        assertEquals(QueuePairState.READY, b.state());
    }

    @Test
    void tenThousandSmallDatagramsAllArriveInOrder() {
        int total = 10_000;
        int size = 64;
        for (int i = 0; i < RECEIVES; i++) {
            assertTrue(b.postReceive(i, regionB, (long) i * SLOT, SLOT));
        }
        Completion[] polled = Completion.array(64);
        int sent = 0;
        int received = 0;
        int outOfOrder = 0;
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(120).toNanos();
        while (received < total && System.nanoTime() < deadline) {
            // A datagram finds a receive posted or is lost: keep no more in flight than the receive queue holds.
            while (sent < total && sent - received < RECEIVES) {
                regionA.buffer().putInt((sent % 64) * size, sent);
                regionA.buffer().putLong((sent % 64) * size + 8, (long) sent * 0x9E3779B97F4A7C15L);
                if (!a.post(b.address(), request.send(regionA, (sent % 64) * size, size).wrId(sent)
                    .signalled(false))) {
                    break;
                }
                sent++;
            }
            sendsA.poll(polled);
            int n = receivesB.poll(polled);
            for (int k = 0; k < n; k++) {
                Completion done = polled[k];
                assertEquals(CompletionStatus.SUCCESS, done.status(), done.toString());
                assertEquals(size, done.byteLength());
                int slot = (int) done.wrId();
                int sequence = regionB.buffer().getInt(slot * SLOT);
                assertEquals((long) sequence * 0x9E3779B97F4A7C15L, regionB.buffer().getLong(slot * SLOT + 8),
                    "datagram " + sequence + " intact");
                if (sequence != received) {
                    outOfOrder++;
                }
                received++;
                assertTrue(b.postReceive(slot, regionB, (long) slot * SLOT, SLOT));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("rdma UD: %d of %d datagrams of %d bytes received in %d ms, %d out of order%n", received,
            sent, size, millis, outOfOrder);
        assertEquals(total, sent);
        assertEquals(total, received, "loopback Soft-RoCE loses no datagram when receives are posted");
        assertEquals(0, outOfOrder, "one sender, one path: datagrams arrive in order");
    }

    // Helpers

    private record Done(long wrId, Opcode opcode, CompletionStatus status, int byteLength) {
        static Done of(Completion c) {
            return new Done(c.wrId(), c.opcode(), c.status(), c.byteLength());
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

    /** @return how many completions arrived within {@link #QUIET}. */
    private static int awaitNothing(CompletionQueue queue) {
        Completion[] polled = Completion.array(64);
        int count = 0;
        long deadline = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < deadline) {
            count += queue.poll(polled);
            Thread.onSpinWait();
        }
        return count;
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

    private static void assertUntouched(MemoryRegion region, int offset, int length, String what) {
        for (int i = offset; i < offset + length; i++) {
            if (region.buffer().getByte(i) != UNTOUCHED) {
                fail("byte " + i + " was written " + what);
            }
        }
    }
}
