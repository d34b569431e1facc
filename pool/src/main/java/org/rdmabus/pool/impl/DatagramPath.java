package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * The node's datagram queue pair, on {@link org.rdmabus.pool.TransportService#RC}: the one path that reaches any
 * peer without a connection, so it carries what must travel before a peer has an RC queue pair: HELLOs and the
 * steps of the connect handshake. Datagrams may be lost and their completions say nothing of delivery, so it never
 * carries data or returned credits; the handshake repeats its steps until answered. Its address is the one the node
 * advertises.
 * <p>
 * Poller 0 polls both of its completion queues: sends like any path, receives through {@link #pollReceives}.
 */
final class DatagramPath extends SendPath {
    private static final System.Logger LOG = System.getLogger(DatagramPath.class.getName());

    private final CompletionQueue sendCompletions;
    private final CompletionQueue receiveCompletions;
    private final DatagramQueuePair queuePair;
    private final MemoryRegion receiveRegion;
    private final int bufferSize;
    private final int bufferCount;
    private final Completion[] received;

    DatagramPath(Nic nic, int depth, int receiveBuffers, int maxInline, int pollBatch, FrameWriter writer,
                 long accessKey) {
        super(depth, maxInline, pollBatch, writer);
        this.bufferCount = receiveBuffers;
        this.received = Completion.array(pollBatch);
        List<AutoCloseable> created = new ArrayList<>();
        try {
            sendCompletions = nic.createCompletionQueue(depth);
            created.add(sendCompletions);
            receiveCompletions = nic.createCompletionQueue(receiveBuffers);
            created.add(receiveCompletions);
            queuePair = nic.createDatagramQueuePair(sendCompletions, receiveCompletions, depth, receiveBuffers,
                accessKey);
            created.add(queuePair);
            bufferSize = queuePair.maxDatagramSize();
            receiveRegion = nic.allocateRegion(Math.multiplyExact(receiveBuffers, bufferSize),
                EnumSet.of(Access.LOCAL_WRITE));
            created.add(receiveRegion);
            Pages.touch(receiveRegion);
            for (int i = 0; i < receiveBuffers; i++) {
                repost(i);
            }
        } catch (RuntimeException e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    created.get(i).close();
                } catch (Exception ignored) {
                    // Best effort: the NIC's own close releases the rest.
                }
            }
            throw e;
        }
    }

    /** @return this node's datagram address, with the access key. */
    TargetAddress address() {
        return queuePair.address();
    }

    DatagramQueuePair queuePair() {
        return queuePair;
    }

    /** @return the largest frame a datagram carries. */
    int maxDatagramSize() {
        return bufferSize;
    }

    /**
     * Hands each datagram that arrived to {@code inbound} and posts its buffer again at once: datagrams hold no
     * credit and are never lent to the sink.
     *
     * @return how many completions were found.
     */
    int pollReceives(Inbound inbound, Outcomes outcomes, long now) {
        int count = receiveCompletions.poll(received);
        for (int i = 0; i < count; i++) {
            Completion completion = received[i];
            int index = (int) completion.wrId();
            if (!completion.isSuccess()) {
                if (completion.status() != CompletionStatus.FLUSHED) {
                    inbound.datagramFailed(completion.status());
                    repost(index);
                }
                continue;
            }
            try {
                inbound.onDatagram(receiveRegion.buffer(), index * bufferSize, completion.byteLength(), outcomes);
            } finally {
                repost(index);
            }
        }
        return count;
    }

    private void repost(int index) {
        if (!queuePair.postReceive(index, receiveRegion, (long) index * bufferSize, bufferSize)) {
            throw new IllegalStateException("datagram receive queue refused buffer " + index + " of " + bufferCount);
        }
    }

    @Override
    CompletionQueue completionQueue() {
        return sendCompletions;
    }

    @Override
    QueuePairState state() {
        return queuePair.state();
    }

    @Override
    void resetQueuePair() {
        queuePair.reset();
    }

    @Override
    void replaceQueuePair(RuntimeException cause) {
        // Its address is the node's advertised one: a replacement would be unreachable by peers that know the old.
        LOG.log(Level.WARNING, "the datagram queue pair could not be reset; first contact with new peers stops", cause);
        throw cause;
    }

    @Override
    boolean postRequest(TargetAddress target, WorkRequest request) {
        return queuePair.post(target, request);
    }

    @Override
    boolean isDedicated() {
        return false;
    }

    @Override
    boolean carriesData() {
        return false;
    }

    @Override
    public void close() {
        queuePair.close();
        receiveRegion.close();
        receiveCompletions.close();
        sendCompletions.close();
    }

    @Override
    public String toString() {
        return "datagrams";
    }
}
