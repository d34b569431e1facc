package org.rdmabus.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.TargetAddress;

/**
 * The pong side of {@link PingPongBench} over the soft fabric: answers each SEND with a SEND of the same size.
 * Arguments: size, idle strategy, round trips, seconds. Prints its address, reads the ping's address.
 */
public final class SoftPong {
    private SoftPong() {
    }

    /**
     * @param args size, idle strategy, count, seconds.
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        IdleStrategy idle = Idle.of(args[1]);
        long count = Long.parseLong(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        try (SoftEndpoint pong = new SoftEndpoint(64, size, 64)) {
            System.out.println(pong.target.address().toExternalForm());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            TargetAddress ping = TargetAddress.fromExternalForm(in.readLine());
            Completion[] completions = pong.completions;
            long answered = 0;
            while (answered < count && System.nanoTime() < deadline) {
                int n = pong.receiveCompletions.poll(completions);
                for (int i = 0; i < n; i++) {
                    pong.repost(completions[i].wrId());
                    while (!pong.send(ping, size)) {
                        idle.idle();
                    }
                }
                answered += n;
                idle.idle(n);
                if ((answered & 1023) == 0) {
                    pong.checkSends();
                }
            }
        }
    }
}
