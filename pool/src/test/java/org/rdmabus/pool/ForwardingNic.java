package org.rdmabus.pool;

import java.util.Set;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicCapabilities;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;

/** A NIC that hands every call to another; the test providers override the few calls they change. */
class ForwardingNic implements Nic {
    final Nic delegate;

    ForwardingNic(Nic delegate) {
        this.delegate = delegate;
    }

    @Override
    public String provider() {
        return delegate.provider();
    }

    @Override
    public String deviceName() {
        return delegate.deviceName();
    }

    @Override
    public NicCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public MemoryRegion allocateRegion(int length, Set<Access> access) {
        return delegate.allocateRegion(length, access);
    }

    @Override
    public CompletionQueue createCompletionQueue(int capacity) {
        return delegate.createCompletionQueue(capacity);
    }

    @Override
    public SharedReceiveQueue createSharedReceiveQueue(int capacity) {
        return delegate.createSharedReceiveQueue(capacity);
    }

    @Override
    public DcInitiator createInitiator(CompletionQueue completions, int sendQueueDepth) {
        return delegate.createInitiator(completions, sendQueueDepth);
    }

    @Override
    public DcTarget createTarget(SharedReceiveQueue receives, CompletionQueue completions, long accessKey) {
        return delegate.createTarget(receives, completions, accessKey);
    }

    @Override
    public ReliableQueuePair createReliableQueuePair(CompletionQueue sendCompletions, SharedReceiveQueue receives,
                                                     CompletionQueue receiveCompletions, int sendQueueDepth) {
        return delegate.createReliableQueuePair(sendCompletions, receives, receiveCompletions, sendQueueDepth);
    }

    @Override
    public DatagramQueuePair createDatagramQueuePair(CompletionQueue sendCompletions,
                                                     CompletionQueue receiveCompletions, int sendQueueDepth,
                                                     int receiveQueueDepth, long accessKey) {
        return delegate.createDatagramQueuePair(sendCompletions, receiveCompletions, sendQueueDepth,
            receiveQueueDepth, accessKey);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
