package org.rdmabus.pool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.TargetAddress;

/**
 * The other JVM of {@link TwoJvmTest}: starts a pool, prints its address, learns its peer's from standard input,
 * and echoes every message back to its sender as a REPLY until standard input closes.
 * <p>
 * Arguments: shared-memory directory, node id, access key. Protocol on stdout: {@code ADDRESS <external form>};
 * on stdin: {@code PEER <node id> <external form>}, answered with {@code READY}.
 */
public final class PeerProcess {
    private PeerProcess() {
    }

    /**
     * @param args directory, node id, access key.
     * @throws Exception if the pool cannot start.
     */
    public static void main(String[] args) throws Exception {
        PoolOptions options = new PoolOptions().nodeId(args[1]).accessKey(Long.parseLong(args[2]))
            .nicOptions(new NicOptions().provider("soft").directory(Paths.get(args[0])))
            .receiveBuffers(128).receiveBufferSize(4096).sendSlabSize(64 * 1024).sendChunkSize(512)
            .initialCredits(16).promotionThreshold(0);
        try (QpPool pool = new QpPool(options)) {
            pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            pool.messageSink((source, buffer, offset, length, handle) -> {
                byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                handle.release();
                Connection back = pool.connectIfKnown(source);
                if (back != null) {
                    back.offer(FrameType.REPLY, 0, new VarHandleBuffer(copy), 0, length, failure -> { });
                }
            });
            Thread poller = new Thread(() -> {
                IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
                while (!Thread.currentThread().isInterrupted()) {
                    idle.idle(pool.doWork(0));
                }
            }, "peer-poller");
            poller.setDaemon(true);
            poller.start();
            System.out.println("ADDRESS " + pool.advertisedAddress().toExternalForm());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("PEER")) {
                    pool.directory().put(parts[1], TargetAddress.fromExternalForm(parts[2]));
                    System.out.println("READY");
                    System.out.flush();
                }
            }
            poller.interrupt();
            poller.join(5_000);
        }
    }
}
