package org.rdmabus.pool;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicCapabilities;
import org.rdmabus.verbs.NicOptions;

/**
 * The hardware self-test: on one host, brings up two pools on one device and sends between them over every
 * transport the device offers (DC where it has DC, RC where it has RC and datagrams), checking every byte. It
 * reports, per transport, the first contact (connect plus one round trip, through the real pool) and the round
 * trip of small messages, or exactly why the transport failed. It is what {@code rdmabus info --selftest} runs, so
 * that the first user of a NIC this project could not test on can tell in one command whether it works.
 */
public final class SelfTest {
    private static final long STEP_TIMEOUT_SECONDS = 10;
    private static final int CHECKED_MESSAGES = 200;
    private static final int ROUND_TRIP_SIZE = 64;
    private static final long NEW_PEER_JOINED_MILLIS = 50;

    /** How a transport fared. */
    public enum Status { PASSED, FAILED, NOT_APPLICABLE }

    /**
     * One transport's outcome.
     *
     * @param transport          DC or RC.
     * @param status             passed, failed, or not applicable on this device.
     * @param reason             why it failed or does not apply; {@code null} when it passed.
     * @param firstContactNanos  from {@code connect} to the first echo back, through the real pool, in a JVM
     *                           that has not sent anything yet (class loading and JIT included).
     * @param newPeerNanos       the same to a third pool once the JVM is warm, {@value #NEW_PEER_JOINED_MILLIS} ms
     *                           after it joined: what reaching a new node costs.
     * @param roundTripP50Nanos  median round trip of {@value #ROUND_TRIP_SIZE}-byte messages.
     * @param roundTripP99Nanos  99th percentile of the same.
     * @param roundTrips         round trips measured.
     * @param checkedMessages    messages of random sizes sent both ways and compared byte for byte.
     * @param checkedBytes       their payload bytes, one way.
     */
    public record Result(TransportService transport, Status status, String reason, long firstContactNanos,
                         long newPeerNanos, long roundTripP50Nanos, long roundTripP99Nanos, int roundTrips, int checkedMessages,
                         long checkedBytes) {

        static Result notApplicable(TransportService transport, String reason) {
            return new Result(transport, Status.NOT_APPLICABLE, reason, 0, 0, 0, 0, 0, 0, 0);
        }

        static Result failed(TransportService transport, String reason) {
            return new Result(transport, Status.FAILED, reason, 0, 0, 0, 0, 0, 0, 0);
        }

        /** @return one line for a terminal. */
        public String describe() {
            switch (status) {
                case PASSED:
                    return String.format("%s: PASSED  connect + first round trip %.1f us to a new peer (%.1f us"
                            + " in a cold JVM); round trip %d B p50 %.1f us, p99 %.1f us over %d; %d messages (%d"
                            + " bytes) checked both ways",
                        transport, newPeerNanos / 1e3, firstContactNanos / 1e3, ROUND_TRIP_SIZE,
                        roundTripP50Nanos / 1e3,
                        roundTripP99Nanos / 1e3, roundTrips, checkedMessages, checkedBytes);
                case FAILED:
                    return transport + ": FAILED  " + reason;
                default:
                    return transport + ": not applicable  " + reason;
            }
        }
    }

    private SelfTest() {
    }

    /**
     * Runs the self-test on every transport.
     *
     * @param nic        the device to test, for example {@code new NicOptions().provider("rdma")}.
     * @param roundTrips how many round trips to time per transport.
     * @return one result per transport, DC first; a device that cannot be opened fails both.
     */
    public static List<Result> run(NicOptions nic, int roundTrips) {
        NicCapabilities capabilities;
        try (Nic opened = Fabrics.open(nic)) {
            capabilities = opened.capabilities();
        } catch (RuntimeException e) {
            String reason = "the device could not be opened: " + e.getMessage();
            return List.of(Result.failed(TransportService.DC, reason), Result.failed(TransportService.RC, reason));
        }
        List<Result> results = new ArrayList<>();
        results.add(capabilities.dynamicallyConnected() ? runOne(nic, TransportService.DC, roundTrips)
            : Result.notApplicable(TransportService.DC, "the device has no DC queue pairs (DC needs mlx5)"));
        results.add(capabilities.reliableConnected() && capabilities.datagrams()
            ? runOne(nic, TransportService.RC, roundTrips)
            : Result.notApplicable(TransportService.RC, "the device lacks " + (capabilities.reliableConnected()
                ? "datagram" : "RC") + " queue pairs"));
        return results;
    }

