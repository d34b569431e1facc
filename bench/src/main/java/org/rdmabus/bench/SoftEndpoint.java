package org.rdmabus.bench;

import java.time.Duration;
import java.util.EnumSet;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.TargetAddress;

/**
 * One side of a soft-fabric benchmark: a NIC with a target whose receive queue holds {@code receives} buffers of
 * {@code size} bytes, and an initiator with a registered source buffer.
 */
final class SoftEndpoint implements AutoCloseable {
    final Nic nic;
    final CompletionQueue receiveCompletions;
    final SharedReceiveQueue receives;
    final MemoryRegion receiveBuffers;
    final DcTarget target;
    final CompletionQueue sendCompletions;
    final DcInitiator initiator;
    final MemoryRegion source;
    final WorkRequest request = new WorkRequest();
    final Completion[] completions = Completion.array(256);
    private final int size;

    SoftEndpoint(int receives, int size, int sendQueueDepth) {
        this.size = size;
        // A fast sender waits for a slower receiver to repost (RNR) rather than failing: a generous RNR timeout.
        nic = Fabrics.open(new NicOptions().provider("soft").rnrTimeout(Duration.ofSeconds(5)));
        receiveCompletions = nic.createCompletionQueue(receives * 2);
        this.receives = nic.createSharedReceiveQueue(receives);
        receiveBuffers = nic.allocateRegion(receives * size, EnumSet.of(Access.LOCAL_WRITE));
        for (int i = 0; i < receives; i++) {
            repost(i);
        }
        target = nic.createTarget(this.receives, receiveCompletions, 0x5EC2E7L);
        sendCompletions = nic.createCompletionQueue(1024);
        initiator = nic.createInitiator(sendCompletions, sendQueueDepth);
        source = nic.allocateRegion(Math.max(size, 64), EnumSet.of(Access.LOCAL_WRITE));
    }

    void repost(long wrId) {
        if (!receives.postReceive(wrId, receiveBuffers, wrId * size, size)) {
            throw new IllegalStateException("receive queue full");
        }
    }

    /** Posts an unsignalled SEND of {@code length} bytes: inline when it fits, else from the source region. */
    boolean send(TargetAddress to, int length) {
        if (length <= nic.capabilities().maxInlineData()) {
            request.sendInline(source.buffer(), 0, length);
        } else {
            request.send(source, 0, length);
        }
        return initiator.post(to, request.signalled(false));
    }

    /** Fails loudly if a send failed (failures always complete, successes are unsignalled). */
    void checkSends() {
        int n = sendCompletions.poll(completions);
        for (int i = 0; i < n; i++) {
            if (!completions[i].isSuccess()) {
                throw new IllegalStateException("send failed: " + completions[i]);
            }
        }
    }

    @Override
    public void close() {
        nic.close();
    }
}
