package org.rdmabus.pool.impl;

import org.rdmabus.pool.PoolStats;
import org.rdmabus.verbs.CompletionStatus;

/** A live, read-only view of a pool's counters and gauges. */
final class PoolStatsView implements PoolStats {
    private final PoolCore core;

    PoolStatsView(PoolCore core) {
        this.core = core;
    }

    @Override
    public int initiators() {
        return core.initiators().length;
    }

    @Override
    public int initiatorsBusy() {
        int busy = 0;
        for (InitiatorPath path : core.initiators()) {
            if (path.inFlight() > 0) {
                busy++;
            }
        }
        return busy;
    }

    @Override
    public long initiatorResets() {
        long resets = 0;
        for (InitiatorPath path : core.initiators()) {
            resets += path.resets();
        }
        return resets;
    }

    @Override
    public long initiatorReplacements() {
        long replacements = 0;
        for (InitiatorPath path : core.initiators()) {
            replacements += path.replacements();
        }
        return replacements;
    }

    @Override
    public long queueWaits() {
        return core.counters.queueWaits();
    }

    @Override
    public long queueWaitNanosTotal() {
        return core.counters.queueWaitNanos();
    }

    @Override
    public long backPressured() {
        return core.counters.backPressuredCount();
    }

    @Override
    public long directoryHits() {
        return core.directory().hits();
    }

    @Override
    public long directoryMisses() {
        return core.directory().misses();
    }

    @Override
    public long directoryMissNanosTotal() {
        return core.directory().missNanosTotal();
    }

    @Override
    public long directoryMissNanosMax() {
        return core.directory().missNanosMax();
    }

    @Override
    public long promotions() {
        return core.channels == null ? 0 : core.channels.promotions();
    }

    @Override
    public long demotions() {
        return core.channels == null ? 0 : core.channels.demotions();
    }

    @Override
    public int promotedPeers() {
        return core.channels == null ? 0 : core.channels.active();
    }

    @Override
    public long warmQueuePairTakes() {
        return core.warmQueuePairs() == null ? 0 : core.warmQueuePairs().warmTakes();
    }

    @Override
    public long coldQueuePairTakes() {
        return core.warmQueuePairs() == null ? 0 : core.warmQueuePairs().coldTakes();
    }

    @Override
    public int warmQueuePairs() {
        return core.warmQueuePairs() == null ? 0 : core.warmQueuePairs().ready();
    }

    @Override
    public long framesSentOnChannels() {
        return core.counters.framesOnChannels();
    }

    @Override
    public long errors(CompletionStatus status) {
        return core.counters.errors(status);
    }

    @Override
    public long framesSent() {
        return core.counters.framesSent();
    }

    @Override
    public long bytesSent() {
        return core.counters.bytesSent();
    }

    @Override
    public long framesReceived() {
        return core.counters.framesReceived();
    }

    @Override
    public long bytesReceived() {
        return core.counters.bytesReceived();
    }

    @Override
    public long polls() {
        return core.counters.polls();
    }

    @Override
    public long emptyPolls() {
        return core.counters.emptyPolls();
    }

    @Override
    public long framesDropped() {
        return core.counters.droppedCount();
    }

    @Override
    public long sequenceGaps() {
        return core.counters.sequenceGaps();
    }

    @Override
    public long handlerFailures() {
        return core.counters.handlerFailures();
    }

    @Override
    public long pollerFailures() {
        return core.counters.pollerFailures();
    }

    @Override
    public long accessRefusals() {
        return core.counters.accessRefusals();
    }

    @Override
    public int receiveBuffersLent() {
        Inbound inbound = core.inbound();
        return inbound == null ? 0 : inbound.lent();
    }

    @Override
    public int receiveBuffersPosted() {
        Inbound inbound = core.inbound();
        return inbound == null ? 0 : inbound.posted();
    }

    @Override
    public int receiveBuffersWaitingToPost() {
        Inbound inbound = core.inbound();
        return inbound == null ? 0 : inbound.waitingToPost();
    }

    @Override
    public int sendChunksInUse() {
        return core.slabs == null ? 0 : core.slabs.chunksInUse();
    }
}
