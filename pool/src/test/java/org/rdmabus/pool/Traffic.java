package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;

/**
 * Numbered traffic from several sender threads over one connection, and the check that a receiver got every
 * delivered message exactly once, intact, and in each sender's order.
 * <p>
 * Payload: sender id (int), counter (int), then bytes derived from both, so corruption shows.
 */
final class Traffic {
    private final Connection connection;
    private final int senders;
    private final int perSender;
    private final int[] sizes;
    private final Outcome[][] outcomes;
    private final long[][] offeredAt;
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final int pauseEvery;

    /**
     * @param pauseEvery each sender sleeps a millisecond after this many messages (0: never), so traffic spans time.
     */
    Traffic(Connection connection, int senders, int perSender, int pauseEvery, int... sizes) {
        this.connection = connection;
        this.senders = senders;
        this.perSender = perSender;
        this.sizes = sizes;
        this.pauseEvery = pauseEvery;
        this.outcomes = new Outcome[senders][perSender];
        this.offeredAt = new long[senders][perSender];
    }

    Traffic start() {
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread thread = new Thread(() -> send(sender), "sender-" + connection.nodeId() + "-" + s);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void send(int sender) {
        for (int i = 0; i < perSender; i++) {
            byte[] payload = payload(sender, i, sizes[(sender + i) % sizes.length]);
            Outcome outcome = new Outcome();
            long offered = System.nanoTime();
            offeredAt[sender][i] = offered;
            outcome.done.thenRun(() -> maxLatencyNanos.accumulateAndGet(System.nanoTime() - offered, Math::max));
            outcomes[sender][i] = outcome;
            VarHandleBuffer buffer = new VarHandleBuffer(payload);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (connection.offer(FrameType.MESSAGE, 0, buffer, 0, payload.length, outcome)
                == SendStatus.BACK_PRESSURED) {
                if (System.nanoTime() - deadline > 0) {
                    outcome.done.completeExceptionally(new AssertionError("back-pressured for 20 s"));
                    return;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            if (pauseEvery > 0 && i % pauseEvery == pauseEvery - 1) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Waits for the senders and every outcome. */
    Traffic await() throws Exception {
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                fail(thread.getName() + " still sending after 60 s");
            }
        }
        for (Outcome[] row : outcomes) {
            for (Outcome outcome : row) {
                outcome.await();
            }
        }
        return this;
    }

    /** @return the longest time from offer to outcome of any message, in nanoseconds. */
    long maxLatencyNanos() {
        return maxLatencyNanos.get();
    }

    /** @return each failed message's failure, by "sender:counter". */
    Map<String, PoolException> failures() throws Exception {
        Map<String, PoolException> failed = new HashMap<>();
        for (int s = 0; s < senders; s++) {
            for (int i = 0; i < perSender; i++) {
                PoolException failure = outcomes[s][i].await();
                if (failure != null) {
                    failed.put(s + ":" + i, failure);
                }
            }
        }
        return failed;
    }

    /**
     * Checks the receiver got exactly the delivered messages from {@code source}, intact, in each sender's order.
     */
    void verify(Inbox inbox, String source) throws Exception {
        Map<String, PoolException> failed = failures();
        int expected = senders * perSender - failed.size();
        assertTrue(Inbox.await(() -> inbox.from(source).size() >= expected, 20, TimeUnit.SECONDS),
            () -> "received " + inbox.from(source).size() + " of " + expected + " from " + source);
        int[] last = new int[senders];
        java.util.Arrays.fill(last, -1);
        Set<String> seen = new HashSet<>();
        for (Inbox.Received received : inbox.from(source)) {
            ByteBuffer in = ByteBuffer.wrap(received.payload()).order(ByteOrder.LITTLE_ENDIAN);
            int sender = in.getInt(0);
            int counter = in.getInt(4);
            String key = sender + ":" + counter;
            assertTrue(seen.add(key), "duplicate " + key + " from " + source);
            assertTrue(counter > last[sender], "reordered: " + key + " after " + last[sender] + " from " + source);
            last[sender] = counter;
            byte[] payload = received.payload();
            assertEquals(sizes[(sender + counter) % sizes.length], payload.length, "length of " + key);
            assertTrue(java.util.Arrays.equals(payload(sender, counter, payload.length), payload), "corrupt " + key);
            assertTrue(!failed.containsKey(key), "reported failed but delivered: " + key + " " + failed.get(key));
        }
        assertEquals(expected, seen.size(), "messages lost from " + source);
    }

    static byte[] payload(int sender, int counter, int size) {
        byte[] bytes = new byte[Math.max(8, size)];
        ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0, sender).putInt(4, counter);
        for (int i = 8; i < bytes.length; i++) {
            bytes[i] = (byte) (sender * 131 + counter * 17 + i);
        }
        return bytes;
    }
}
