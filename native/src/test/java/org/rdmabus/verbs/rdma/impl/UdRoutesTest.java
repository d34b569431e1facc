package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.TargetAddress;

class UdRoutesTest {
    private final List<Long> destroyed = new ArrayList<>();
    private long nextHandle = 1000;
    private final UdRoutes.Handles handles = new UdRoutes.Handles() {
        @Override
        public long create(RdmaLocator peer) {
            return nextHandle++;
        }

        @Override
        public void destroy(long ah) {
            destroyed.add(ah);
        }
    };

    private static TargetAddress peer(int qpn, int mtu) {
        return new RdmaLocator(RdmaLocator.Kind.UD, mtu, 1, GidSelectorTest.IPV4, 0, 0, true).toAddress(qpn, 42);
    }

    @Test
    void aKnownPeerReusesItsHandleAndTheRouteCarriesQpnQkeyAndPathSize() {
        UdRoutes routes = new UdRoutes(4, 1024, handles);
        UdRoute first = routes.route(peer(7, 5), 0);
        assertSame(first, routes.route(TargetAddress.fromBytes(peer(7, 5).toBytes()), 0), "an equal address");
        assertEquals(1, routes.size());
        assertEquals(7, first.queuePairNumber());
        assertEquals(QueueKeys.of(42), first.qkey());
        assertEquals(1024, first.maxDatagramSize(), "the local MTU is smaller than the peer's 4096");
        assertEquals(512, routes.route(peer(8, 2), 0).maxDatagramSize(), "the peer's 512 is smaller");
    }

    @Test
    void theLeastRecentlyUsedHandleIsDestroyedBeyondTheBound() {
        UdRoutes routes = new UdRoutes(2, 4096, handles);
        UdRoute a = routes.route(peer(1, 5), 0);
        UdRoute b = routes.route(peer(2, 5), 0);
        routes.route(peer(1, 5), 0);
        routes.route(peer(3, 5), 0);
        assertEquals(List.of(b.ah()), destroyed, "peer 2 was least recently used");
        assertEquals(2, routes.size());
        assertSame(a, routes.route(peer(1, 5), 0));
        routes.close();
        assertEquals(3, destroyed.size());
        assertEquals(0, routes.size());
    }

    @Test
    void anEvictedHandleStillUsedBySendsWaitsUntilTheyComplete() {
        UdRoutes routes = new UdRoutes(1, 4096, handles);
        UdRoute busy = routes.route(peer(1, 5), 0);
        busy.usedBy(5);
        routes.route(peer(2, 5), 4).usedBy(6);
        assertEquals(List.of(), destroyed, "send 5 has not completed");
        assertEquals(1, routes.retired());
        routes.route(peer(3, 5), 6);
        assertEquals(2, destroyed.size(), "both waited-for handles go once send 6 completed");
        assertTrue(destroyed.contains(busy.ah()));
        assertEquals(0, routes.retired());
    }

    @Test
    void onlyRdmaDatagramAddressesAreRoutes() {
        UdRoutes routes = new UdRoutes(2, 4096, handles);
        TargetAddress rc = new RdmaLocator(RdmaLocator.Kind.RC, 5, 1, GidSelectorTest.IPV4, 9, 0, true)
            .toAddress(3, 1);
        assertThrows(IllegalArgumentException.class, () -> routes.route(rc, 0));
        assertThrows(IllegalArgumentException.class, () -> routes.route(new TargetAddress("soft", new byte[4], 1, 1), 0));
        assertEquals(0, routes.size());
        assertEquals(1000, nextHandle, "no handle was created");
    }

    @Test
    void qKeysAre31BitsAndDifferForNearbyKeys() {
        for (long key : new long[] {0, 1, -1, Long.MIN_VALUE, 0x5eedL}) {
            assertTrue(QueueKeys.of(key) >= 0, "bit 31 (a controlled Q_Key) stays clear for " + key);
        }
        assertNotEquals(QueueKeys.of(1), QueueKeys.of(2));
        assertNotEquals(QueueKeys.of(1L << 40), QueueKeys.of(1L << 41), "high key bits count too");
        assertEquals(QueueKeys.of(0x1234_5678_9abcL), QueueKeys.of(0x1234_5678_9abcL));
    }
}