    private static Result runOne(NicOptions nic, TransportService transport, int roundTrips) {
        String base = "selftest-" + ProcessHandle.current().pid() + "-" + transport.name().toLowerCase();
        long key = new SecureRandom().nextLong() | 1;
        try (Pair pair = new Pair(nic, transport, key, base + "-a", base + "-b")) {
            return pair.measure(roundTrips);
        } catch (Exception e) {
            return Result.failed(transport, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** Two pools on one device, each driven by a poller thread; B echoes everything back to A. */
    private static final class Pair implements AutoCloseable {
        private final TransportService transport;
        private final NicOptions nic;
        private final long key;
        private QpPool a;
        private QpPool b;
        private QpPool c;
        private final List<Thread> pollers = new ArrayList<>();
        private volatile boolean running = true;
        private volatile CompletableFuture<byte[]> echo = new CompletableFuture<>();

        Pair(NicOptions nic, TransportService transport, long key, String idA, String idB) throws Exception {
            this.transport = transport;
            this.nic = nic;
            this.key = key;
            try {
                a = start(new PoolOptions().nodeId(idA).accessKey(key).nicOptions(nic).transportService(transport)
                    .promotionThreshold(0));
                b = start(new PoolOptions().nodeId(idB).accessKey(key).nicOptions(nic).transportService(transport)
                    .promotionThreshold(0));
            } catch (Exception e) {
                close();
                throw e;
            }
            a.directory().put(idB, b.advertisedAddress());
            b.directory().put(idA, a.advertisedAddress());
            a.messageSink((source, buffer, offset, length, handle) -> {
                byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                handle.release();
                echo.complete(copy);
            });
            echoing(b);
        }

        /** Makes a pool send every message back to where it came from. */
        private void echoing(QpPool pool) {
            pool.messageSink((source, buffer, offset, length, handle) -> {
                byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                handle.release();
                Connection back = pool.connectIfKnown(source);
                if (back == null) {
                    echo.completeExceptionally(new IllegalStateException(pool.nodeId() + " does not know " + source));
                    return;
                }
                back.offer(FrameType.MESSAGE, 0, new VarHandleBuffer(copy), 0, copy.length, failure -> {
                    if (failure != null) {
                        echo.completeExceptionally(failure);
                    }
                });
            });
        }

        private QpPool start(PoolOptions options) throws Exception {
            QpPool pool = new QpPool(options);
            try {
                pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                pool.close();
                throw new IllegalStateException("the pool did not start: " + rootMessage(e), e);
            }
            for (int i = 0; i < pool.pollerCount(); i++) {
                int index = i;
                Thread thread = new Thread(() -> poll(pool, index), "rdmabus-selftest-" + options.nodeId() + "-" + i);
                thread.setDaemon(true);
                pollers.add(thread);
                thread.start();
            }
            return pool;
        }

        private void poll(QpPool pool, int index) {
            IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 50_000);
            while (running) {
                idle.idle(pool.doWork(index));
            }
        }

        Result measure(int roundTrips) throws Exception {
            long start = System.nanoTime();
            Connection ab = a.connect(b.nodeId()).toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Random random = new Random(42);
            roundTrip(ab, payload(random, ROUND_TRIP_SIZE), "the first message");
            long firstContact = System.nanoTime() - start;
            long checkedBytes = 0;
            int largest = a.maxMessageSize();
            for (int i = 0; i < CHECKED_MESSAGES; i++) {
                int size = i == 0 ? largest : i == 1 ? 0 : 1 + random.nextInt(largest);
                roundTrip(ab, payload(random, size), "message " + i + " (" + size + " bytes)");
                checkedBytes += size;
            }
            long[] times = new long[roundTrips];
            byte[] small = payload(random, ROUND_TRIP_SIZE);
            for (int i = 0; i < roundTrips; i++) {
                long sent = System.nanoTime();
                roundTrip(ab, small, "round trip " + i);
                times[i] = System.nanoTime() - sent;
            }
            Arrays.sort(times);
            long p50 = roundTrips == 0 ? 0 : times[roundTrips / 2];
            long p99 = roundTrips == 0 ? 0 : times[Math.min(roundTrips - 1, (int) (roundTrips * 0.99))];
            c = start(new PoolOptions().nodeId(b.nodeId().replace("-b", "-c")).accessKey(key).nicOptions(nic)
                .transportService(transport).promotionThreshold(0));
            echoing(c);
            c.directory().put(a.nodeId(), a.advertisedAddress());
            a.directory().put(c.nodeId(), c.advertisedAddress());
            // As in a cluster, the new node's membership arrives before the first message to it: the pool uses that
            // time to warm the route (an address handle; a mapped segment on the soft fabric).
            Thread.sleep(NEW_PEER_JOINED_MILLIS);
            long reach = System.nanoTime();
            Connection ac = a.connect(c.nodeId()).toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            roundTrip(ac, small, "the first message to a third pool");
            long newPeer = System.nanoTime() - reach;
            return new Result(transport, Status.PASSED, null, firstContact, newPeer, p50, p99, roundTrips,
                CHECKED_MESSAGES, checkedBytes);
        }

        private void roundTrip(Connection ab, byte[] payload, String what) throws Exception {
            CompletableFuture<byte[]> waiting = new CompletableFuture<>();
            echo = waiting;
            CompletableFuture<PoolException> sent = new CompletableFuture<>();
            SendStatus status = ab.offer(FrameType.MESSAGE, 0, new VarHandleBuffer(payload), 0, payload.length,
                sent::complete);
            if (status != SendStatus.ACCEPTED) {
                throw new IllegalStateException(what + " was not accepted: " + status
                    + (sent.isDone() ? " (" + sent.getNow(null).getMessage() + ")" : ""));
            }
            byte[] back;
            try {
                back = waiting.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                PoolException failure = sent.getNow(null);
                throw new IllegalStateException(what + " got no echo within " + STEP_TIMEOUT_SECONDS + " s"
                    + (failure != null ? ": sending it failed: " + failure.getMessage()
                        : sent.isDone() ? " (it was delivered; the echo never came back)" : " (never delivered)"));
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(what + ": the echo failed: " + rootMessage(e), e);
            }
            if (!Arrays.equals(payload, back)) {
                throw new IllegalStateException(what + " came back corrupted: " + payload.length + " bytes sent, "
                    + back.length + " received, first difference at byte " + Arrays.mismatch(payload, back));
            }
        }

        private static byte[] payload(Random random, int size) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return bytes;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread thread : pollers) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            for (QpPool pool : new QpPool[] {c, b}) {
                if (pool != null) {
                    pool.close();
                }
            }
            if (a != null) {
                a.close();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
