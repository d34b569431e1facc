package org.rdmabus.verbs.soft.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;

/** A producer that dies half-way through writing a completion must not stop the queue for good. */
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
}
