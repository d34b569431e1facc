package org.rdmabus.samples.functions.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code function-runtime} run did, for its exit code and for tests.
 *
 * @param invocations       the measured invocations per column the run asked for.
 * @param columns           the columns, in {@link Mode} order; empty if the run failed before measuring.
 * @param nodePids          the process ids of every node JVM the run started.
 * @param sharedMemoryFiles the shared-memory files the nodes were seen using, all removed by now.
 * @param failure           why the run failed, if it did.
 */
public record FunctionOutcome(int invocations, List<ColumnResult> columns, List<Long> nodePids,
                              Set<Path> sharedMemoryFiles, Optional<String> failure) {

    /** Copies the collections, so that an outcome cannot change later. */
    public FunctionOutcome {
        columns = List.copyOf(columns);
        nodePids = List.copyOf(nodePids);
        sharedMemoryFiles = Set.copyOf(sharedMemoryFiles);
    }

    /** @return whether every column has every invocation right and none failed. */
    public boolean allSucceeded() {
        return columns.size() == Mode.values().length
            && columns.stream().allMatch(column -> column.failed() == 0 && column.succeeded() == invocations);
    }

    /** @return 0 when the run completed and every invocation of every column was right, 1 otherwise. */
    public int exitCode() {
        return failure.isEmpty() && allSucceeded() ? 0 : 1;
    }
}
