package org.rdmabus.verbs.soft.impl;

import java.time.Instant;
import java.util.Optional;

/**
 * A process id plus its start time, so that a recycled pid is not mistaken for the process that wrote a
 * segment.
 *
 * @param pid              the operating-system process id.
 * @param startEpochMillis when the process started, or 0 when the platform does not tell.
 */
record ProcessIdentity(long pid, long startEpochMillis) {
    /** Start times are derived from clock ticks and boot time; allow for rounding between readers. */
    private static final long START_TIME_TOLERANCE_MILLIS = 2_000;

    /** @return this process. */
    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(self.pid(), startOf(self));
    }

    /**
     * Asks the operating system. Allocates, so call it only off the data path.
     *
     * @return whether the process this identity names is still running.
     */
    public boolean isAlive() {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long start = startOf(handle.get());
        return start == 0 || startEpochMillis == 0 || Math.abs(start - startEpochMillis) <= START_TIME_TOLERANCE_MILLIS;
    }

    private static long startOf(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
