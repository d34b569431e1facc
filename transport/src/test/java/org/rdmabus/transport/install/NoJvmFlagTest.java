package org.rdmabus.transport.install;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.semantics.SemanticsNodeMain;
import org.rdmabus.transport.testing.ChildJvmProcess;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestTimes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * rdmabus is a drop-in: a clustered application with it on the class path, started with no JVM flag at all, takes
 * the soft channel, on JDK 17 and on JDK 25. Two {@link SemanticsNodeMain} nodes in child JVMs of one JDK, with the
 * default provider choice ({@code auto}), exchange requests; each must report that JDK, no {@code --add-exports}
 * or {@code --add-opens} among its JVM arguments, a start-up line naming the 'soft' channel, channel counters that
 * carried the traffic, and no event-bus TCP connection or TCP send. No JDK warning may name an rdmabus or Agrona
 * class: on JDK 25, JEP 498's warning about {@code sun.misc.Unsafe} and JEP 472's about native access name the
 * caller. The JDK warns once per JVM, for the first caller only, and here Hazelcast (its shaded JCTools uses
 * {@code sun.misc.Unsafe}) and Netty's epoll transport (JNI) come first, so the proof that rdmabus itself warns of
 * nothing is {@code SoftFabricWithoutFlagsTest} in the native module, whose JVMs run nothing else.
 *
 * <p>The JDK 17 leg uses this JVM's {@code java} when it is 17, else {@value #JDK17_JAVA}; the JDK 25 leg uses
 * {@value #JDK25_JAVA}. A missing JDK skips its leg visibly; {@code -D}{@value #JDK25_REQUIRED}{@code =true} makes a
 * missing JDK 25 a failure.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NoJvmFlagTest {
    static final String JDK17_JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    static final String JDK25_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    static final String JDK25_REQUIRED = "rdmabus.jdk25.required";

    private static final int REQUESTS = 20;
    private static final Duration START = TestTimes.scaled(Duration.ofSeconds(120));
    private static final Duration ANSWER = TestTimes.scaled(Duration.ofSeconds(30));

    @Test
    void onJdk17AClusteredAppTakesTheSoftChannelWithoutAFlag() {
        Path java = Runtime.version().feature() == 17 ? Paths.get(System.getProperty("java.home"), "bin", "java")
            : Path.of(JDK17_JAVA);
        assumeTrue(Files.isExecutable(java), "no JDK 17 at " + java);
        twoNodesTakeTheSoftChannel(java, 17);
    }

    @Test
    void onJdk25AClusteredAppTakesTheSoftChannelWithoutAFlag() {
        Path java = Path.of(JDK25_JAVA);
        if (!Files.isExecutable(java)) {
            if (Boolean.getBoolean(JDK25_REQUIRED)) {
                fail("-D" + JDK25_REQUIRED + "=true but there is no " + java);
            }
            assumeTrue(false, "no JDK 25 at " + java + " (-D" + JDK25_REQUIRED + "=true fails instead)");
        }
        twoNodesTakeTheSoftChannel(java, 25);
    }

    private static void twoNodesTakeTheSoftChannel(Path java, int feature) {
        String cluster = "noflag-" + feature + "-" + UUID.randomUUID();
        String address = "noflag-echo-" + UUID.randomUUID();
        List<ChildJvmProcess> nodes = new ArrayList<>();
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("noflag")) {
            try {
                for (String name : List.of("a", "b")) {
                    nodes.add(ChildJvmProcess.start(java, name, SemanticsNodeMain.class, List.of(cluster, name, "auto"),
                        SemanticsNodeMain.PROTOCOL, directory));
                }
                for (ChildJvmProcess node : nodes) {
                    node.await("READY", START);
                }
                ChildJvmProcess a = nodes.get(0);
                ChildJvmProcess b = nodes.get(1);
                assertEquals("echo", b.ask("CONSUME echo " + address + " echo", "CONSUMING", ANSWER));
                assertEquals("ok", a.ask("AWAIT " + address + " 1", "AWAITED", ANSWER));
                for (int i = 0; i < REQUESTS; i++) {
                    JsonObject reply = a.askJson("REQUEST 10000 " + address + " hello-" + i, "REPLIED", ANSWER);
                    assertEquals(Boolean.TRUE, reply.getBoolean("ok"), reply.encode());
                    assertEquals("hello-" + i, reply.getString("body"), reply.encode());
                    assertEquals("b", reply.getString("echoedBy"), reply.encode());
                }
                JsonObject requester = a.askJson("STATS", "STATS", ANSWER);
                JsonObject responder = b.askJson("STATS", "STATS", ANSWER);
                for (JsonObject stats : List.of(requester, responder)) {
                    assertRanFlaglessOnTheSoftChannel(stats, feature);
                }
                assertTrue(requester.getLong("channelSends") >= REQUESTS, "the requests went by channel: " + requester);
                assertTrue(responder.getLong("inboundDelivered") >= REQUESTS, "the channel delivered them: " + responder);
                assertTrue(requester.getLong("inboundDelivered") >= REQUESTS, "the replies came by channel: " + requester);
                for (ChildJvmProcess node : nodes) {
                    assertNoWarningNamesRdmabus(node);
                }
            } finally {
                nodes.forEach(ChildJvmProcess::leave);
                nodes.forEach(ChildJvmProcess::close);
            }
        }
    }

    private static void assertRanFlaglessOnTheSoftChannel(JsonObject stats, int feature) {
        assertEquals(feature, stats.getInteger("java"), "the node ran on another JDK: " + stats);
        JsonArray arguments = stats.getJsonArray("jvmArguments");
        for (Object argument : arguments) {
            String text = String.valueOf(argument);
            assertTrue(!text.startsWith("--add-exports") && !text.startsWith("--add-opens")
                && !text.contains("jdk.internal.misc"), "the node was started with a module flag: " + arguments);
        }
        assertEquals(Boolean.TRUE, stats.getBoolean("rdmabus"), "rdmabus is not active: " + stats);
        assertEquals("soft", stats.getString("fabric"), "the node's channel is not the soft fabric: " + stats);
        assertTrue(stats.getString("status").contains("takes the 'soft' channel"), "start-up line: " + stats.getString("status"));
        assertEquals(new JsonArray(), stats.getJsonArray("tcpTargets"), "event-bus TCP connections: " + stats);
        assertEquals(0L, stats.getLong("tcpSends"), stats.encode());
        assertEquals(0L, stats.getLong("switchesToTcp"), stats.encode());
    }

    private static void assertNoWarningNamesRdmabus(ChildJvmProcess node) {
        for (String line : node.output()) {
            assertTrue(!line.startsWith("WARNING") || !line.contains("org.rdmabus") && !line.contains("org.agrona"),
                "node " + node.name() + " printed a warning about rdmabus's code: " + line);
        }
    }
}
