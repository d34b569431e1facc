package org.rdmabus.samples.cli;

import java.util.concurrent.Callable;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Fabrics;
import picocli.CommandLine.Command;

/** {@code rdmabus info}: which RDMA providers work on this host and, for each that does not, why. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Probes the RDMA providers: devices, limits, and why a provider is unavailable.",
        "Exit code 0 when at least one provider works."})
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Fabrics.printProbe(System.out);
        return Fabrics.probe().stream().anyMatch(FabricStatus::available) ? 0 : 1;
    }
}
