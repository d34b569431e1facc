package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.WorkRequest;

/**
 * The rdma provider's datagram (UD) queue pairs on a real device (Soft-RoCE in the VM; skipped elsewhere, failed
 * with {@code -Drdmabus.verbs.required=true}): SENDs both ways with the payload alone in the receive buffer, one
 * queue pair reaching several peers, the size and opcode limits, the key check, flushing on close, and a run of
 * many datagrams. Two NICs on the same device stand for two nodes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RdmaDatagramQueuePairTest {
    private static final long KEY = 0x0DA7A6_0DA7A6L;
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int RECEIVES = 64;

    private Nic nicA;
    private Nic nicB;
    private final List<End> ends = new ArrayList<>();
    private final WorkRequest request = new WorkRequest();

    /** One datagram queue pair with its queues and receive buffers, all posted. */
    private final class End {
        final CompletionQueue sends;
        final CompletionQueue receives;
        final DatagramQueuePair queuePair;
        final MemoryRegion buffers;
        final MemoryRegion outgoing;
        final int size;

        End(Nic nic, long key) {
            sends = nic.createCompletionQueue(256);
            receives = nic.createCompletionQueue(RECEIVES * 2);
            queuePair = nic.createDatagramQueuePair(sends, receives, 128, RECEIVES, key);
            size = queuePair.maxDatagramSize();
            buffers = nic.allocateRegion(RECEIVES * size, EnumSet.of(Access.LOCAL_WRITE));
            outgoing = nic.allocateRegion(size, EnumSet.of(Access.LOCAL_WRITE));
            for (int i = 0; i < RECEIVES; i++) {
                repost(i);
            }
            ends.add(this);
        }

        void repost(int index) {
            assertTrue(queuePair.postReceive(index, buffers, (long) index * size, size));
        }

        /** Sends {@code payload} from this end's registered buffer and waits for the send completion. */
        void send(End to, byte[] payload) {
            outgoing.buffer().putBytes(0, payload);
            request.send(outgoing, 0, payload.length).wrId(payload.length).signalled(true);
            assertTrue(queuePair.post(to.queuePair.address(), request));
            Completion done = awaitOne(sends);
            assertEquals(CompletionStatus.SUCCESS, done.status());
            assertEquals(Opcode.SEND, done.opcode());
        }

        byte[] receive() {
            Completion done = awaitOne(receives);
            assertEquals(CompletionStatus.SUCCESS, done.status());
            int index = (int) done.wrId();
            byte[] bytes = new byte[done.byteLength()];
            buffers.buffer().getBytes(index * size, bytes);
            repost(index);
            return bytes;
        }
    }

    @BeforeEach
    void open() {
        VerbsDevice.assumePresent();
        nicA = new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME));
        nicB = new RdmaFabric().open(new NicOptions().provider(RdmaFabric.NAME));
        assertTrue(nicA.capabilities().datagrams(), "every verbs device has datagram queue pairs");
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
    void sendsBothWaysWithThePayloadAloneInTheReceiveBuffer() {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY);
        assertTrue(a.size >= 256 && Integer.bitCount(a.size) == 1, "the path MTU: " + a.size);
        Random random = new Random(7);
        for (int size : new int[] {1, 40, 100, a.size - 1, a.size}) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            a.send(b, payload);
            assertArrayEquals(payload, b.receive(), "a to b, " + size + " bytes");
            b.send(a, payload);
            assertArrayEquals(payload, a.receive(), "b to a, " + size + " bytes");
        }
    }

    @Test
    void inlineSendsArriveToo() {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY);
        byte[] payload = "inline datagram".getBytes();
        request.sendInline(new UnsafeBuffer(payload), 0, payload.length).wrId(1).signalled(true);
        assertTrue(a.queuePair.post(b.queuePair.address(), request));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(a.sends).status());
        assertArrayEquals(payload, b.receive());
    }

    @Test
    void oneQueuePairReachesSeveralPeers() {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY);
        End c = new End(nicB, KEY);
        for (int round = 0; round < 3; round++) {
            a.send(b, new byte[] {1, (byte) round});
            a.send(c, new byte[] {2, (byte) round});
            assertArrayEquals(new byte[] {1, (byte) round}, b.receive());
            assertArrayEquals(new byte[] {2, (byte) round}, c.receive());
        }
    }

    @Test
    void refusesOversizedDatagramsAndOtherOperations() {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY);
        MemoryRegion large = nicA.allocateRegion(a.size + 1, EnumSet.of(Access.LOCAL_WRITE));
        assertThrows(IllegalArgumentException.class,
            () -> a.queuePair.post(b.queuePair.address(), new WorkRequest().send(large, 0, a.size + 1)));
        assertThrows(IllegalArgumentException.class,
            () -> a.queuePair.post(b.queuePair.address(), new WorkRequest().write(large, 0, 8, 0, 0)));
        a.send(b, new byte[] {5});
        assertArrayEquals(new byte[] {5}, b.receive(), "the queue pair still works");
    }

    @Test
    void aDatagramUnderAnotherKeyIsDroppedByTheReceiver() throws Exception {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY + 1);
        // As a node with another cluster's key would: b's address with that key put in, as the pool does.
        a.outgoing.buffer().putBytes(0, new byte[] {1, 2, 3});
        request.send(a.outgoing, 0, 3).wrId(3).signalled(true);
        assertTrue(a.queuePair.post(b.queuePair.address().withAccessKey(KEY), request));
        assertEquals(CompletionStatus.SUCCESS, awaitOne(a.sends).status(), "a datagram's send always succeeds");
        Thread.sleep(QUIET.toMillis());
        Completion[] polled = Completion.array(4);
        assertEquals(0, b.receives.poll(polled), "nothing arrives under another key");
    }

    @Test
    void closingFlushesThePostedReceives() {
        End a = new End(nicA, KEY);
        a.queuePair.close();
        Completion[] polled = Completion.array(RECEIVES);
        int flushed = 0;
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (flushed < RECEIVES && System.nanoTime() - deadline < 0) {
            int count = a.receives.poll(polled);
            for (int i = 0; i < count; i++) {
                assertEquals(CompletionStatus.FLUSHED, polled[i].status());
            }
            flushed += count;
        }
        assertEquals(RECEIVES, flushed, "every posted receive is reported flushed");
    }

    @Test
    void tenThousandDatagramsArriveIntactAndInOrder() {
        End a = new End(nicA, KEY);
        End b = new End(nicB, KEY);
        int count = 10_000;
        int received = 0;
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[8 + i % 200];
            new UnsafeBuffer(payload).putInt(0, i);
            a.send(b, payload);
            byte[] got = b.receive();
            assertEquals(payload.length, got.length, "length of datagram " + i);
            assertEquals(i, new UnsafeBuffer(got).getInt(0), "datagram " + i);
            received++;
        }
        assertEquals(count, received);
    }

    private static Completion awaitOne(CompletionQueue queue) {
        Completion[] one = Completion.array(1);
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (queue.poll(one) == 1) {
                return one[0];
            }
            Thread.onSpinWait();
        }
        fail("no completion within " + AWAIT);
        return null;
    }
}
