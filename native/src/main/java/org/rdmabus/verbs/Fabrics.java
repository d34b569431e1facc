package org.rdmabus.verbs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the {@link Fabric} providers on the class path, tells which work here, and opens the best one.
 */
public final class Fabrics {

    private Fabrics() {
    }

    /** @return every provider on the class path, highest priority first. */
    public static List<Fabric> all() {
        List<Fabric> fabrics = new ArrayList<>();
        ServiceLoader.load(Fabric.class, Fabrics.class.getClassLoader()).forEach(fabrics::add);
        fabrics.sort(Comparator.comparingInt(Fabric::priority).reversed());
        return fabrics;
    }

    /** @return each provider's status: whether it works here and, if not, why. */
    public static List<FabricStatus> probe() {
        List<FabricStatus> statuses = new ArrayList<>();
        for (Fabric fabric : all()) {
            statuses.add(safeProbe(fabric));
        }
        return statuses;
    }

    /**
     * @param name a provider name.
     * @return the provider.
     * @throws FabricUnavailableException if no provider has that name.
     */
    public static Fabric byName(String name) {
        for (Fabric fabric : all()) {
            if (fabric.name().equals(name)) {
                return fabric;
            }
        }
        throw new FabricUnavailableException(name, UnavailableReason.LIBRARY_MISSING,
            "no provider named '" + name + "' on the class path; known: " + all().stream().map(Fabric::name).toList());
    }

    /**
     * Opens the provider the options name or, for {@link NicOptions#AUTO}, the highest-priority provider that
     * works here.
     *
     * @param options how to open it.
     * @return the opened NIC.
     * @throws FabricUnavailableException if the named provider, or every provider, cannot run here.
     */
    public static Nic open(NicOptions options) {
        if (!NicOptions.AUTO.equals(options.provider())) {
            return byName(options.provider()).open(options);
        }
        List<String> reasons = new ArrayList<>();
        for (Fabric fabric : all()) {
            FabricStatus status = safeProbe(fabric);
            if (status.available()) {
                return fabric.open(options);
            }
            reasons.add(status.provider() + ": " + status.reason() + " (" + status.detail() + ")");
        }
        throw new FabricUnavailableException(NicOptions.AUTO, UnavailableReason.NO_DEVICE,
            "no provider works here: " + reasons);
    }

    /**
     * Prints the probe as a table.
     *
     * @param out where to print.
     */
    public static void printProbe(PrintStream out) {
        for (FabricStatus status : probe()) {
            out.printf("%-6s %-11s %s%n", status.provider(),
                status.available() ? "available" : "unavailable", status.available() ? "" : status.reason());
            out.printf("       %s%n", status.detail());
            for (String device : status.devices()) {
                out.printf("       device: %s%n", device);
            }
        }
    }

    /**
     * Prints which providers work here.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        printProbe(System.out);
    }

    private static FabricStatus safeProbe(Fabric fabric) {
        try {
            return fabric.probe();
        } catch (RuntimeException | LinkageError e) {
            return FabricStatus.unavailable(fabric.name(), UnavailableReason.LIBRARY_MISSING,
                "probe failed: " + e);
        }
    }
}
