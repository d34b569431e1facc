package org.rdmabus.transport.impl.vertx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyRoutesTest {

    private final ReplyRoutes routes = new ReplyRoutes();

    @Test
    void aRouteIsFoundByIdentityOnce() {
        String reply = new String("reply");
        routes.put(reply, "node-a");
        assertNull(routes.take(new String("reply")), "an equal but different message has no route");
        assertEquals("node-a", routes.take(reply));
        assertNull(routes.take(reply));
    }

    @Test
    void theRouteOfADroppedReplyGoesWithIt() throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            routes.put(new Object(), "node-" + i);
        }
        Object kept = new Object();
        routes.put(kept, "kept");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (routes.size() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(1, routes.size(), "routes of collected replies are purged");
        assertEquals("kept", routes.take(kept));
    }
}
