package org.rdmabus.verbs.soft;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.UnavailableReason;
import org.rdmabus.verbs.soft.impl.SharedMemoryDirectory;
import org.rdmabus.verbs.soft.impl.SoftNic;

/**
 * The {@code soft} provider: a software RDMA NIC for processes on one host, over shared-memory files.
 * <p>
 * Memory regions, receive queues and completion rings are files in an owner-only directory (see
 * {@link #directory(NicOptions)}), mapped by every process that uses them: a one-sided WRITE or READ is a checked
 * copy straight into or out of the peer's mapped region, and the peer's CPU does nothing. DC semantics hold: a
 * {@link org.rdmabus.verbs.DcInitiator} reaches any target by its {@link org.rdmabus.verbs.TargetAddress}.
 * A peer whose process dies is detected through its segment's heartbeat and pid, and its files are removed by the
 * next NIC that opens. Its priority is low, so a hardware provider wins when present.
 * <p>
 * Failures to test against are injected with {@link SoftFaults}.
 */
public final class SoftFabric implements Fabric {
    /** The provider's name. */
    public static final String NAME = SoftNic.PROVIDER;
    /** The provider's priority: below any hardware provider. */
    public static final int PRIORITY = 10;
    /** System property naming the shared-memory directory. */
    public static final String DIRECTORY_PROPERTY = SharedMemoryDirectory.DIRECTORY_PROPERTY;
    /** Environment variable naming the shared-memory directory. */
    public static final String DIRECTORY_ENV = SharedMemoryDirectory.DIRECTORY_ENV;

    private static final Set<Nic> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean shutdownHookInstalled;

    /** Creates the provider; cheap, and touches no file. */
    public SoftFabric() {
    }

    /**
     * The directory a NIC opened with these options uses: {@link NicOptions#directory()}, else the system property
     * {@value #DIRECTORY_PROPERTY}, else the environment variable {@value #DIRECTORY_ENV}, else
     * {@code /dev/shm/rdmabus-<user>}, else {@code <java.io.tmpdir>/rdmabus-<user>}.
     *
     * @param options the options, or {@code null} for the defaults.
     * @return the directory.
     */
    public static Path directory(NicOptions options) {
        return SharedMemoryDirectory.resolve(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FabricStatus probe() {
        Path directory = SharedMemoryDirectory.resolve(null);
        String problem = SharedMemoryDirectory.prepare(directory);
        if (problem != null) {
            return FabricStatus.unavailable(NAME, UnavailableReason.SHARED_MEMORY_UNAVAILABLE, problem);
        }
        return FabricStatus.available(NAME, "shared memory at " + directory,
            List.of("soft0: software NIC over shared memory, DC and RC, for processes on this host"));
    }

    @Override
    public Nic open(NicOptions options) {
        installShutdownHook();
        Nic[] holder = new Nic[1];
        SoftNic nic = SoftNic.open(new NicOptions(options), () -> OPEN.remove(holder[0]));
        holder[0] = nic;
        OPEN.add(nic);
        return nic;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    private static void installShutdownHook() {
        if (shutdownHookInstalled) {
            return;
        }
        synchronized (SoftFabric.class) {
            if (!shutdownHookInstalled) {
                // Best effort: files of a JVM that is killed outright are removed by the next NIC's start-up sweep.
                Runtime.getRuntime().addShutdownHook(new Thread(SoftFabric::closeAll, "rdmabus-soft-shutdown"));
                shutdownHookInstalled = true;
            }
        }
    }

    private static void closeAll() {
        for (Nic nic : OPEN.toArray(new Nic[0])) {
            try {
                nic.close();
            } catch (RuntimeException ignored) {
                // Closing the others matters more than reporting during shutdown.
            }
        }
    }
}
