package org.rdmabus.pool;

import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabric;
import org.rdmabus.verbs.FabricStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.soft.SoftFabric;

/**
 * A test provider: the soft fabric, except that each NIC silently loses its first few datagrams, as a real
 * datagram may be lost: the send completes successfully and nobody receives it (it lands in a sink target of the
 * NIC's own that is never read). The pool's RC connect handshake must survive that.
 */
public final class LossyFabric implements Fabric {
    /** The provider's name. */
    public static final String NAME = "lossy";
    private static final int SINK_BUFFERS = 64;
    private static final int SINK_BUFFER_SIZE = 4096;
    private static final AtomicInteger DROPS_PER_NIC = new AtomicInteger();
    private static final AtomicInteger DROPPED = new AtomicInteger();

    /** Found by the service loader. */
    public LossyFabric() {
    }

    /** @param count how many datagrams each NIC opened from now on loses, its first ones. */
    static void dropFirstDatagrams(int count) {
        DROPS_PER_NIC.set(count);
    }

    /** @return datagrams lost so far, by every lossy NIC. */
    static int dropped() {
        return DROPPED.get();
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
        return new LossyNic(new SoftFabric().open(new NicOptions(options).provider(SoftFabric.NAME)),
            DROPS_PER_NIC.get());
    }

    @Override
    public int priority() {
        return -100;
    }

    private static final class LossyNic extends ForwardingNic {
        private final AtomicInteger drops;

        LossyNic(Nic soft, int drops) {
            super(soft);
            this.drops = new AtomicInteger(drops);
        }

        @Override
        public DatagramQueuePair createDatagramQueuePair(CompletionQueue sendCompletions,
                                                         CompletionQueue receiveCompletions, int sendQueueDepth,
                                                         int receiveQueueDepth, long accessKey) {
            DatagramQueuePair real = delegate.createDatagramQueuePair(sendCompletions, receiveCompletions,
                sendQueueDepth, receiveQueueDepth, accessKey);
            SharedReceiveQueue sinkQueue = delegate.createSharedReceiveQueue(SINK_BUFFERS);
            MemoryRegion sinkMemory = delegate.allocateRegion(SINK_BUFFERS * SINK_BUFFER_SIZE,
                EnumSet.of(Access.LOCAL_WRITE));
            for (int i = 0; i < SINK_BUFFERS; i++) {
                sinkQueue.postReceive(i, sinkMemory, (long) i * SINK_BUFFER_SIZE, SINK_BUFFER_SIZE);
            }
            DcTarget sink = delegate.createTarget(sinkQueue, delegate.createCompletionQueue(SINK_BUFFERS), accessKey);
            return new LossyDatagrams(real, sink.address(), drops);
        }
    }

    /** Sends its first datagrams to the sink instead of their destination. */
    private static final class LossyDatagrams implements DatagramQueuePair {
        private final DatagramQueuePair real;
        private final TargetAddress sink;
        private final AtomicInteger drops;

        LossyDatagrams(DatagramQueuePair real, TargetAddress sink, AtomicInteger drops) {
            this.real = real;
            this.sink = sink;
            this.drops = drops;
        }

        @Override
        public boolean post(TargetAddress target, WorkRequest request) {
            boolean lose = drops.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            boolean posted = real.post(lose ? sink : target, request);
            if (lose && posted) {
                DROPPED.incrementAndGet();
            } else if (lose) {
                drops.incrementAndGet();
            }
            return posted;
        }

        @Override
        public TargetAddress address() {
            return real.address();
        }

        @Override
        public int maxDatagramSize() {
            return real.maxDatagramSize();
        }

        @Override
        public boolean postReceive(long wrId, MemoryRegion region, long offset, int length) {
            return real.postReceive(wrId, region, offset, length);
        }

        @Override
        public int postedReceives() {
            return real.postedReceives();
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
            return real.sendQueueSpace();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
