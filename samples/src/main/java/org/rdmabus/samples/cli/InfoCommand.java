package org.rdmabus.samples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.rdmabus.pool.SelfTest;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.NicOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rdmabus info}: which RDMA providers work on this host and, for each that does not, why; with
 * {@code --selftest}, whether the pool really carries messages on the device, over each transport it has.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Probes the RDMA providers: devices, limits, and why a provider is unavailable.",
        "With --selftest, also brings up the pool on the device and sends to itself over every transport the device",
        "has (DC on mlx5, RC with datagram first contact elsewhere), checking every byte, and prints connect and",
        "round-trip figures or why a transport failed.",
        "Exit code 0 when at least one provider works (with --selftest: when no applicable transport failed)."})
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--selftest", description = "Run the pool on the device and send to itself over each transport.")
    boolean selfTest;

    @Option(names = "--provider", defaultValue = "rdma",
        description = "Provider the self-test runs on: rdma (default) or soft.")
    String provider;

    @Option(names = "--device", description = "Device the self-test opens (default: the provider's choice).")
    String device;

    @Option(names = "--round-trips", defaultValue = "2000", description = "Round trips timed per transport.")
    int roundTrips;

    @Override
    public Integer call() {
        Fabrics.printProbe(System.out);
        if (!selfTest) {
            return Fabrics.probe().stream().anyMatch(FabricStatus::available) ? 0 : 1;
        }
        NicOptions nic = new NicOptions().provider(provider);
        if (device != null) {
            nic.device(device);
        }
        System.out.println();
        System.out.println("Self-test on " + provider + (device != null ? "/" + device : "") + ":");
        List<SelfTest.Result> results = SelfTest.run(nic, roundTrips);
        for (SelfTest.Result result : results) {
            System.out.println("  " + result.describe());
        }
        boolean failed = results.stream().anyMatch(r -> r.status() == SelfTest.Status.FAILED);
        boolean passed = results.stream().anyMatch(r -> r.status() == SelfTest.Status.PASSED);
        return !failed && passed ? 0 : 1;
    }
}
