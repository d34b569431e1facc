package org.rdmabus.samples.impl.node;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure that no node JVM and none of their shared-memory files outlive the sample that started them: neither
 * when it ends normally, nor when it fails, nor on Ctrl-C (a shutdown hook).
 *
 * <p>Stopping a node: {@code destroy()} (SIGTERM, so its shutdown hooks clean up), then {@code destroyForcibly()}
 * for a node still alive after a short grace; then the {@link ShmJanitor} sweeps what the nodes left.
 */
public final class ChildProcessGuard implements AutoCloseable {

    private final String sample;
    private final ShmJanitor janitor;
    private final Duration grace;
    private final PrintStream err;
    private final Runnable onInterrupt;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final Thread hook;
    private boolean stopped;

    /**
     * @param sample  how the shutdown hook names the sample, e.g. {@code rdmabus demo}.
     * @param janitor what removes the nodes' shared-memory files.
     * @param grace   how long a node may take to exit after SIGTERM.
     * @param err     where the shutdown hook says what it does.
     */
    public ChildProcessGuard(String sample, ShmJanitor janitor, Duration grace, PrintStream err) {
        this(sample, janitor, grace, err, () -> { });
    }

    /**
     * @param sample      how the shutdown hook names the sample, e.g. {@code rdmabus demo}.
     * @param janitor     what removes the nodes' shared-memory files.
     * @param grace       how long a node may take to exit after SIGTERM.
     * @param err         where the shutdown hook says what it does.
     * @param onInterrupt what the shutdown hook does before stopping the nodes when the sample is interrupted while
     *                    they live, such as printing what the sample has gathered so far; it must be quick and must
     *                    not wait for the nodes, which may be dying of the same Ctrl-C.
     */
    public ChildProcessGuard(String sample, ShmJanitor janitor, Duration grace, PrintStream err,
                             Runnable onInterrupt) {
        this.sample = sample;
        this.onInterrupt = onInterrupt;
        this.janitor = janitor;
        this.grace = grace;
        this.err = err;
        this.hook = new Thread(this::stopOnShutdown, "rdmabus-sample-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a node JVM that the guard stops when the sample ends. Starting and stopping exclude each other, so no
     * node starts unseen while the sample shuts down.
     *
     * @param builder the node's command.
     * @return the started node.
     * @throws IOException      if the JVM cannot be started.
     * @throws SampleException if the sample is already stopping.
     */
    public synchronized Process start(ProcessBuilder builder) throws IOException {
        if (stopped) {
            throw new SampleException(sample + " is stopping: no new node starts");
        }
        Process child = builder.start();
        children.add(child);
        return child;
    }

    /** Notes the shared-memory files every live node has mapped or open now. */
    public void noteSharedMemory() {
        children.stream().filter(Process::isAlive).forEach(child -> janitor.note(child.pid()));
    }

    /**
     * Waits for the nodes that were told to exit, up to {@code limit} for all of them.
     *
     * @param limit how long at most.
     */
    public void awaitExit(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Process child : children) {
            try {
                child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return whether the guard has begun stopping the nodes, e.g. because the user pressed Ctrl-C. */
    public synchronized boolean stopping() {
        return stopped;
    }

    /** @return the process ids of every node started so far. */
    public List<Long> pids() {
        return children.stream().map(Process::pid).toList();
    }

    /** Stops every node still alive, sweeps their shared-memory files, and removes the shutdown hook. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs, finds nothing left, and that is fine.
        }
    }

    private void stopOnShutdown() {
        long alive = children.stream().filter(Process::isAlive).count();
        if (alive > 0) {
            err.println();
            err.println(sample + ": interrupted; stopping " + alive + " node JVM(s) and removing their files");
            err.flush();
            try {
                onInterrupt.run();
            } catch (RuntimeException e) {
                err.println(sample + ": " + e);
            }
        }
        stopAll();
    }

    private void stopAll() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        noteSharedMemory();
        stop(children);
    }

    private void stop(List<Process> processes) {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process child : processes) {
            try {
                if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    child.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        janitor.sweep();
    }
}
