package org.rdmabus.transport;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdmaEventBusOptionsTest {

    private static RdmaEventBusOptions everythingChanged() {
        return new RdmaEventBusOptions()
            .setEnabled(false)
            .setProvider("soft")
            .setAllowWithTls(true)
            .setPollerThreads(3)
            .setIdleStrategy(PollerIdleStrategy.PARK)
            .setInitiatorsPerPoller(8)
            .setPromotionThreshold(0)
            .setMaxMessageSize(4096)
            .setAccessKey("s3cret")
            .setInlineThreshold(64)
            .setMetricsEnabled(false);
    }

    @Test
    void defaultsAreSafeForASmallMachine() {
        RdmaEventBusOptions options = new RdmaEventBusOptions();
        assertTrue(options.isEnabled());
        assertEquals("auto", options.getProvider());
        assertFalse(options.isAllowWithTls());
        assertEquals(1, options.getPollerThreads());
        assertEquals(PollerIdleStrategy.ADAPTIVE, options.getIdleStrategy());
        assertNull(options.getAccessKey());
        assertTrue(options.isMetricsEnabled());
        assertEquals(20_000, options.getPromotionThreshold());
    }

    @Test
    void jsonRoundTripKeepsEveryOptionWhenSecretsAreAskedFor() {
        RdmaEventBusOptions original = everythingChanged();
        JsonObject json = original.toJson(true);
        assertEquals(json, new RdmaEventBusOptions(json).toJson(true));
        assertEquals("s3cret", new RdmaEventBusOptions(json).getAccessKey());
        assertFalse(new RdmaEventBusOptions(json).isMetricsEnabled());
        assertEquals(0, new RdmaEventBusOptions(json).getPromotionThreshold());
        assertEquals(json, new RdmaEventBusOptions(original).toJson(true));
    }

    @Test
    void theAccessKeyNeverShowsUnlessAskedFor() {
        RdmaEventBusOptions options = everythingChanged();
        assertFalse(options.toJson().containsKey("accessKey"));
        assertFalse(options.toJson().encode().contains("s3cret"));
        assertFalse(options.toString().contains("s3cret"));
        assertTrue(options.toString().contains("<hidden>"));
        assertTrue(new RdmaEventBusOptions().toString().contains("<none>"));
    }

    @Test
    void environmentOverridesCodeAndSystemPropertiesOverrideTheEnvironment() {
        RdmaEventBusOptions inCode = new RdmaEventBusOptions().setPollerThreads(2).setProvider("soft");
        Map<String, String> environment = Map.of(
            "RDMABUS_POLLER_THREADS", "4",
            "RDMABUS_IDLE_STRATEGY", "spin",
            "RDMABUS_ALLOW_WITH_TLS", "true",
            "RDMABUS_ACCESS_KEY", "from-env");
        Map<String, String> properties = Map.of(
            "rdmabus.pollerThreads", "6",
            "rdmabus.maxMessageSize", "65536",
            "unrelated.property", "x");
        RdmaEventBusOptions effective = inCode.withOverrides(properties, environment);
        assertEquals(6, effective.getPollerThreads());
        assertEquals(PollerIdleStrategy.SPIN, effective.getIdleStrategy());
        assertTrue(effective.isAllowWithTls());
        assertEquals("from-env", effective.getAccessKey());
        assertEquals(65536, effective.getMaxMessageSize());
        assertEquals("soft", effective.getProvider());
        assertEquals(2, inCode.getPollerThreads(), "the overridden options are a copy");
    }

    @Test
    void invalidValuesAreRejectedNamingWhereTheyCameFrom() {
        IllegalArgumentException fromProperty = assertThrows(IllegalArgumentException.class,
            () -> new RdmaEventBusOptions().withOverrides(Map.of("rdmabus.pollerThreads", "many"), Map.of()));
        assertTrue(fromProperty.getMessage().contains("system property rdmabus.pollerThreads"), fromProperty.getMessage());

        IllegalArgumentException fromEnvironment = assertThrows(IllegalArgumentException.class,
            () -> new RdmaEventBusOptions().withOverrides(Map.of(), Map.of("RDMABUS_ENABLED", "yes")));
        assertTrue(fromEnvironment.getMessage().contains("environment variable RDMABUS_ENABLED"), fromEnvironment.getMessage());

        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
            () -> new RdmaEventBusOptions(new JsonObject().put("maxMessageSize", 10)));
        assertTrue(tooSmall.getMessage().contains("JSON key 'maxMessageSize'"), tooSmall.getMessage());
        assertTrue(tooSmall.getMessage().contains("maxMessageSize must be at least 1024"), tooSmall.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new RdmaEventBusOptions(new JsonObject().put("idleStrategy", "sleepy")));
        assertThrows(IllegalArgumentException.class, () -> new RdmaEventBusOptions().setProvider(" "));
        assertThrows(IllegalArgumentException.class, () -> new RdmaEventBusOptions().setInlineThreshold(-1));
    }

    @Test
    void configuredOptionsReachTheNextInstanceWithOverrides() {
        try {
            RdmaEventBus.configure(new RdmaEventBusOptions().setInitiatorsPerPoller(16));
            assertEquals(16, RdmaEventBus.effectiveOptions().getInitiatorsPerPoller());
        } finally {
            RdmaEventBus.configure(null);
        }
        assertEquals(RdmaEventBusOptions.DEFAULT_INITIATORS_PER_POLLER, RdmaEventBus.effectiveOptions().getInitiatorsPerPoller());
    }
}
