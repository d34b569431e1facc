package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.TargetAddress;

/**
 * Two JVMs on the soft provider: the first message to a node never contacted arrives and is answered; when the
 * peer's process is killed, messages to it fail with {@link PeerUnreachableException} instead of hanging.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoJvmTest {
    private Process child;

    @AfterEach
    void killChild() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void firstMessageIsAnsweredAndAKilledPeerFailsTyped() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            String parentId = UUID.randomUUID().toString();
            String childId = UUID.randomUUID().toString();
            QpPool parent = cluster.start(parentId, o -> o.nicOptions(new NicOptions().provider("soft")
                .directory(cluster.directory()).peerTimeout(Duration.ofMillis(500))));
            Inbox replies = new Inbox();
            parent.messageSink(replies);

            child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"), PeerProcess.class.getName(),
                cluster.directory().toString(), childId, Long.toString(PoolCluster.KEY))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
            String announced = readAddress(out);
            parent.directory().put(childId, TargetAddress.fromExternalForm(announced));
            Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            in.write("PEER " + parentId + " " + parent.advertisedAddress().toExternalForm() + "\n");
            in.flush();
            awaitLine(out, "READY");

            Connection connection = parent.connect(childId).toCompletableFuture().get(5, TimeUnit.SECONDS);
            byte[] first = "first message to a node never contacted".getBytes(StandardCharsets.UTF_8);
            long sent = System.nanoTime();
            assertNull(Outcome.send(connection, first).await());
            assertTrue(Inbox.await(() -> replies.size() == 1, 10, TimeUnit.SECONDS), "the child answers");
            long firstRoundTrip = System.nanoTime() - sent;
            assertArrayEquals(first, replies.all().get(0).payload());
            assertEquals(childId, replies.all().get(0).source());

            for (int i = 0; i < 100; i++) {
                assertNull(Outcome.send(connection, MessagingTest.payload(i, 300)).await());
            }
            int expected = 101;
            assertTrue(Inbox.await(() -> replies.size() == expected, 10, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(MessagingTest.payload(i, 300), replies.all().get(i + 1).payload());
            }
            System.out.printf("first round trip %.1f us%n", firstRoundTrip / 1e3);

            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            List<Outcome> afterDeath = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                afterDeath.add(Outcome.send(connection, new byte[100]));
            }
            int unreachable = 0;
            for (Outcome outcome : afterDeath) {
                PoolException failure = outcome.await();
                if (failure != null) {
                    assertInstanceOf(PeerUnreachableException.class, failure);
                    unreachable++;
                }
            }
            // Frames may still land in the dead process's posted buffers until its heartbeat goes stale; what
            // waits for credits it will never return must fail, not hang.
            assertTrue(unreachable >= 40 - 16, "messages to the killed peer fail typed: " + unreachable);
            PoolException later = Outcome.send(connection, new byte[1]).await();
            assertNotNull(later, "a dead peer does not come back");
            assertInstanceOf(PeerUnreachableException.class, later);
            // The killed JVM could not remove its shared-memory files; a NIC that opens sweeps those of dead
            // processes, so the directory is left empty.
            Fabrics.byName("soft").open(new NicOptions().provider("soft").directory(cluster.directory())).close();
        }
    }

    private static String readAddress(BufferedReader out) throws Exception {
        return awaitLine(out, "ADDRESS ").substring("ADDRESS ".length());
    }

    private static String awaitLine(BufferedReader out, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child exited before saying " + prefix.strip());
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
