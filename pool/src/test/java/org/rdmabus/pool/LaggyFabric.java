package org.rdmabus.pool;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.soft.SoftFabric;

/**
 * A test provider: the soft fabric, except that every DC initiator executes its requests a millisecond after they
 * are posted, in order, while reliable queue pairs execute at once. The soft NIC otherwise delivers a SEND before
 * {@code post} returns, which would hide a switch from DC to a reliable queue pair that did not wait for the DC
 * path to drain; with the lag, such a switch reorders messages.
 */
public final class LaggyFabric implements Fabric {
    /** The provider's name. */
    public static final String NAME = "laggy";
    private static final long LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Found by the service loader. */
    public LaggyFabric() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FabricStatus probe() {
        return new SoftFabric().probe();
    }

    @Override
    public Nic open(NicOptions options) {
        return new LaggyNic(new SoftFabric().open(new NicOptions(options).provider(SoftFabric.NAME)));
    }

    @Override
    public int priority() {
        return -100;
    }

    private static final class LaggyNic extends ForwardingNic {
        LaggyNic(Nic soft) {
            super(soft);
        }

        @Override
        public DcInitiator createInitiator(CompletionQueue completions, int sendQueueDepth) {
            return new LaggyInitiator(delegate.createInitiator(completions, sendQueueDepth), sendQueueDepth);
        }
    }

    /** Posts each request to the real initiator one lag after it was posted here, in order. */
    private static final class LaggyInitiator implements DcInitiator {
        private final DcInitiator real;
        private final int depth;
        private final AtomicInteger pending = new AtomicInteger();
        private final ScheduledThreadPoolExecutor lag = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "laggy-initiator");
            thread.setDaemon(true);
            return thread;
        });

        LaggyInitiator(DcInitiator real, int depth) {
            this.real = real;
            this.depth = depth;
        }

        @Override
        public boolean post(TargetAddress target, WorkRequest request) {
            if (pending.get() + (depth - real.sendQueueSpace()) >= depth) {
                return false;
            }
            WorkRequest copy = new WorkRequest();
            if (request.isInline()) {
                byte[] bytes = new byte[request.length()];
                request.inlineSource().getBytes(request.inlineOffset(), bytes);
                copy.sendInline(new VarHandleBuffer(bytes), 0, bytes.length);
            } else {
                copy.send(request.localRegion(), request.localOffset(), request.length());
            }
            copy.wrId(request.wrId()).signalled(request.isSignalled());
            pending.incrementAndGet();
            lag.schedule(() -> {
                try {
                    real.post(target, copy);
                } catch (RuntimeException closed) {
                    // The initiator closed before the lag ran out: the request is dropped with it.
                } finally {
                    pending.decrementAndGet();
                }
            }, LAG_NANOS, TimeUnit.NANOSECONDS);
            return true;
        }

        @Override
        public QueuePairState state() {
            return real.state();
        }

        @Override
        public void reset() {
            real.reset();
        }

        @Override
        public int sendQueueSpace() {
            return real.sendQueueSpace() - pending.get();
        }

        @Override
        public void close() {
            lag.shutdownNow();
            real.close();
        }
    }
}
