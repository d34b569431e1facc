package org.rdmabus.transport.impl.poller;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * A dedicated completion-polling thread, {@code rdmabus-poller-N}, never a Vert.x thread. It drives its
 * {@link PollerWork} units in turn and idles through an {@link IdleStrategy} when none has work.
 * <p>
 * A unit that throws is reported to the error handler and polled again on the next pass: a failure in one
 * unit, or in user code a unit calls, never stops the thread or starves the other units.
 */
public final class CompletionPoller implements AutoCloseable {
    /** Prefix of every poller thread's name. */
    public static final String THREAD_NAME_PREFIX = "rdmabus-poller-";
    private static final ThreadLocal<Boolean> ON_POLLER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final PollingAgent agent;
    private final AgentRunner runner;
    private final Thread thread;

    /**
     * Starts the thread.
     *
     * @param index        the poller's number, used in its thread name.
     * @param units        the work it drives.
     * @param idleStrategy how it idles; not shared with other threads.
     * @param errorHandler told of every failure a unit throws; must not throw.
     */
    public CompletionPoller(int index, List<PollerWork> units, IdleStrategy idleStrategy,
                            Consumer<Throwable> errorHandler) {
        String name = THREAD_NAME_PREFIX + index;
        this.agent = new PollingAgent(name, units.toArray(PollerWork[]::new), errorHandler);
        this.runner = new AgentRunner(idleStrategy, errorHandler::accept, null, agent);
        this.thread = AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(() -> {
                ON_POLLER.set(Boolean.TRUE);
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** @return whether the calling thread is a completion poller. */
    public static boolean onPollerThread() {
        return ON_POLLER.get();
    }

    /** @return the thread's name. */
    public String name() {
        return agent.roleName();
    }

    /** @return how many passes over the units ran. */
    public long polls() {
        return agent.polls.get();
    }

    /** @return how many passes found no work. */
    public long emptyPolls() {
        return agent.emptyPolls.get();
    }

    /** @return how many failures units threw. */
    public long errors() {
        return agent.errors.get();
    }

    /** @return whether the thread is running. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops the thread and waits for it. Idempotent. */
    @Override
    public void close() {
        runner.close();
    }

    private static final class PollingAgent implements Agent {
        private final String name;
        private final PollerWork[] units;
        private final Consumer<Throwable> errorHandler;
        // Written by the poller thread only; read by metrics.
        private final AtomicLong polls = new AtomicLong();
        private final AtomicLong emptyPolls = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();

        PollingAgent(String name, PollerWork[] units, Consumer<Throwable> errorHandler) {
            this.name = name;
            this.units = units;
            this.errorHandler = errorHandler;
        }

        @Override
        public int doWork() {
            int work = 0;
            for (PollerWork unit : units) {
                try {
                    work += unit.doWork();
                } catch (Throwable t) {
                    errors.lazySet(errors.get() + 1);
                    report(t);
                    work++;
                }
            }
            polls.lazySet(polls.get() + 1);
            if (work == 0) {
                emptyPolls.lazySet(emptyPolls.get() + 1);
            }
            return work;
        }

        private void report(Throwable failure) {
            try {
                errorHandler.accept(failure);
            } catch (Throwable ignored) {
                // The handler's own failure must not take the poller down; the error count still moved.
            }
        }

        @Override
        public String roleName() {
            return name;
        }
    }
}
