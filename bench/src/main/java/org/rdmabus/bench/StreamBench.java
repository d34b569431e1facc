package org.rdmabus.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.TargetAddress;

/**
 * One-way streaming throughput between two JVMs over the soft fabric: this JVM posts unsignalled 64 B inline SENDs
 * as fast as the send queue takes them; a child JVM polls receive completions and reposts each buffer at once.
 * The rate is measured by the receiver, from its first to its last message.
 * <p>
 * Options: {@code --messages N} (default 20 000 000), {@code --seconds S} (default 10), {@code --size B}
 * (default 64), {@code --runs R} (default 3), {@code --idle spin|yield} (default yield: what both sides do when
 * the send queue is full or no message waits; yielding lets the other side run on a machine with few cores).
 */
public final class StreamBench {
    private static final int RECEIVES = 4096;

    private StreamBench() {
    }

    /**
     * @param args options, see the class comment.
     * @throws Exception if a run fails.
     */
    public static void main(String[] args) throws Exception {
        int messages = PingPongBench.intOption(args, "--messages", 20_000_000);
        int seconds = PingPongBench.intOption(args, "--seconds", 10);
        int size = PingPongBench.intOption(args, "--size", 64);
        int runs = PingPongBench.intOption(args, "--runs", 3);
        String idleName = PingPongBench.stringOption(args, "--idle", "yield");
        System.out.printf("one-way %d B SENDs between two JVMs, up to %d messages or %d s per run, idle %s%n",
            size, messages, seconds, idleName);
        for (int run = 1; run <= runs; run++) {
            try (SoftEndpoint sender = new SoftEndpoint(1, 64, 1024);
                 ChildJvm receiver = new ChildJvm(Sink.class, String.valueOf(size), String.valueOf(messages),
                     String.valueOf(seconds + 5), idleName)) {
                TargetAddress to = TargetAddress.fromExternalForm(receiver.readLine());
                IdleStrategy idle = Idle.of(idleName);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                long sent = 0;
                while (sent < messages && System.nanoTime() < deadline) {
                    if (sender.send(to, size)) {
                        sent++;
                    } else {
                        sender.checkSends();
                        idle.idle();
                    }
                }
                sender.checkSends();
                String[] result = receiver.readLine().split(" ");
                long received = Long.parseLong(result[0]);
                long nanos = Long.parseLong(result[1]);
                System.out.printf(Locale.ROOT, "run %d: sent %d, received %d in %.2f s: %.2f M msg/s, %.0f MB/s%n",
                    run, sent, received, nanos / 1e9, received * 1e3 / nanos, received * (double) size * 1e3 / nanos);
            }
        }
    }

    /** The receiving JVM: arguments size, messages, seconds, idle; prints its address, then "received nanos". */
    public static final class Sink {
        private Sink() {
        }

        /**
         * @param args size, messages, seconds, idle strategy.
         * @throws Exception on failure.
         */
        public static void main(String[] args) throws Exception {
            int size = Integer.parseInt(args[0]);
            long messages = Long.parseLong(args[1]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
            try (SoftEndpoint sink = new SoftEndpoint(RECEIVES, Math.max(size, 64), 1)) {
                System.out.println(sink.target.address().toExternalForm());
                System.out.flush();
                Completion[] completions = sink.completions;
                long received = 0;
                long first = 0;
                long last = 0;
                IdleStrategy idle = Idle.of(args[3]);
                while (received < messages && System.nanoTime() < deadline) {
                    int n = sink.receiveCompletions.poll(completions);
                    if (n > 0) {
                        if (first == 0) {
                            first = System.nanoTime();
                        }
                        for (int i = 0; i < n; i++) {
                            if (!completions[i].isSuccess()) {
                                throw new IllegalStateException("receive failed: " + completions[i]);
                            }
                            sink.repost(completions[i].wrId());
                        }
                        received += n;
                        last = System.nanoTime();
                    } else {
                        idle.idle();
                        if (received > 0 && System.nanoTime() - last > TimeUnit.SECONDS.toNanos(1)) {
                            break;
                        }
                    }
                }
                System.out.println(received + " " + Math.max(1, last - first));
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
        }
    }
}
