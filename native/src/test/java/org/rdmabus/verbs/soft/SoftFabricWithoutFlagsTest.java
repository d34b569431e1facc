package org.rdmabus.verbs.soft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.WorkRequest;

/**
 * The soft fabric in a JVM started with no flag at all, on JDK 17 and on JDK 25: two NICs exchange SENDs, RDMA
 * WRITEs and READs through shared memory and close (unmapping their files), and the JVM prints nothing on stderr.
 * No Hazelcast or Netty runs there, so this is rdmabus's own record: on JDK 25 a use of {@code sun.misc.Unsafe}'s
 * memory access would print JEP 498's warning, and any other JDK warning would show too.
 *
 * <p>The JDK 17 leg uses this JVM's {@code java} when it is 17, else {@value #JDK17_JAVA}; the JDK 25 leg uses
 * {@value #JDK25_JAVA}. A missing JDK skips its leg visibly; {@code -D}{@value #JDK25_REQUIRED}{@code =true} makes a
 * missing JDK 25 a failure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SoftFabricWithoutFlagsTest {
    static final String JDK17_JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    static final String JDK25_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    static final String JDK25_REQUIRED = "rdmabus.jdk25.required";
    private static final int ROUNDS = 2_000;
    private static final long KEY = 7;

    @Test
    void onJdk17TheFabricWorksAndWarnsOfNothing() throws Exception {
        Path java = Runtime.version().feature() == 17 ? Paths.get(System.getProperty("java.home"), "bin", "java")
            : Path.of(JDK17_JAVA);
        assumeTrue(Files.isExecutable(java), "no JDK 17 at " + java);
        runsCleanly(java, 17);
    }

    @Test
    void onJdk25TheFabricWorksAndWarnsOfNothing() throws Exception {
        Path java = Path.of(JDK25_JAVA);
        if (!Files.isExecutable(java)) {
            if (Boolean.getBoolean(JDK25_REQUIRED)) {
                fail("-D" + JDK25_REQUIRED + "=true but there is no " + java);
            }
            assumeTrue(false, "no JDK 25 at " + java + " (-D" + JDK25_REQUIRED + "=true fails instead)");
        }
        runsCleanly(java, 25);
    }

    private static void runsCleanly(Path java, int feature) throws Exception {
        Path directory = SoftTestDirectories.create("noflags");
        Path stderr = Files.createTempFile("rdmabus-noflags-", ".err");
        try {
            Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                SoftFabricWithoutFlagsTest.class.getName(), directory.toString()).redirectError(stderr.toFile()).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
            String err = Files.readString(stderr);
            assertEquals(0, child.exitValue(), out + err);
            assertTrue(out.contains(ROUNDS + " rounds on Java " + feature + " with JVM arguments [-Xmx128m]"), out);
            assertEquals("", err, "the child printed on stderr");
        } finally {
            Files.deleteIfExists(stderr);
            SoftTestDirectories.delete(directory);
        }
    }

    /**
     * The child: {@value #ROUNDS} rounds of SEND, WRITE and READ between two soft NICs, each checked.
     *
     * @param args the shared-memory directory.
     */
    public static void main(String[] args) {
        NicOptions options = new NicOptions().provider(SoftFabric.NAME).directory(Path.of(args[0]))
            .peerTimeout(Duration.ofSeconds(5));
        try (Nic sender = Fabrics.open(options); Nic receiver = Fabrics.open(options)) {
            CompletionQueue sends = sender.createCompletionQueue(16);
            DcInitiator initiator = sender.createInitiator(sends, 8);
            MemoryRegion source = sender.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            CompletionQueue receives = receiver.createCompletionQueue(16);
            SharedReceiveQueue srq = receiver.createSharedReceiveQueue(4);
            MemoryRegion sink = receiver.allocateRegion(4096,
                EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
            DcTarget target = receiver.createTarget(srq, receives, KEY);
            WorkRequest request = new WorkRequest();
            Completion[] one = Completion.array(1);
            VarHandleBuffer bytes = new VarHandleBuffer(new byte[8]);
            for (int i = 0; i < ROUNDS; i++) {
                srq.postReceive(i, sink, 0, 64);
                source.buffer().putLong(0, i);
                post(initiator, target, request.send(source, 0, 64).wrId(i).signalled(true));
                await(sends, one, "SEND " + i);
                await(receives, one, "receive " + i);
                check(sink.buffer().getLong(0) == i, "SEND " + i + " delivered " + sink.buffer().getLong(0));
                source.buffer().putLong(64, -i);
                post(initiator, target, request.write(source, 64, 8, sink.remoteAddress(1024), sink.rkey()).signalled(true));
                await(sends, one, "WRITE " + i);
                check(sink.buffer().getLong(1024) == -i, "WRITE " + i);
                sink.buffer().putLong(2048, i * 3L);
                post(initiator, target, request.read(source, 128, 8, sink.remoteAddress(2048), sink.rkey()).signalled(true));
                await(sends, one, "READ " + i);
                source.buffer().getBytes(128, bytes, 0, 8);
                check(bytes.getLong(0) == i * 3L, "READ " + i);
            }
        }
        System.out.println(ROUNDS + " rounds on Java " + Runtime.version().feature() + " with JVM arguments "
            + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static void post(DcInitiator initiator, DcTarget target, WorkRequest request) {
        check(initiator.post(target.address(), request), "send queue full");
    }

    private static void await(CompletionQueue queue, Completion[] one, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.poll(one) == 0) {
            check(System.nanoTime() < deadline, "no completion for " + what);
            Thread.onSpinWait();
        }
        check(one[0].isSuccess(), what + " failed: " + one[0]);
    }

    private static void check(boolean condition, String otherwise) {
        if (!condition) {
            throw new AssertionError(otherwise);
        }
    }
}
