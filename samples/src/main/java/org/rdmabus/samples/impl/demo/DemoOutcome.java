package org.rdmabus.samples.impl.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a demo run did, for its exit code and for tests.
 *
 * @param comparison        the figures, empty if the run failed.
 * @param report            the HTML report, empty if the run failed.
 * @param nodePids          the process id of every node JVM it started.
 * @param sharedMemoryFiles the shared-memory files it saw its nodes use (and removed, if they remained).
 * @param failure           why it failed, empty if it completed.
 */
public record DemoOutcome(Optional<Comparison> comparison, Optional<Path> report, List<Long> nodePids,
                          Set<Path> sharedMemoryFiles, Optional<String> failure) {

    /** Copies the collections. */
    public DemoOutcome {
        nodePids = List.copyOf(nodePids);
        sharedMemoryFiles = Set.copyOf(sharedMemoryFiles);
    }

    /** @return 0 when the run completed with no failed request, 1 otherwise. */
    public int exitCode() {
        boolean clean = failure.isEmpty() && comparison
            .map(figures -> figures.tcp().problems() + figures.rdmabus().problems() == 0).orElse(false);
        return clean ? 0 : 1;
    }
}
