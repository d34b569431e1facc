package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/** A shared DC initiator: reaches any peer by address; its frames to many peers interleave on one send queue. */
final class InitiatorPath extends SendPath {
    private static final System.Logger LOG = System.getLogger(InitiatorPath.class.getName());

    private final Nic nic;
    private final int index;
    private final int depth;
    private final CompletionQueue completions;
    private volatile DcInitiator initiator;

    InitiatorPath(Nic nic, int index, int depth, int maxInline, int pollBatch, FrameWriter writer) {
        super(depth, maxInline, pollBatch, writer);
        this.nic = nic;
        this.index = index;
        this.depth = depth;
        this.completions = nic.createCompletionQueue(depth);
        try {
            this.initiator = nic.createInitiator(completions, depth);
        } catch (RuntimeException e) {
            completions.close();
            throw e;
        }
    }

    int index() {
        return index;
    }

    DcInitiator queuePair() {
        return initiator;
    }

    @Override
    CompletionQueue completionQueue() {
        return completions;
    }

    @Override
    QueuePairState state() {
        return initiator.state();
    }

    @Override
    void resetQueuePair() {
        initiator.reset();
    }

    @Override
    void replaceQueuePair(RuntimeException cause) {
        LOG.log(Level.WARNING, "DC initiator " + index + " could not be reset; replacing it", cause);
        initiator.close();
        initiator = nic.createInitiator(completions, depth);
    }

    @Override
    boolean postRequest(TargetAddress target, WorkRequest request) {
        return initiator.post(target, request);
    }

    @Override
    boolean isDedicated() {
        return false;
    }

    @Override
    public void close() {
        initiator.close();
        completions.close();
    }

    @Override
    public String toString() {
        return "initiator#" + index;
    }
}
