package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mapping Vert.x node ids to the 128 bits on the wire, and back. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeIdTest {

    @Test
    void aCanonicalUuidTravelsAsItsOwnBitsAndComesBackAsTheSameText() {
        UUID uuid = UUID.randomUUID();
        NodeId id = NodeId.of(uuid.toString());
        assertEquals(uuid.getMostSignificantBits(), id.mostSignificantBits());
        assertEquals(uuid.getLeastSignificantBits(), id.leastSignificantBits());
        assertFalse(id.isDerived());
        NodeId seen = NodeId.ofBits(id.mostSignificantBits(), id.leastSignificantBits());
        assertEquals(uuid.toString(), seen.text());
        assertEquals(id, seen);
        assertEquals(id.hashCode(), seen.hashCode());
    }

    @Test
    void anyOtherTextIsHashedIntoAVersion8Uuid() {
        NodeId named = NodeId.of("hazelcast-member-7");
        assertTrue(named.isDerived());
        assertEquals(8, new UUID(named.mostSignificantBits(), named.leastSignificantBits()).version());
        assertEquals(2, new UUID(named.mostSignificantBits(), named.leastSignificantBits()).variant());
        assertEquals(named, NodeId.of("hazelcast-member-7"), "the mapping is a pure function");
        assertNotEquals(named, NodeId.of("hazelcast-member-8"));
        assertEquals("hazelcast-member-7", named.text());
        NodeId seen = NodeId.ofBits(named.mostSignificantBits(), named.leastSignificantBits());
        assertNull(seen.text(), "a hashed id's text is only known from its HELLO");
        assertTrue(seen.toString().startsWith("derived:"));
    }

    @Test
    void nonCanonicalUuidSpellingsAreHashedSoTextAlwaysRoundTrips() {
        String lower = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
        assertFalse(NodeId.of(lower).isDerived());
        NodeId upper = NodeId.of(lower.toUpperCase());
        assertTrue(upper.isDerived());
        assertNotEquals(NodeId.of(lower), upper);
        assertTrue(NodeId.of("1-1-1-1-1").isDerived());
        // A real version-8 UUID cannot be taken verbatim, or it could collide with a hashed id.
        String version8 = "a1b2c3d4-e5f6-8a7b-8c9d-0e1f2a3b4c5d";
        NodeId v8 = NodeId.of(version8);
        assertTrue(v8.isDerived());
        assertNotEquals(UUID.fromString(version8).getLeastSignificantBits(), v8.leastSignificantBits());
    }

    @Test
    void refusesIdsThatCannotTravel() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(""));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("x".repeat(FrameLayout.MAX_NODE_ID_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("bad\uD800id"));
        assertEquals(FrameLayout.MAX_NODE_ID_LENGTH, NodeId.of("é".repeat(128)).text().getBytes(
            java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
