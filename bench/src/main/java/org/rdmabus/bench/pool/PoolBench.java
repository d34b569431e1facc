package org.rdmabus.bench.pool;

import java.util.Arrays;

/**
 * The pool's benchmarks (issue 3): {@code java -cp rdmabus-bench.jar org.rdmabus.bench.pool.PoolBench <name>}, or
 * {@code java -jar rdmabus-bench.jar pool <name>}.
 * <ul>
 *   <li>{@code connect}: connect latency, warm, directory miss and cold ({@link ConnectLatencyBench});</li>
 *   <li>{@code first}: the first message to a never-contacted node in another JVM against the steady-state round
 *       trip ({@link FirstMessageBench});</li>
 *   <li>{@code memory}: resident memory per peer, DC pool against one RC queue pair per peer
 *       ({@link PeerMemoryBench});</li>
 *   <li>{@code all}: all three.</li>
 * </ul>
 */
public final class PoolBench {
    private PoolBench() {
    }

    /**
     * @param args the benchmark's name, then its options.
     * @throws Exception if a benchmark fails.
     */
    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "connect" -> ConnectLatencyBench.run(rest);
            case "first" -> FirstMessageBench.run(rest);
            case "memory" -> PeerMemoryBench.run(rest);
            case "all" -> {
                ConnectLatencyBench.run(rest);
                FirstMessageBench.run(rest);
                PeerMemoryBench.run(rest);
            }
            default -> {
                System.err.println("usage: PoolBench connect|first|memory|all [options]");
                System.exit(2);
            }
        }
    }
}
