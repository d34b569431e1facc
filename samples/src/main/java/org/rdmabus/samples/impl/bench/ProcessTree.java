package org.rdmabus.samples.impl.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's JVM and every process it starts (its benchmark peers). A peer whose parent has exited is no longer
 * among the descendants the OS reports, so the tree {@linkplain #refresh() records} descendants while the scenario
 * runs, and {@link #kill} stops those it saw as well as those it sees now.
 */
final class ProcessTree {
    private final Process root;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    ProcessTree(Process root) {
        this.root = root;
    }

    /** Records the processes the scenario has started so far. */
    synchronized void refresh() {
        root.descendants().forEach(seen::add);
    }

    /** @return the scenario's JVM and every process seen in its tree that is still alive. */
    synchronized List<ProcessHandle> alive() {
        refresh();
        List<ProcessHandle> alive = new ArrayList<>();
        if (root.isAlive()) {
            alive.add(root.toHandle());
        }
        seen.stream().filter(ProcessHandle::isAlive).forEach(alive::add);
        return alive;
    }

    /**
     * Stops the whole tree: SIGTERM to every process (so their shutdown hooks remove their files), then SIGKILL to
     * those still alive after {@code grace}. Descendants first, so none is left running under a dead parent.
     *
     * @param grace how long the processes may take to exit after SIGTERM.
     * @return how many processes were still alive when the kill began.
     */
    int kill(Duration grace) {
        List<ProcessHandle> alive = alive();
        List<ProcessHandle> leavesFirst = new ArrayList<>(alive);
        Collections.reverse(leavesFirst);
        leavesFirst.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : leavesFirst) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception stillAlive) {
                // Past the grace: SIGKILL below.
            }
        }
        for (ProcessHandle process : leavesFirst) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        for (ProcessHandle process : leavesFirst) {
            try {
                process.onExit().get(grace.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception ignored) {
                // SIGKILL cannot be refused; a process that still shows is a zombie its parent has not reaped.
            }
        }
        return alive.size();
    }
}
