package org.rdmabus.transport.channel;

import io.reactivex.rxjava3.disposables.Disposable;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaPeerUnreachableException;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.TestCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A peer whose fabric side died while it is still a cluster member: requests to it fail with a typed error instead
 * of hanging, and the requester's channel keeps working.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RdmaChannelPeerFailureTest {

    @Test
    void aPeerWhosePoolIsGoneIsReportedUnreachable() {
        try (TestCluster cluster = TestCluster.start(getClass().getSimpleName(), 2,
            TestCluster.rdmabusOn().setProvider("soft"))) {
            Vertx a = cluster.node(0);
            Vertx b = cluster.node(1);
            String bId = cluster.nodeId(1);
            try (RdmaChannel channelA = RdmaChannel.create(a); RdmaChannel channelB = RdmaChannel.create(b)) {
                Disposable echo = channelB.messages().subscribe(m -> m.reply(m.buffer()).subscribe());
                RdmaConnection toB = channelA.connect(bId).timeout(30, TimeUnit.SECONDS).blockingGet();
                assertEquals("alive", toB.request(Buffer.buffer("alive")).map(r -> r.buffer().toString())
                    .timeout(30, TimeUnit.SECONDS).blockingGet());

                // B's process stays in the cluster, but its queue pairs and receive buffers are gone, as after a crash.
                ((PoolNodeChannel) HookRegistry.hookOf(b).channel()).close();
                echo.dispose();

                Throwable failure = failureOf(toB, Duration.ofSeconds(20));
                RdmaPeerUnreachableException unreachable = assertInstanceOf(RdmaPeerUnreachableException.class, failure);
                assertEquals(bId, unreachable.nodeId());
                Throwable again = failureOf(toB, Duration.ofSeconds(20));
                assertInstanceOf(RdmaPeerUnreachableException.class, again, "later requests fail fast, typed");
            }
        }
    }

    private static Throwable failureOf(RdmaConnection connection, Duration timeout) {
        try {
            connection.request(Buffer.buffer("anyone?"), timeout).timeout(60, TimeUnit.SECONDS).blockingGet();
            throw new AssertionError("the request to a dead peer succeeded");
        } catch (RuntimeException e) {
            return e;
        }
    }
}
