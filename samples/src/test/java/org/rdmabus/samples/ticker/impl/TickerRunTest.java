package org.rdmabus.samples.ticker.impl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * Runs the ticker for real, briefly: a publisher and three subscriber JVMs on loopback, the last one slow. Checks that
 * every fast subscriber took every tick in order, that the slow one took its ticks in order, held no more than its
 * consumer's buffer and its prefetch, dropped the rest (and counted them right), and that its heap stayed under a
 * ceiling that holding every tick it fell behind on would have broken; and that nothing the run started remains.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TickerRunTest {

    private static final int SUBSCRIBERS = 3;
    private static final int RATE = 3_000;
    private static final int SECONDS = 4;
    private static final int BUFFER = 100;
    /** How much the slow subscriber's heap after GC may grow over the run. */
    private static final long CEILING_BYTES = 2L * 1024 * 1024;
    /**
     * Less than a held tick costs: a clustered message with its headers, address and 24-byte body. A run with an
     * effectively unbounded buffer measured about 400 bytes per held tick.
     */
    private static final long MIN_BYTES_PER_HELD_TICK = 200;

    @AfterEach
    void noNodeSurvives() {
        for (ProcessHandle stray : ProcessHandle.current().descendants().toList()) {
            stray.destroyForcibly();
            stray.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(failure -> stray).join();
        }
    }

    @Test
    void fastSubscribersGetEveryTickAndTheSlowOneStaysFlat() throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, UTF_8);
        TickerSettings settings = new TickerSettings(SUBSCRIBERS, RATE, Duration.ofSeconds(SECONDS),
            Duration.ofMillis(10), BUFFER);

        TickerOutcome outcome = new Ticker(settings, out, System.err, new ShmJanitor(ShmJanitor.defaultDirectory()))
            .run();
        String text = captured.toString(UTF_8);
        System.out.print(text);

        assertEquals(0, outcome.exitCode(), "the run completed and delivered: " + outcome.failure() + "\n" + text);
        long published = settings.ticks();
        assertEquals(published, outcome.published());
        assertEquals(List.of("fast-1", "fast-2", "slow"),
            outcome.subscribers().stream().map(SubscriberResult::name).toList());
        for (SubscriberResult fast : outcome.subscribers().subList(0, SUBSCRIBERS - 1)) {
            assertTrue(fast.tookEvery(published), fast + " took every tick, once, in order");
            assertEquals(0, fast.heldAtEnd(), fast.name() + " had every tick when the stream ended");
        }

        SubscriberResult slow = outcome.subscribers().get(SUBSCRIBERS - 1);
        assertEquals(0, slow.backwards(), "the slow subscriber took its ticks in order");
        assertTrue(slow.received() > 0 && slow.received() < published, "it took some, not all: " + slow);
        long dropped = slow.dropped(published);
        assertEquals(dropped, slow.skipped() + (published - 1 - slow.last()),
            "every tick it did not take is a gap before its last one or after it");
        assertTrue(slow.heldAtEnd() <= BUFFER + TickerNode.SLOW_PREFETCH,
            "it held no more than its consumer's buffer and its prefetch: " + slow.heldAtEnd());

        List<Long> heap = slow.heapAfterGc();
        assertTrue(heap.size() >= SECONDS - 1, "its heap was sampled every second: " + heap);
        long growth = Collections.max(heap) - heap.get(0);
        assertTrue(growth < CEILING_BYTES, "its heap after GC stayed flat: grew " + growth + " bytes, " + heap);
        assertTrue(dropped * MIN_BYTES_PER_HELD_TICK > CEILING_BYTES,
            "holding the " + dropped + " ticks it dropped would have broken the ceiling: the check can fail");

        assertEquals(List.of("fast-1", "fast-2"), outcome.throughput().stream().map(TickerOutcome.Throughput::name)
            .toList());
        for (TickerOutcome.Throughput fast : outcome.throughput()) {
            assertTrue(fast.perSecond().stream().mapToLong(Long::longValue).sum() > 0, fast.toString());
        }
        assertTrue(text.contains("setMaxBufferedMessages") && text.contains("RdmaChannel"),
            "the output says where back-pressure stops over the event bus:\n" + text);
        assertTrue(text.contains(TickerReport.HEAP), text);

        for (long pid : outcome.nodePids()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " is gone");
        }
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList(),
            "no child process of the launcher remains");
        for (Path file : outcome.sharedMemoryFiles()) {
            assertFalse(Files.exists(file), file + " was removed");
        }
        Path directory = ShmJanitor.defaultDirectory();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                assertEquals(List.of(), files.filter(file -> outcome.nodePids().stream()
                    .anyMatch(pid -> file.getFileName().toString().startsWith(pid + "_"))).toList(),
                    "no node left a file behind");
            }
        }
    }
}
