package org.rdmabus.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ping side of {@link PingPongBench}'s Aeron IPC baseline, through an embedded media driver; {@link AeronPong}
 * answers in a child JVM. Every Aeron reference of the ping lives here, so {@link PingPongBench} links no Aeron class
 * when Aeron is not on the class path (the {@code rdmabus} command-line jar leaves it out).
 */
final class AeronPing {
    static final String CHANNEL = "aeron:ipc?term-length=1m|mtu=8192";
    static final int PING_STREAM = 1001;
    static final int PONG_STREAM = 1002;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private AeronPing() {
    }

    /**
     * @param size       message size in bytes.
     * @param idleName   the idle strategy both sides use.
     * @param warmup     round trips not recorded.
     * @param iterations round trips recorded at most.
     * @param seconds    the run's time bound.
     * @return the recorded round trips, in nanoseconds.
     * @throws Exception if the run fails.
     */
    static Histogram run(int size, String idleName, int warmup, int iterations, int seconds) throws Exception {
        int total = warmup + iterations;
        Path dir = Paths.get(Files.isDirectory(Paths.get("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"),
            "rdmabus-bench-aeron-" + ProcessHandle.current().pid());
        MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(100),
                TimeUnit.MILLISECONDS.toNanos(1)))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
             Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
             Publication publication = aeron.addPublication(CHANNEL, PING_STREAM);
             Subscription subscription = aeron.addSubscription(CHANNEL, PONG_STREAM);
             // Aeron's Agrona 2.x reaches jdk.internal.misc.Unsafe; the soft fabric's children need no such flag.
             ChildJvm pong = new ChildJvm(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"),
                 AeronPong.class, driver.aeronDirectoryName(), idleName,
                 String.valueOf(total), String.valueOf(seconds + 5))) {
            long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(publication.isConnected() && subscription.isConnected())) {
                if (System.nanoTime() > connectDeadline) {
                    throw new IllegalStateException("the Aeron pong did not connect");
                }
                Thread.sleep(1);
            }
            IdleStrategy idle = Idle.of(idleName);
            UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            int[] received = new int[1];
            FragmentAssembler handler = new FragmentAssembler((buffer, offset, length, header) -> received[0]++);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                while (publication.offer(message, 0, size) < 0) {
                    idle.idle();
                }
                received[0] = 0;
                while (received[0] == 0) {
                    idle.idle(subscription.poll(handler, 1));
                    if (System.nanoTime() > deadline + STALL_NANOS) {
                        throw new IllegalStateException("no pong for " + STALL_NANOS / 1_000_000 + " ms after round trip " + i);
                    }
                }
                long end = System.nanoTime();
                if (i >= warmup) {
                    histogram.recordValue(end - start);
                }
            }
            return histogram;
        }
    }
}
