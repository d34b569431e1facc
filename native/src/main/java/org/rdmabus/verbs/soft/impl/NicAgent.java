package org.rdmabus.verbs.soft.impl;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The NIC's one background thread. It advances the heartbeat peers use to tell this process is alive, retries
 * send-queue heads that wait for a receiver (RNR), and unmaps peers found dead. It parks when nothing waits, and
 * backs off (spin, yield, then park) while something does, so it never owns a core on a small machine.
 */
final class NicAgent implements Runnable {
    private static final long MAX_BACKOFF_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final SoftNic nic;
    private final long heartbeatIntervalNanos;
    private final Thread thread;
    private final IdleStrategy backoff = new BackoffIdleStrategy(10, 20, 1_000, MAX_BACKOFF_PARK_NANOS);
    private volatile SendQueue[] queues = new SendQueue[0];
    private volatile boolean running = true;

    NicAgent(SoftNic nic, long heartbeatIntervalNanos) {
        this.nic = nic;
        this.heartbeatIntervalNanos = heartbeatIntervalNanos;
        this.thread = new Thread(this, "rdmabus-soft-agent-" + nic.deviceName());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void add(SendQueue queue) {
        SendQueue[] next = java.util.Arrays.copyOf(queues, queues.length + 1);
        next[queues.length] = queue;
        queues = next;
    }

    synchronized void remove(SendQueue queue) {
        SendQueue[] current = queues;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == queue) {
                SendQueue[] next = new SendQueue[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                queues = next;
                return;
            }
        }
    }

    /** Tells the agent a request waits; cheap when it is already awake. */
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        long nextBeat = 0;
        while (running) {
            long now = System.nanoTime();
            if (now - nextBeat >= 0) {
                nic.segment().beat(now);
                nextBeat = now + heartbeatIntervalNanos;
                nic.housekeeping();
            }
            int work = 0;
            boolean waiting = false;
            for (SendQueue queue : queues) {
                if (queue.hasWork()) {
                    waiting = true;
                    work += queue.progress();
                }
            }
            if (waiting) {
                backoff.idle(work);
            } else {
                backoff.reset();
                LockSupport.parkNanos(this, Math.max(1, nextBeat - System.nanoTime()));
            }
        }
    }

    /** Stops the thread and waits briefly for it. */
    void stop() {
        running = false;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
