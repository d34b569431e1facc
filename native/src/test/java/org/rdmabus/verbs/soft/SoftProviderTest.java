package org.rdmabus.verbs.soft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.UnavailableReason;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.conformance.PeerProcess;

/** What only the soft provider promises: its files, their clean-up, its fault hook and an allocation-free data path. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SoftProviderTest {
    private static final long KEY = 42;
    private Path directory;
    private PeerProcess peer;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = SoftTestDirectories.create("provider");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (peer != null) {
            peer.kill();
        }
        SoftTestDirectories.delete(directory);
    }

    private NicOptions options(Path dir) {
        return new NicOptions().provider(SoftFabric.NAME).directory(dir)
            .rnrTimeout(Duration.ofMillis(200)).peerTimeout(Duration.ofMillis(1000));
    }

    @Test
    void theProviderIsRegisteredWithLowPriorityAndDcAndRcCapabilities() {
        Fabric soft = Fabrics.byName("soft");
        assertInstanceOf(SoftFabric.class, soft);
        assertEquals(10, soft.priority());
        try (Nic nic = soft.open(options(directory))) {
            assertEquals("soft", nic.provider());
            assertTrue(nic.capabilities().dynamicallyConnected());
            assertTrue(nic.capabilities().reliableConnected());
        }
    }

    @Test
    void filesAndTheirDirectoryAreOwnerOnly() throws IOException {
        Path fresh = directory.resolve("nested").resolve("shm");
        try (Nic nic = Fabrics.open(options(fresh))) {
            nic.allocateRegion(4096, EnumSet.of(Access.REMOTE_WRITE));
            CompletionQueue cq = nic.createCompletionQueue(8);
            nic.createTarget(nic.createSharedReceiveQueue(4), cq, KEY);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
            List<Path> files = list(fresh);
            assertEquals(4, files.size(), "control, region, completion queue and receive queue: " + files);
            for (Path file : files) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    @Test
    void aDirectoryOthersCanEnterIsRefusedNotTightened() throws IOException {
        Path open = Files.createDirectory(directory.resolve("open"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        FabricUnavailableException refused =
            assertThrows(FabricUnavailableException.class, () -> Fabrics.open(options(open)));
        assertEquals(UnavailableReason.SHARED_MEMORY_UNAVAILABLE, refused.reason());
        assertTrue(refused.getMessage().contains("owner-only"), refused.getMessage());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
    }

    @Test
    void probeExplainsAnUnusableDirectory() throws IOException {
        Path notADirectory = Files.createFile(directory.resolve("plain-file"));
        String previous = System.getProperty(SoftFabric.DIRECTORY_PROPERTY);
        System.setProperty(SoftFabric.DIRECTORY_PROPERTY, notADirectory.toString());
        try {
            FabricStatus status = new SoftFabric().probe();
            assertFalse(status.available());
            assertEquals(UnavailableReason.SHARED_MEMORY_UNAVAILABLE, status.reason());
            assertTrue(status.detail().contains(notADirectory.toString()), status.detail());
            System.setProperty(SoftFabric.DIRECTORY_PROPERTY, directory.toString());
            assertTrue(new SoftFabric().probe().available());
        } finally {
            if (previous == null) {
                System.clearProperty(SoftFabric.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(SoftFabric.DIRECTORY_PROPERTY, previous);
            }
        }
    }

    @Test
    void closingTheNicRemovesEveryFile() throws IOException {
        Nic nic = Fabrics.open(options(directory));
        nic.allocateRegion(1 << 20, EnumSet.of(Access.LOCAL_WRITE));
        CompletionQueue cq = nic.createCompletionQueue(16);
        nic.createTarget(nic.createSharedReceiveQueue(4), cq, KEY);
        nic.createInitiator(cq, 4);
        assertFalse(list(directory).isEmpty());
        nic.close();
        assertEquals(List.of(), list(directory));
    }

    @Test
    void closingAResourceRemovesItsFile() throws IOException {
        try (Nic nic = Fabrics.open(options(directory))) {
            int before = list(directory).size();
            MemoryRegion region = nic.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            assertEquals(before + 1, list(directory).size());
            region.close();
            assertEquals(before, list(directory).size());
            assertThrows(IndexOutOfBoundsException.class, () -> region.buffer().getByte(0),
                "a closed region's buffer must not reach unmapped memory");
        }
    }

    @Test
    void segmentsOfDeadProcessesAreRemovedAtOpenAndLiveOnesKept() throws Exception {
        long deadPid = exitedProcessPid();
        writeFakeSegment(deadPid + "_1a2b", deadPid, 0);
        // A live pid (this JVM's parent) with another process's start time: a recycled pid, so stale too.
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        writeFakeSegment(parent + "_3c4d", parent, 12345);
        // Orphans without a control segment go only once nothing of theirs changed for a while.
        Path orphan = Files.createFile(directory.resolve(deadPid + "_5e6f.mr.401"));
        Files.setLastModifiedTime(orphan, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path freshOrphan = Files.createFile(directory.resolve(deadPid + "_7a8b.mr.401"));
        Files.createFile(directory.resolve("unrelated.txt"));

        try (Nic nic = Fabrics.open(options(directory))) {
            List<String> names = list(directory).stream().map(p -> p.getFileName().toString()).toList();
            assertEquals(3, names.size(), names.toString());
            assertTrue(names.contains("unrelated.txt"));
            assertTrue(names.contains(freshOrphan.getFileName().toString()));
            assertTrue(names.stream().anyMatch(n -> n.startsWith(ProcessHandle.current().pid() + "_")));
        }
    }

    @Test
    void aSegmentWithAFreshHeartbeatIsKeptEvenIfItsPidLooksDead() throws Exception {
        long deadPid = exitedProcessPid();
        writeFakeSegment(deadPid + "_9c0d", deadPid, 0);
        ByteBuffer beat = ByteBuffer.allocate(Long.BYTES * 2).order(ByteOrder.nativeOrder());
        beat.putLong(0, 100_000_000L).putLong(8, System.nanoTime());
        try (java.nio.channels.FileChannel control = java.nio.channels.FileChannel.open(
            directory.resolve(deadPid + "_9c0d.ctl"), java.nio.file.StandardOpenOption.WRITE)) {
            control.write(beat.slice(0, 8), 32);
            control.write(beat.slice(8, 8), 64);
        }
        try (Nic nic = Fabrics.open(options(directory))) {
            assertEquals(2, countStartingWith(deadPid + "_"), "a process in another pid namespace looks dead here");
        }
    }

    @Test
    void theFilesOfAKilledJvmAreRemovedByTheNextNic() throws Exception {
        peer = PeerProcess.start(List.of("soft", directory.toString(), "200", "1000", String.valueOf(KEY)));
        peer.ask("target 4 1024 4096", Duration.ofSeconds(10));
        String prefix = peer.process().pid() + "_";
        try (Nic alive = Fabrics.open(options(directory))) {
            assertEquals(5, countStartingWith(prefix), "a live peer's files must be kept");
        }
        peer.kill();
        assertEquals(5, countStartingWith(prefix), "a killed JVM leaves its files behind");
        // Its heartbeat must look stale too (three 100 ms intervals) before a sweep may remove them.
        Thread.sleep(500);
        try (Nic next = Fabrics.open(options(directory))) {
            assertEquals(0, countStartingWith(prefix));
        }
    }

    @Test
    void aNicThatPostedToAKilledJvmRemovesItsFilesAndKeepsFailingPosts() throws Exception {
        peer = PeerProcess.start(List.of("soft", directory.toString(), "200", "1000", String.valueOf(KEY)));
        String[] info = peer.ask("target 4 1024 4096", Duration.ofSeconds(10));
        TargetAddress address = TargetAddress.fromExternalForm(info[0]);
        String prefix = peer.process().pid() + "_";
        try (Nic nic = Fabrics.open(options(directory))) {
            CompletionQueue sends = nic.createCompletionQueue(8);
            DcInitiator initiator = nic.createInitiator(sends, 4);
            MemoryRegion source = nic.allocateRegion(64, EnumSet.of(Access.LOCAL_WRITE));
            WorkRequest write = new WorkRequest()
                .write(source, 0, 8, Long.parseLong(info[2]), Integer.parseInt(info[1]));
            assertTrue(initiator.post(address, write));
            assertEquals(CompletionStatus.SUCCESS, one(sends).status());

            peer.kill();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (countStartingWith(prefix) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, countStartingWith(prefix), "the surviving NIC removes a dead peer's files");
            assertTrue(initiator.post(address, write));
            assertEquals(CompletionStatus.RETRY_EXCEEDED, one(sends).status());
        }
    }

    @Test
    void injectedFaultsFailExactlyTheRequestsTheyName() {
        try (Nic nic = Fabrics.open(options(directory))) {
            CompletionQueue cq = nic.createCompletionQueue(32);
            SharedReceiveQueue srq = nic.createSharedReceiveQueue(8);
            MemoryRegion buffers = nic.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            DcTarget target = nic.createTarget(srq, cq, KEY);
            CompletionQueue sends = nic.createCompletionQueue(32);
            DcInitiator initiator = nic.createInitiator(sends, 8);
            DcInitiator other = nic.createInitiator(sends, 8);
            WorkRequest write = new WorkRequest().write(buffers, 0, 8, buffers.remoteAddress(64), buffers.rkey());
            buffers.buffer().putLong(0, 99);

            SoftFaults.failNextPost(initiator, CompletionStatus.REMOTE_ACCESS);
            assertTrue(initiator.post(target.address(), write.wrId(1).signalled(false)));
            assertEquals(CompletionStatus.REMOTE_ACCESS, one(sends).status());
            assertEquals(QueuePairState.ERROR, initiator.state());
            assertEquals(0, buffers.buffer().getLong(64), "an injected failure writes nothing");
            initiator.reset();
            assertTrue(initiator.post(target.address(), write.wrId(2).signalled(true)));
            assertEquals(CompletionStatus.SUCCESS, one(sends).status());
            assertEquals(99, buffers.buffer().getLong(64));

            SoftFaults.failNextPostTo(target, CompletionStatus.RNR_RETRY_EXCEEDED);
            assertTrue(other.post(target.address(), write.wrId(3)));
            assertEquals(CompletionStatus.RNR_RETRY_EXCEEDED, one(sends).status());
            assertTrue(initiator.post(target.address(), write.wrId(4)));
            assertEquals(CompletionStatus.SUCCESS, one(sends).status(), "only one request sees a target fault");

            SoftFaults.lookDead(target, true);
            assertTrue(initiator.post(target.address(), write.wrId(5)));
            assertEquals(CompletionStatus.RETRY_EXCEEDED, one(sends).status());
            initiator.reset();
            SoftFaults.lookDead(target, false);
            assertTrue(initiator.post(target.address(), write.wrId(6)));
            assertEquals(CompletionStatus.SUCCESS, one(sends).status());

            assertThrows(IllegalArgumentException.class, () -> SoftFaults.failNextPost(initiator, CompletionStatus.SUCCESS));
        }
    }

    @Test
    void aFullReceiveCompletionQueueHoldsSendsBackInsteadOfLosingThem() {
        try (Nic nic = Fabrics.open(options(directory).rnrTimeout(Duration.ofSeconds(10)))) {
            CompletionQueue tiny = nic.createCompletionQueue(1);
            SharedReceiveQueue srq = nic.createSharedReceiveQueue(64);
            MemoryRegion buffers = nic.allocateRegion(64 * 8, EnumSet.of(Access.LOCAL_WRITE));
            for (int i = 0; i < 64; i++) {
                srq.postReceive(i, buffers, i * 8L, 8);
            }
            DcTarget target = nic.createTarget(srq, tiny, KEY);
            CompletionQueue sends = nic.createCompletionQueue(64);
            DcInitiator initiator = nic.createInitiator(sends, 64);
            WorkRequest send = new WorkRequest();
            VarHandleBuffer source = new VarHandleBuffer(new byte[8]);
            for (int i = 0; i < 64; i++) {
                source.putLong(0, i);
                assertTrue(initiator.post(target.address(), send.sendInline(source, 0, 8).wrId(i)));
            }
            assertTrue(srq.posted() > 0, "with the ring full, later SENDs wait instead of consuming receives");
            Completion[] completions = Completion.array(4);
            for (int expected = 0; expected < 64; ) {
                int n = tiny.poll(completions);
                for (int i = 0; i < n; i++, expected++) {
                    assertEquals(expected, completions[i].wrId());
                    assertEquals(CompletionStatus.SUCCESS, completions[i].status());
                    assertEquals(expected, buffers.buffer().getLong(expected * 8));
                }
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(i, one(sends).wrId());
            }
        }
    }

    @Test
    void postAndPollAllocateNothingInSteadyState() {
        try (Nic sender = Fabrics.open(options(directory)); Nic receiver = Fabrics.open(options(directory))) {
            CompletionQueue sends = sender.createCompletionQueue(64);
            DcInitiator initiator = sender.createInitiator(sends, 16);
            MemoryRegion source = sender.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            CompletionQueue receives = receiver.createCompletionQueue(64);
            SharedReceiveQueue srq = receiver.createSharedReceiveQueue(16);
            MemoryRegion sink = receiver.allocateRegion(16 * 256,
                EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
            DcTarget target = receiver.createTarget(srq, receives, KEY);
            for (int i = 0; i < 16; i++) {
                srq.postReceive(i, sink, i * 256L, 256);
            }
            WorkRequest request = new WorkRequest();
            Completion[] completions = Completion.array(16);
            com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();

            roundTrips(20_000, initiator, target, request, source, sink, sends, receives, srq, completions);
            long before = threads.getThreadAllocatedBytes(thread);
            roundTrips(10_000, initiator, target, request, source, sink, sends, receives, srq, completions);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 16 * 1024, allocated + " bytes allocated by 10 000 post+poll rounds");
        }
    }

    private static void roundTrips(int rounds, DcInitiator initiator, DcTarget target, WorkRequest request,
                                   MemoryRegion source, MemoryRegion sink, CompletionQueue sends,
                                   CompletionQueue receives, SharedReceiveQueue srq, Completion[] completions) {
        for (int i = 0; i < rounds; i++) {
            request.send(source, 0, 64).wrId(i).signalled(true);
            post(initiator, target, request);
            request.write(source, 64, 32, sink.remoteAddress(0), sink.rkey()).signalled(false);
            post(initiator, target, request);
            request.read(source, 128, 32, sink.remoteAddress(32), sink.rkey()).signalled(true);
            post(initiator, target, request);
            int sent = 0;
            int slot = -1;
            while (sent < 2 || slot < 0) {
                sent += drain(sends, completions);
                if (slot < 0 && drain(receives, completions) == 1) {
                    slot = (int) completions[0].wrId();
                }
            }
            srq.postReceive(slot, sink, slot * 256L, 256);
        }
    }

    private static void post(DcInitiator initiator, DcTarget target, WorkRequest request) {
        if (!initiator.post(target.address(), request)) {
            throw new AssertionError("send queue full");
        }
    }

    private static int drain(CompletionQueue queue, Completion[] completions) {
        int n = queue.poll(completions);
        for (int i = 0; i < n; i++) {
            if (!completions[i].isSuccess()) {
                throw new AssertionError("failed: " + completions[i]);
            }
        }
        return n;
    }

    private static Completion one(CompletionQueue queue) {
        Completion[] one = Completion.array(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (queue.poll(one) == 1) {
                return one[0];
            }
            Thread.onSpinWait();
        }
        return fail("no completion");
    }

    private long countStartingWith(String prefix) throws IOException {
        return list(directory).stream().filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }

    private void writeFakeSegment(String nicId, long pid, long startMillis) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        header.putLong(0, 0x3153_5542_414D_4452L).putInt(8, 1).putInt(12, 1).putLong(16, pid).putLong(24, startMillis);
        Files.write(directory.resolve(nicId + ".ctl"), header.array());
        Files.createFile(directory.resolve(nicId + ".cq.401"));
    }

    private static long exitedProcessPid() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return process.pid();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
