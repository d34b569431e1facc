package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.CompletionStatus;

/** The cluster access key: a node without it is refused and counted; keys and rkeys never surface. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityTest {

    @Test
    void aNodeWithTheWrongKeyIsRefusedAndCounted() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool b = cluster.start("node-b");
            QpPool good = cluster.start("node-good");
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            QpPool intruder = cluster.start("node-intruder", o -> o.accessKey(PoolCluster.KEY + 1));

            assertEquals(0, b.advertisedAddress().accessKey(), "advertised addresses carry no key");
            Connection denied = intruder.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            PoolException failure = Outcome.send(denied, new byte[] {1, 2, 3}).await();
            assertInstanceOf(AccessDeniedException.class, failure);
            assertEquals(CompletionStatus.REMOTE_ACCESS, failure.status());
            assertFalse(failure.getMessage().contains(Long.toString(PoolCluster.KEY)));
            assertEquals(1, intruder.stats().accessRefusals());
            assertTrue(intruder.stats().errors(CompletionStatus.REMOTE_ACCESS) >= 1);
            assertInstanceOf(AccessDeniedException.class, Outcome.send(denied, new byte[] {4}).await(),
                "later sends fail fast while the refusal stands");

            Connection allowed = good.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertNull(Outcome.send(allowed, new byte[] {9}).await());
            assertTrue(Inbox.await(() -> inbox.size() == 1, 5, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertEquals(1, inbox.size(), "nothing from the intruder arrived");
            assertEquals("node-good", inbox.all().get(0).source());
        }
    }

    @Test
    void thePublicApiHasNoRemoteKeys() {
        for (Class<?> type : new Class<?>[] {QpPool.class, Connection.class, ReceivedMessage.class, MessageSink.class,
            PoolStats.class, PeerStats.class, TargetDirectory.class, PoolOptions.class}) {
            for (Method method : type.getMethods()) {
                if (Modifier.isPublic(method.getModifiers())) {
                    assertFalse(method.getName().toLowerCase().contains("rkey"), type.getSimpleName() + "."
                        + method.getName());
                    assertFalse(method.getReturnType().getName().contains("MemoryRegion"), type.getSimpleName()
                        + "." + method.getName());
                }
            }
        }
    }
}
