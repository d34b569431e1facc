package org.rdmabus.verbs.soft.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;

/**
 * A producer that dies half-way through writing a completion must not stop the queue for good, and a sender that
 * dies between claiming a receive and completing it must not keep that receive's buffer, or its descriptor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SoftCompletionQueueTest {
    private Path directory;
    private SoftNic nic;

    @BeforeEach
    void open() throws IOException {
        Path shm = Paths.get("/dev/shm");
        directory = Files.createTempDirectory(Files.isWritable(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir")),
            "rdmabus-test-cq-");
        nic = SoftNic.open(new NicOptions().directory(directory).peerTimeout(Duration.ofMillis(200)), () -> { });
    }

    @AfterEach
    void close() throws IOException {
        nic.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void aRecordClaimedByADeadProducerIsSkippedAfterThePeerTimeout() {
        SoftCompletionQueue queue = (SoftCompletionQueue) nic.createCompletionQueue(16);
        String locator = nic.controlFile().toString().replace(".ctl", "");
        MappedFile peerView = MappedFile.open(new SegmentFiles(locator).completionQueue(queue.id()));
        try {
            ManyToOneRingBuffer ring = new ManyToOneRingBuffer(peerView.buffer());
            int abandoned = ring.tryClaim(CompletionRecord.MESSAGE_TYPE, CompletionRecord.LENGTH);
            assertTrue(abandoned >= 0);
            assertTrue(CompletionRecord.offer(ring, 7, Opcode.RECV, CompletionStatus.SUCCESS, 3, 0, false, 0, 0));

            Completion[] out = Completion.array(4);
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100)) {
                assertEquals(0, queue.poll(out), "nothing may pass the claimed record before the timeout");
            }
            int polled = 0;
            while (polled == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                polled = queue.poll(out);
            }
            assertEquals(1, polled);
            assertEquals(7, out[0].wrId());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200),
                "the record was skipped before the peer timeout");
        } finally {
            peerView.unmap();
        }
    }

    @Test
    void aReceiveClaimedByASenderThatDiedComesBackAndItsDescriptorCanBePostedAgain() {
        int capacity = 4;
        int bufferSize = 64;
        SoftCompletionQueue queue = (SoftCompletionQueue) nic.createCompletionQueue(16);
        SoftSharedReceiveQueue receives = (SoftSharedReceiveQueue) nic.createSharedReceiveQueue(capacity);
        MemoryRegion region = nic.allocateRegion(capacity * bufferSize, EnumSet.of(Access.LOCAL_WRITE));
        nic.createTarget(receives, queue, 1);
        for (int i = 0; i < capacity; i++) {
            assertTrue(receives.postReceive(i, region, (long) i * bufferSize, bufferSize));
        }
        SegmentFiles files = new SegmentFiles(nic.controlFile().toString().replace(".ctl", ""));
        MappedFile ringView = MappedFile.open(files.completionQueue(queue.id()));
        MappedFile receivesView = MappedFile.open(files.receiveQueue(receives.id()));
        try {
            // A sender's steps (WorkExecutor.send): reserve a completion record, claim a descriptor; this one dies there.
            ManyToOneRingBuffer ring = new ManyToOneRingBuffer(ringView.buffer());
            RemoteReceiveQueue senderView = new RemoteReceiveQueue(receives.id(), receivesView);
            assertTrue(ring.tryClaim(CompletionRecord.MESSAGE_TYPE, CompletionRecord.LENGTH) >= 0);
            long dead = senderView.tryClaim();
            assertEquals(0, dead);
            // A live sender completes the next descriptor.
            long live = senderView.tryClaim();
            assertTrue(CompletionRecord.offer(ring, senderView.wrId(live), Opcode.RECV, CompletionStatus.SUCCESS, 8, 0, false,
                receives.id(), live));

            Completion[] out = Completion.array(4);
            List<String> polled = new ArrayList<>();
            long start = System.nanoTime();
            while (polled.size() < 2 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                int count = queue.poll(out);
                for (int i = 0; i < count; i++) {
                    polled.add(out[i].wrId() + " " + out[i].status());
                }
            }
            assertEquals(List.of(live + " SUCCESS", dead + " RETRY_EXCEEDED"), polled,
                "the live sender's receive, then the dead sender's buffer handed back");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "reclaimed before the peer timeout");

            // Both buffers go back; the ring wraps onto both descriptors, the dead sender's first.
            assertTrue(receives.postReceive(dead, region, dead * bufferSize, bufferSize), "the dead sender's descriptor is free");
            assertTrue(receives.postReceive(live, region, live * bufferSize, bufferSize));
            assertEquals(capacity, receives.posted());

            // A record for the reclaimed receive that turns up late (its sender was only frozen) is dropped.
            assertTrue(CompletionRecord.offer(ring, dead, Opcode.RECV, CompletionStatus.SUCCESS, 8, 0, false, receives.id(), dead));
            long quiet = System.nanoTime();
            while (System.nanoTime() - quiet < TimeUnit.MILLISECONDS.toNanos(50)) {
                assertEquals(0, queue.poll(out), "a late record for a reclaimed receive must not be delivered");
            }
        } finally {
            ringView.unmap();
            receivesView.unmap();
        }
    }
}
