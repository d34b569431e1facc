package org.rdmabus.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;

/**
 * The pong side of {@link PingPongBench} over Aeron IPC, a client of the ping's embedded media driver: echoes
 * each message. Arguments: Aeron directory, idle strategy, round trips, seconds.
 */
public final class AeronPong {
    private AeronPong() {
    }

    /**
     * @param args Aeron directory, idle strategy, count, seconds.
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        IdleStrategy idle = Idle.of(args[1]);
        long count = Long.parseLong(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]));
             Subscription subscription = aeron.addSubscription(AeronPing.CHANNEL, AeronPing.PING_STREAM);
             Publication publication = aeron.addPublication(AeronPing.CHANNEL, AeronPing.PONG_STREAM)) {
            long[] answered = new long[1];
            FragmentAssembler echo = new FragmentAssembler((buffer, offset, length, header) -> {
                while (publication.offer(buffer, offset, length) < 0) {
                    idle.idle();
                }
                answered[0]++;
            });
            while (answered[0] < count && System.nanoTime() < deadline) {
                idle.idle(subscription.poll(echo, 16));
            }
        }
    }
}
