package org.rdmabus.transport.semantics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdmabus.transport.testing.ChildJvmProcess;
import org.rdmabus.transport.testing.ProviderUnderTest;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestTimes;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.FabricUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a clustered Vert.x app gets when it only adds the jar and configures nothing: two such apps, each in a JVM of
 * its own (Hazelcast on 127.0.0.1), serve an echo address and request each other's. With the defaults they take the
 * best provider whose channel starts ({@code rdma} where a device is found, as in the Soft-RoCE VM with
 * {@code -Drdmabus.verbs.required=true}; {@code soft} otherwise); with the rdma provider made unusable (its JNI library
 * cannot be extracted: a temporary directory that is not a directory, as on a host whose {@code /tmp} is not writable)
 * they take the soft channel and say why not rdma; with the soft fabric made unusable too (its directory cannot be
 * created) they stay on Vert.x's TCP. Every case checks both apps' start-up lines, which path carried the requests
 * (channel counters and event-bus TCP connections), and that every request was answered.
 *
 * <p>No class-wide timeout: every wait is bounded on its own ({@link #START}, {@link #ANSWER}), stretched by
 * {@link TestTimes} under the Soft-RoCE VM's emulation, where a fixed bound sized for the host would cut a run that
 * is only slow.
 */
class DefaultProviderChoiceTest {

    private static final Duration START = TestTimes.scaled(Duration.ofSeconds(90));
    private static final Duration ANSWER = TestTimes.scaled(Duration.ofSeconds(30));
    private static final int REQUESTS = 20;

    private SoftFabricDirectory directory;
    private Path notADirectory;
    private final List<ChildJvmProcess> apps = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();

    @BeforeEach
    void createDirectory() throws IOException {
        directory = SoftFabricDirectory.create("defaults");
        // A regular file: nothing can be created beneath it, whoever runs the test (root included).
        notADirectory = Files.createTempFile("rdmabus-not-a-directory-", ".file");
    }

    @AfterEach
    void stopApps() throws IOException {
        try {
            apps.forEach(ChildJvmProcess::leave);
            apps.forEach(ChildJvmProcess::close);
        } finally {
            directory.close();
            Files.deleteIfExists(notADirectory);
        }
    }

    @Test
    void withTheDefaultsAnAppTakesTheBestProviderThatStarts() {
        String expected = rdmaDeviceExpected() ? "rdma" : "soft";
        List<JsonObject> stats = runTwoApps();
        for (int i = 0; i < apps.size(); i++) {
            JsonObject app = stats.get(i);
            ProviderUnderTest.assertTook(expected, "app " + i, app.getString("fabric"), app.getString("status"));
            assertCarriedByTheChannel(i, app);
            if (expected.equals("rdma")) {
                assertFalse(app.getString("status").contains("not '"), "app " + i + " passed a provider over: " + app);
            }
        }
    }

    @Test
    void withTheRdmaProviderUnusableAnAppTakesTheSoftChannelAndSaysWhy() {
        List<JsonObject> stats = runTwoApps("-Drdmabus.native.tmpdir=" + notADirectory);
        for (int i = 0; i < apps.size(); i++) {
            JsonObject app = stats.get(i);
            ProviderUnderTest.assertTook("soft", "app " + i, app.getString("fabric"), app.getString("status"));
            assertTrue(app.getString("status").contains("; not 'rdma': "), "app " + i + " does not say why not rdma: " + app);
            assertCarriedByTheChannel(i, app);
        }
    }

    @Test
    void withNeitherProviderUsableAnAppStaysOnTcpAndItsRequestsSucceed() {
        List<JsonObject> stats = runTwoApps("-Drdmabus.native.tmpdir=" + notADirectory,
            "-D" + SoftFabricDirectory.PROPERTY + "=" + notADirectory.resolve("soft"));
        for (int i = 0; i < apps.size(); i++) {
            JsonObject app = stats.get(i);
            assertEquals(false, app.getBoolean("rdmabus"), "app " + i + " runs a channel: " + app);
            assertNull(app.getString("fabric"), "app " + i + ": " + app);
            String status = app.getString("status");
            assertTrue(status.contains("rdma: ") && status.contains("soft: "), "app " + i + " does not say why neither: " + app);
            String other = apps.get(1 - i).name();
            assertEquals(new JsonArray().add(nodeIds.get(1 - i)), app.getJsonArray("tcpTargets"),
                "app " + i + " did not reach " + other + " over TCP: " + app);
        }
    }

    /**
     * Starts two apps with the defaults and the given JVM options, has each request the other's echo address, and
     * returns their STATS once every request was answered.
     */
    private List<JsonObject> runTwoApps(String... jvmOptions) {
        String cluster = "defaults-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            String name = "app" + i;
            apps.add(ChildJvmProcess.start(name, SemanticsNodeMain.class, List.of(cluster, name, "defaults"),
                SemanticsNodeMain.PROTOCOL, directory, jvmOptions));
        }
        for (ChildJvmProcess app : apps) {
            nodeIds.add(app.await("READY", START).split(" ")[1]);
        }
        for (int i = 0; i < apps.size(); i++) {
            apps.get(i).ask("CONSUME echo echo-" + i + " echo", "CONSUMING", ANSWER);
        }
        for (int i = 0; i < apps.size(); i++) {
            assertEquals("ok", apps.get(i).ask("AWAIT echo-" + (1 - i) + " 1", "AWAITED", ANSWER), "app " + i);
        }
        for (int round = 0; round < REQUESTS; round++) {
            for (int i = 0; i < apps.size(); i++) {
                JsonObject reply = apps.get(i).askJson("REQUEST " + ANSWER.toMillis() + " echo-" + (1 - i) + " r" + round, "REPLIED", ANSWER.plusSeconds(15));
                assertEquals(true, reply.getBoolean("ok"), "app " + i + ", request " + round + ": " + reply);
                assertEquals("r" + round, reply.getString("body"), "app " + i + ": " + reply);
            }
        }
        List<JsonObject> stats = new ArrayList<>();
        for (ChildJvmProcess app : apps) {
            stats.add(app.askJson("STATS", "STATS", ANSWER));
        }
        return stats;
    }

    /** Both ways, every request and reply went over the channel: none over TCP, no event-bus TCP connection. */
    private void assertCarriedByTheChannel(int i, JsonObject app) {
        assertTrue(app.getLong("channelSends") >= 2L * REQUESTS, "app " + i + " sent its requests and replies elsewhere: " + app);
        assertTrue(app.getLong("inboundDelivered") >= 2L * REQUESTS, "app " + i + " received elsewhere: " + app);
        assertEquals(0L, app.getLong("tcpSends"), "app " + i + ": " + app);
        assertEquals(new JsonArray(), app.getJsonArray("tcpTargets"), "app " + i + " opened event-bus TCP connections: " + app);
    }

    /** Where a device must be used (the VM run) or is found, the defaults must take rdma. */
    private static boolean rdmaDeviceExpected() {
        if (Boolean.getBoolean(ProviderUnderTest.REQUIRED_PROPERTY)) {
            return true;
        }
        try {
            return Fabrics.byName("rdma").probe().available();
        } catch (FabricUnavailableException e) {
            return false;
        }
    }
}
