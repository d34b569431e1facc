package org.rdmabus.transport.reliability;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrong keys, on the soft fabric, with every log line of the JVM captured (rdmabus at every level):
 * <ul>
 *   <li>a node started with another cluster access key is refused by its peers' NICs: nothing it sends over the
 *       channel is delivered or written, its pool counts the refusals, it logs why, and its traffic goes on over
 *       TCP as designed;</li>
 *   <li>a process that holds the fabric's files (same user) and the key posts one-sided operations at a running
 *       node: forged rkeys and out-of-bounds addresses, WRITE and READ, and SENDs with a wrong or missing key. Each
 *       is refused ({@code REMOTE_ACCESS}), the node's registered memory is byte for byte unchanged, and the node
 *       keeps serving;</li>
 *   <li>no log line, and no exception message or stack trace attached to one, contains either secret, as text or
 *       as the 64-bit key derived from it.</li>
 * </ul>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccessRefusalTest {

    private final String clusterSecret = "cluster-secret-" + UUID.randomUUID();
    private final String wrongSecret = "wrong-secret-" + UUID.randomUUID();

    @Test
    void wrongKeysForgedRkeysAndOutOfBoundsOperationsAreRefusedWriteNothingAndNeverLogASecret() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Logger rdmabus = Logger.getLogger("org.rdmabus");
        Level rdmabusLevel = rdmabus.getLevel();
        rdmabus.setLevel(Level.ALL);
        root.addHandler(capture);
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("keys");
                 TestCluster cluster = TestCluster.empty("keys")) {
            Vertx a = cluster.addNode(new RdmaEventBusOptions().setProvider("soft").setAccessKey(clusterSecret), bus -> { });
            Vertx b = cluster.addNode(new RdmaEventBusOptions().setProvider("soft").setAccessKey(clusterSecret), bus -> { });
            Vertx intruder = cluster.addNode(new RdmaEventBusOptions().setProvider("soft").setAccessKey(wrongSecret), bus -> { });
            String address = "keys-" + UUID.randomUUID();
            Await.result(a.eventBus().consumer(address, message -> message.reply("a:" + message.body())).completion());
            awaitServed(b, address);
            awaitServed(intruder, address);

            // 1. A node with the wrong cluster key.
            String intruderId = cluster.nodeId(2);
            QpPool poolA = PoolChannelAccess.poolOf(channel(a));
            QpPool intruderPool = PoolChannelAccess.poolOf(channel(intruder));
            for (int i = 0; i < 50; i++) {
                assertEquals("a:" + i, Await.result(request(intruder, address, Integer.toString(i))));
            }
            HookCounters intruderCounters = cluster.counters(2);
            assertTrue(intruderPool.stats().accessRefusals() >= 1, "the intruder's pool counts the refusal");
            assertTrue(intruderPool.stats().errors(CompletionStatus.REMOTE_ACCESS) >= 1);
            assertEquals(1, intruderCounters.switchesToTcp(), "the intruder's traffic to A went to TCP: " + intruderCounters);
            PeerStats fromIntruder = poolA.peerStats(intruderId);
            assertTrue(fromIntruder == null || fromIntruder.framesReceived() == 0, "A received nothing from the intruder over the channel");
            assertTrue(cluster.tcpConnectionTargets(2).contains(cluster.nodeId(0)));
            assertTrue(formatted(records).stream().anyMatch(line -> line.contains("refused access") && line.contains(cluster.nodeId(0))),
                "the intruder logs the refusal");

            // 2. One-sided operations at A from a process that has the files and the key.
            TargetAddress advertised = TargetAddress.fromExternalForm(channel(a).localAdvertisement());
            assertEquals(0, advertised.accessKey(), "the advertisement carries no key");
            Map<Path, byte[]> memoryBefore = registeredMemory(advertised);
            assertFalse(memoryBefore.isEmpty(), "A has registered memory in " + directory.path());
            long framesBefore = poolA.stats().framesReceived();
            long key = new PoolOptions().accessKey(clusterSecret).resolveAccessKey();
            int refused = attack(advertised, key, memoryBefore);
            System.out.printf("FIGURES keys: intruder refusals=%d, one-sided and wrong-key operations refused=%d, A's memory files unchanged=%d%n",
                intruderPool.stats().accessRefusals(), refused, memoryBefore.size());
            Map<Path, byte[]> memoryAfter = registeredMemory(advertised);
            assertEquals(memoryBefore.keySet(), memoryAfter.keySet());
            for (Path file : memoryBefore.keySet()) {
                assertArrayEquals(memoryBefore.get(file), memoryAfter.get(file), file + " changed");
            }
            assertEquals(framesBefore, poolA.stats().framesReceived(), "no refused SEND reached A's receive queue");
            long channelBefore = cluster.counters(1).channelSends();
            assertEquals("a:after", Await.result(request(b, address, "after")), "A still serves");
            assertTrue(cluster.counters(1).channelSends() > channelBefore, "over the channel");

            // 3. No secret in any log line.
            List<String> lines = formatted(records);
            assertTrue(lines.size() > 5, "logs were captured: " + lines.size());
            for (String secret : secretForms()) {
                for (String line : lines) {
                    assertFalse(line.contains(secret), "a log line shows a secret: " + line);
                }
            }
            RdmaEventBusOptions withSecret = new RdmaEventBusOptions().setAccessKey(clusterSecret);
            assertFalse(withSecret.toString().contains(clusterSecret));
            assertFalse(withSecret.toJson().encode().contains(clusterSecret));
            assertFalse(RdmaEventBus.status(a).getDescription().contains(clusterSecret));
        } finally {
            root.removeHandler(capture);
            rdmabus.setLevel(rdmabusLevel);
        }
    }

    /** Every refusal counts once; returns how many operations were refused. */
    private int attack(TargetAddress advertised, long key, Map<Path, byte[]> memory) {
        List<Integer> realRkeys = memory.keySet().stream().map(file -> {
            String name = file.getFileName().toString();
            return Integer.parseUnsignedInt(name.substring(name.lastIndexOf('.') + 1), 16);
        }).collect(Collectors.toList());
        SplittableRandom random = new SplittableRandom(11);
        try (Nic attacker = Fabrics.open(new NicOptions().provider("soft"))) {
            CompletionQueue completions = attacker.createCompletionQueue(64);
            DcInitiator initiator = attacker.createInitiator(completions, 16);
            MemoryRegion local = attacker.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            TargetAddress withKey = advertised.withAccessKey(key);
            List<Attempt> attempts = new ArrayList<>();
            attempts.add(new Attempt("SEND without a key", advertised, new WorkRequest().sendInline(new VarHandleBuffer(new byte[16]), 0, 16)));
            attempts.add(new Attempt("SEND with a wrong key", advertised.withAccessKey(key + 1), new WorkRequest().send(local, 0, 64)));
            for (int i = 0; i < 200; i++) {
                int forged = i < 100 ? i + 1 : random.nextInt();
                long remote = random.nextLong();
                attempts.add(new Attempt("WRITE with forged rkey " + forged, withKey, new WorkRequest().write(local, 0, 64, remote, forged)));
                attempts.add(new Attempt("READ with forged rkey " + forged, withKey, new WorkRequest().read(local, 0, 64, remote, forged)));
            }
            long[] addresses = {0, 1, 4096, 1L << 32, 1L << 40, Long.MAX_VALUE - 64, -64, random.nextLong()};
            for (int rkey : realRkeys) {
                for (long remote : addresses) {
                    attempts.add(new Attempt("WRITE to real rkey " + rkey + " at " + remote, withKey, new WorkRequest().write(local, 0, 4096, remote, rkey)));
                    attempts.add(new Attempt("READ of real rkey " + rkey + " at " + remote, withKey, new WorkRequest().read(local, 0, 4096, remote, rkey)));
                }
            }
            Completion[] polled = Completion.array(1);
            for (Attempt attempt : attempts) {
                assertTrue(initiator.post(attempt.to, attempt.request.wrId(7)), attempt.name);
                Await.until(attempt.name + " completes", Duration.ofSeconds(10), () -> completions.poll(polled) == 1);
                assertEquals(CompletionStatus.REMOTE_ACCESS, polled[0].status(), attempt.name);
                initiator.reset();
            }
            return attempts.size();
        }
    }

    /** One operation of the attack. */
    private record Attempt(String name, TargetAddress to, WorkRequest request) {
    }

    /** A's registered memory regions, read from their shared-memory files (the locator is the files' prefix). */
    private static Map<Path, byte[]> registeredMemory(TargetAddress address) {
        Path prefix = Path.of(new String(address.locator(), StandardCharsets.UTF_8));
        String regionPrefix = prefix.getFileName() + ".mr.";
        Map<Path, byte[]> memory = new HashMap<>();
        try (Stream<Path> files = Files.list(prefix.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(regionPrefix)).collect(Collectors.toList())) {
                memory.put(file, Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return memory;
    }

    private List<String> secretForms() {
        List<String> forms = new ArrayList<>(List.of(clusterSecret, wrongSecret));
        for (String secret : List.of(clusterSecret, wrongSecret)) {
            long key = new PoolOptions().accessKey(secret).resolveAccessKey();
            forms.addAll(List.of(Long.toString(key), Long.toUnsignedString(key), Long.toHexString(key), Long.toHexString(key).toUpperCase()));
        }
        return forms;
    }

    private static List<String> formatted(List<LogRecord> records) {
        SimpleFormatter formatter = new SimpleFormatter();
        List<String> lines = new ArrayList<>();
        for (LogRecord record : records) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + formatter.formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static NodeChannel channel(Vertx vertx) {
        return HookRegistry.hookOf(vertx).channel();
    }

    /** Registrations reach the other nodes asynchronously: asks until the consumer answers. */
    private static void awaitServed(Vertx from, String address) {
        Await.until("the consumer of " + address + " answers", Duration.ofSeconds(30), () -> {
            try {
                Await.result(request(from, address, "warm"), Duration.ofSeconds(10));
                return true;
            } catch (AssertionError notYet) {
                return false;
            }
        });
    }

    private static io.vertx.core.Future<String> request(Vertx from, String address, String body) {
        return from.eventBus().<String>request(address, body, new DeliveryOptions().setSendTimeout(20_000)).map(message -> message.body());
    }
}
