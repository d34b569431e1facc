package org.rdmabus.transport.impl;

import org.junit.jupiter.api.Test;
import org.rdmabus.transport.RdmaEventBusOptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeChannelFactoriesTest {

    private static NodeChannelFactory factory(String name, int priority, String unavailable) {
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
                return unavailable;
            }

            @Override
            public NodeChannel create(RdmaEventBusOptions options) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void autoPicksTheUsableFactoryWithTheHighestPriority() {
        NodeChannelFactory soft = factory("soft", 10, null);
        NodeChannelFactory rdma = factory("rdma", 20, "no RDMA device");
        NodeChannelFactories.Choice choice = new NodeChannelFactories(List.of(soft, rdma)).choose("auto");
        assertSame(soft, choice.factory());
        assertNull(choice.reason());
    }

    @Test
    void eachRefusalSaysWhy() {
        NodeChannelFactories none = new NodeChannelFactories(List.of());
        assertTrue(none.choose("auto").reason().startsWith("no NodeChannelFactory found on the class path"));

        NodeChannelFactories unusable = new NodeChannelFactories(List.of(factory("rdma", 20, "no RDMA device")));
        assertEquals("no channel provider is usable here (rdma: no RDMA device)", unusable.choose("auto").reason());
        assertEquals("provider 'rdma' is not usable here: no RDMA device", unusable.choose("rdma").reason());
        assertEquals("provider 'soft' is not on the class path (found: rdma)", unusable.choose("soft").reason());
    }
}
