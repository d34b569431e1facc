package org.rdmabus.samples.ticker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ticker's bookkeeping: sequence checks, node arguments, settings, and what counts as delivered. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TickerInternalsTest {

    @Test
    void theSequenceCheckCountsSkipsAndReorders() {
        SequenceCheck check = new SequenceCheck();
        assertEquals(-1, check.last());
        for (long sequence : new long[] {0, 1, 2, 5, 6, 4, 9}) {
            check.accept(sequence);
        }
        assertEquals(7, check.received());
        assertEquals(9, check.last());
        assertEquals(4, check.skipped(), "3 and 4 after 2, then 7 and 8 after 6");
        assertEquals(1, check.backwards(), "4 came after 6");
    }

    @Test
    void nodeArgumentsRoundTripAndMustFitTheRole() {
        TickerNodeSpec slow = new TickerNodeSpec(TickerRole.SLOW, "slow", "run-1", 5703, List.of(5701, 5702, 5703),
            100, 10_000, 60);
        assertEquals(slow, TickerNodeSpec.fromArgs(slow.toArgs().toArray(String[]::new)));
        assertThrows(IllegalArgumentException.class, () -> new TickerNodeSpec(TickerRole.FAST, "fast-1", "run-1",
            5702, List.of(5701, 5702), 100, 10_000, 60), "only the slow one works");
        assertThrows(IllegalArgumentException.class, () -> new TickerNodeSpec(TickerRole.PUBLISHER, "publisher",
            "run-1", 5701, List.of(5701, 5702), 100, 0, 60), "the publisher has no buffer");
        assertThrows(IllegalArgumentException.class, () -> new TickerNodeSpec(TickerRole.FAST, "fast-1", "run-1",
            5709, List.of(5701, 5702), 100, 0, 60), "its own port is a member");
        assertThrows(IllegalArgumentException.class, () -> TickerRole.fromArgument("medium"));
    }

    @Test
    void settingsAreCheckedAndGiveTheTickCount() {
        TickerSettings settings = new TickerSettings(3, 2_000, Duration.ofSeconds(10), Duration.ofMillis(10), 1_000);
        assertEquals(20_000, settings.ticks());
        assertThrows(IllegalArgumentException.class,
            () -> new TickerSettings(1, 2_000, Duration.ofSeconds(10), Duration.ofMillis(10), 1_000));
        assertThrows(IllegalArgumentException.class,
            () -> new TickerSettings(3, 0, Duration.ofSeconds(10), Duration.ofMillis(10), 1_000));
        assertThrows(IllegalArgumentException.class,
            () -> new TickerSettings(3, 2_000, Duration.ofMillis(500), Duration.ofMillis(10), 1_000));
        assertThrows(IllegalArgumentException.class,
            () -> new TickerSettings(3, 2_000, Duration.ofSeconds(10), Duration.ZERO, 1_000));
        assertThrows(IllegalArgumentException.class,
            () -> new TickerSettings(3, 2_000, Duration.ofSeconds(10), Duration.ofMillis(10), 0));
    }

    @Test
    void deliveredMeansEveryFastSubscriberTookEveryTickInOrder() {
        SubscriberResult fast = result("fast-1", TickerRole.FAST, 100, 0, 0, 99, 0);
        SubscriberResult slow = result("slow", TickerRole.SLOW, 40, 50, 0, 89, 10);
        assertTrue(outcome(fast, slow).delivered());
        assertEquals(0, outcome(fast, slow).exitCode());
        assertEquals(60, slow.dropped(100));
        assertFalse(outcome(result("fast-1", TickerRole.FAST, 99, 1, 0, 99, 0), slow).delivered(), "one missing");
        assertFalse(outcome(result("fast-1", TickerRole.FAST, 100, 1, 1, 99, 0), slow).delivered(), "reordered");
        assertFalse(outcome(fast, result("slow", TickerRole.SLOW, 40, 50, 1, 89, 10)).delivered(),
            "the slow one out of order");
        assertEquals(1, new TickerOutcome(100, 1, List.of(fast, slow), List.of(), List.of(), Set.of(),
            Optional.of("boom")).exitCode());
    }

    @Test
    void aReportWithoutAFieldIsRefused() {
        JsonObject report = new JsonObject().put("received", 1L).put("skipped", 0L).put("backwards", 0L)
            .put("last", 0L).put("heldAtEnd", 0L).put("heapAfterGc", new JsonArray().add(1L).add(2L));
        assertEquals(List.of(1L, 2L), SubscriberResult.fromJson("slow", TickerRole.SLOW, report).heapAfterGc());
        report.remove("skipped");
        assertThrows(IllegalArgumentException.class, () -> SubscriberResult.fromJson("slow", TickerRole.SLOW, report));
    }

    private static SubscriberResult result(String name, TickerRole role, long received, long skipped, long backwards,
                                           long last, long held) {
        return new SubscriberResult(name, role, received, skipped, backwards, last, held, List.of());
    }

    private static TickerOutcome outcome(SubscriberResult... subscribers) {
        return new TickerOutcome(100, 1, List.of(subscribers), List.of(), List.of(), Set.of(), Optional.empty());
    }
}
