package org.rdmabus.bench;

import java.util.Arrays;

/**
 * Entry point of {@code rdmabus-bench.jar}: {@code java -jar rdmabus-bench.jar <benchmark> [options]}.
 * <ul>
 *   <li>{@code pingpong}: soft-fabric ping-pong between two JVMs next to Aeron IPC, 64 B and 4 KiB, busy-spin and
 *       yield ({@link PingPongBench}).</li>
 *   <li>{@code stream}: one-way 64 B SEND throughput between two JVMs ({@link StreamBench}).</li>
 *   <li>{@code control}: control-path costs ({@link ControlPathBench}).</li>
 *   <li>{@code jmh}: the JMH benchmarks ({@link PostPollBenchmark}); JMH options follow.</li>
 *   <li>{@code pool}: the pool's benchmarks ({@link org.rdmabus.bench.pool.PoolBench}).</li>
 *   <li>{@code eventbus}: the clustered event bus between two JVMs over TCP and over rdmabus in one run, and
 *       RdmaChannel request/reply ({@link org.rdmabus.bench.eventbus.EventBusBench}).</li>
 *   <li>{@code rdma-connect}: cold against warm connections and the round trip on the {@code rdma} provider
 *       ({@link org.rdmabus.bench.rdma.RdmaConnectBench}); needs an RDMA device (the Soft-RoCE VM).</li>
 * </ul>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * @param args the benchmark's name, then its options.
     * @throws Exception if a benchmark fails.
     */
    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "pingpong" -> PingPongBench.main(rest);
            case "stream" -> StreamBench.main(rest);
            case "control" -> ControlPathBench.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "pool" -> org.rdmabus.bench.pool.PoolBench.main(rest);
            case "rdma-connect" -> org.rdmabus.bench.rdma.RdmaConnectBench.main(rest);
            case "eventbus" -> org.rdmabus.bench.eventbus.EventBusBench.main(rest);
            default -> {
                System.err.println(
                    "usage: java -jar rdmabus-bench.jar pingpong|stream|control|jmh|pool|rdma-connect|eventbus [options]");
                System.exit(2);
            }
        }
    }
}
