package org.rdmabus.transport.impl;

import org.junit.jupiter.api.Test;
import org.rdmabus.transport.RdmaEventBusOptions;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeChannelFactoriesTest {

    private final List<String> probed = new ArrayList<>();

    private NodeChannelFactory factory(String name, int priority, String unavailable) {
        return new NodeChannelFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String unavailableReason() {
                probed.add(name);
                return unavailable;
            }

            @Override
            public NodeChannel create(RdmaEventBusOptions options) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void autoOffersTheUsableFactoriesByPriorityAndSaysWhyBetterOnesWerePassedOver() {
        NodeChannelFactory loopback = factory("loopback", 0, null);
        NodeChannelFactory soft = factory("soft", 10, null);
        NodeChannelFactory rdma = factory("rdma", 20, "no RDMA device");
        NodeChannelFactories.Choice choice = new NodeChannelFactories(List.of(loopback, soft, rdma)).choose("auto");
        assertNull(choice.reason());
        ProviderCandidates candidates = choice.candidates();
        assertSame(soft, candidates.next());
        assertEquals("; not 'rdma': no RDMA device", candidates.passedOver());

        candidates.reject(soft, "its channel could not start: boom");
        assertSame(loopback, candidates.next());
        assertEquals("; not 'rdma': no RDMA device; not 'soft': its channel could not start: boom", candidates.passedOver());
        candidates.reject(loopback, "its channel could not be created: bang");
        assertNull(candidates.next());
        assertEquals("no channel provider is usable here (rdma: no RDMA device; soft: its channel could not start: boom; "
            + "loopback: its channel could not be created: bang)", candidates.noneUsable());
    }

    @Test
    void aWorseFactoryIsProbedOnlyOnceTheBetterOnesArePassedOver() {
        NodeChannelFactory soft = factory("soft", 10, null);
        NodeChannelFactory rdma = factory("rdma", 20, null);
        ProviderCandidates candidates = new NodeChannelFactories(List.of(soft, rdma)).choose("auto").candidates();
        assertSame(rdma, candidates.next());
        assertEquals(List.of("rdma"), probed);
        assertEquals("", candidates.passedOver());

        candidates.reject(rdma, "its channel could not start: boom");
        assertSame(soft, candidates.next());
        assertEquals(List.of("rdma", "soft"), probed);
    }

    @Test
    void anExplicitProviderOffersThatOneAlone() {
        NodeChannelFactory soft = factory("soft", 10, null);
        NodeChannelFactory rdma = factory("rdma", 20, null);
        ProviderCandidates candidates = new NodeChannelFactories(List.of(soft, rdma)).choose("soft").candidates();
        assertSame(soft, candidates.next());
        candidates.reject(soft, "its channel could not start: boom");
        assertNull(candidates.next());
        assertEquals("provider 'soft' is not usable here: its channel could not start: boom", candidates.noneUsable());
        assertEquals(List.of("soft"), probed);
    }

    @Test
    void aFactoryNotOfferedToAutoIsUsedOnlyWhereNamed() {
        NodeChannelFactory loopback = new org.rdmabus.transport.impl.loopback.LoopbackNodeChannelFactory();
        NodeChannelFactory soft = factory("soft", 10, "no shared memory");
        NodeChannelFactories factories = new NodeChannelFactories(List.of(loopback, soft));
        assertEquals("no channel provider is usable here (soft: no shared memory)", factories.choose("auto").reason());
        assertSame(loopback, factories.choose("loopback").candidates().next());
    }

    @Test
    void eachRefusalSaysWhy() {
        NodeChannelFactories none = new NodeChannelFactories(List.of());
        assertTrue(none.choose("auto").reason().startsWith("no NodeChannelFactory found on the class path"));

        NodeChannelFactories unusable = new NodeChannelFactories(List.of(factory("rdma", 20, "no RDMA device")));
        assertEquals("no channel provider is usable here (rdma: no RDMA device)", unusable.choose("auto").reason());
        assertNull(unusable.choose("auto").candidates());
        assertEquals("provider 'rdma' is not usable here: no RDMA device", unusable.choose("rdma").reason());
        assertEquals("provider 'soft' is not on the class path (found: rdma)", unusable.choose("soft").reason());
    }
}
