package org.rdmabus.pool;

import org.rdmabus.verbs.CompletionStatus;

/**
 * Live counters of a {@link QpPool}, as plain numbers for the transport's metrics. Reading them is cheap and
 * never blocks; each value is current but the set is not an atomic snapshot.
 */
public interface PoolStats {

    /** @return DC initiators in the pool. */
    int initiators();

    /** @return initiators with at least one frame in flight. */
    int initiatorsBusy();

    /** @return times an initiator in error was reset. */
    long initiatorResets();

    /** @return times an initiator that could not be reset was replaced by a new one. */
    long initiatorReplacements();

    /** @return messages that waited in a send queue instead of being posted by their sender at once. */
    long queueWaits();

    /** @return the total time messages waited in send queues, in nanoseconds. */
    long queueWaitNanosTotal();

    /** @return offers refused with {@link SendStatus#BACK_PRESSURED}. */
    long backPressured();

    /** @return connects answered without a lookup. */
    long directoryHits();

    /** @return connects that went to the directory's asynchronous lookup. */
    long directoryMisses();

    /** @return the total time of directory lookups, in nanoseconds. */
    long directoryMissNanosTotal();

    /** @return the longest directory lookup, in nanoseconds. */
    long directoryMissNanosMax();

    /** @return peers given a dedicated reliable queue pair: promotions on DC, connects on RC. */
    long promotions();

    /** @return dedicated reliable queue pairs given back: demotions on DC, idle releases on RC. */
    long demotions();

    /** @return peers with a dedicated reliable queue pair now. */
    int promotedPeers();

    /** @return reliable queue pairs taken from the warm reserve for a peer. */
    long warmQueuePairTakes();

    /** @return reliable queue pairs created for a peer because the warm reserve was empty. */
    long coldQueuePairTakes();

    /** @return reliable queue pairs created and waiting in the warm reserve now. */
    int warmQueuePairs();

    /** @return frames delivered over dedicated reliable queue pairs rather than the shared initiators. */
    long framesSentOnChannels();

    /**
     * @param status a completion status.
     * @return work completions with that status seen by the pool.
     */
    long errors(CompletionStatus status);

    /** @return frames delivered, all peers. */
    long framesSent();

    /** @return bytes delivered, all peers. */
    long bytesSent();

    /** @return frames received, all peers. */
    long framesReceived();

    /** @return bytes received, all peers. */
    long bytesReceived();

    /** @return completion queue polls by all pollers. */
    long polls();

    /** @return polls that found nothing. */
    long emptyPolls();

    /** @return inbound frames dropped because they failed to decode, came from an unknown source or were duplicates. */
    long framesDropped();

    /** @return inbound frames whose sequence number skipped ahead, showing frames that never arrived. */
    long sequenceGaps();

    /** @return exceptions thrown by the message sink, send callbacks or drain handlers, caught and counted. */
    long handlerFailures();

    /** @return poller steps that threw (a bug in the pool or the NIC), caught and counted; the pool kept polling. */
    long pollerFailures();

    /** @return frames refused because the sender did not hold the cluster access key, where observable. */
    long accessRefusals();

    /** @return receive buffers lent to the sink and not yet released. */
    int receiveBuffersLent();

    /** @return receive buffers posted to the receive queue and not yet filled. */
    int receiveBuffersPosted();

    /**
     * @return released receive buffers the receive queue could not take back yet (its next descriptor still awaits
     *     a completion); they are posted, and their credits returned, as soon as it can.
     */
    int receiveBuffersWaitingToPost();

    /** @return send slab chunks owned by queued or in-flight messages. */
    int sendChunksInUse();
}
