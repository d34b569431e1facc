package org.rdmabus.transport.semantics;

import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(120)
class SmokeTest {
  @Test
  void requestReply() {
    long t0 = System.nanoTime();
    try (TestCluster cluster = TestCluster.start("smoke", 2, TestCluster.rdmabusOn())) {
      System.out.println("started in " + (System.nanoTime() - t0) / 1_000_000 + " ms; " + RdmaEventBus.status(cluster.node(0)));
      Await.result(cluster.node(1).eventBus().consumer("echo", m -> m.reply("echo:" + m.body())).completion());
      Message<Object> reply = Await.result(cluster.node(0).eventBus().request("echo", "hi"));
      assertEquals("echo:hi", reply.body());
      System.out.println(cluster.counters(0) + "\n" + cluster.counters(1) + "\ntcp=" + cluster.tcpConnections());
      long t1 = System.nanoTime();
      cluster.close();
      System.out.println("closed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
    }
  }
}
