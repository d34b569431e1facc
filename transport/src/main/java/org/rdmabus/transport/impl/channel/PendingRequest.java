package org.rdmabus.transport.impl.channel;

import io.reactivex.rxjava3.core.SingleEmitter;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.Map;
import org.rdmabus.transport.RdmaMessage;
import org.rdmabus.transport.RdmaRequestTimeoutException;

/**
 * A request waiting for its reply. Exactly one of reply, failure, timeout and disposal settles it: whichever removes
 * it from the channel's map first; the others find it gone and do nothing. The outcome is emitted on the
 * requester's context.
 */
final class PendingRequest {
    private static final long NO_TIMER = -1;

    private final long correlation;
    private final String nodeId;
    private final ContextInternal context;
    private final SingleEmitter<RdmaMessage> emitter;
    private final Map<Long, PendingRequest> pending;
    private final ChannelCounters counters;
    private volatile long timer = NO_TIMER;

    PendingRequest(long correlation, String nodeId, ContextInternal context, SingleEmitter<RdmaMessage> emitter,
                   Map<Long, PendingRequest> pending, ChannelCounters counters) {
        this.correlation = correlation;
        this.nodeId = nodeId;
        this.context = context;
        this.emitter = emitter;
        this.pending = pending;
        this.counters = counters;
    }

    /** Registers this request, so that its reply finds it; call before the request is sent. */
    void register() {
        pending.put(correlation, this);
        emitter.setCancellable(this::dispose);
    }

    /**
     * Starts the timeout, on the requester's context.
     *
     * @param timeout how long to wait.
     */
    void startTimer(Duration timeout) {
        long delay = Math.max(1, timeout.toMillis());
        timer = context.setTimer(delay, id -> {
            if (pending.remove(correlation, this)) {
                counters.timeouts.increment();
                emitter.tryOnError(new RdmaRequestTimeoutException(nodeId, timeout));
            }
        });
    }

    /**
     * The reply arrived (on a poller thread): hands it to the requester, who has it until {@code onSuccess} returns
     * unless it retains it.
     *
     * @param reply the reply; released here if the request is settled already.
     */
    void reply(RdmaMessageImpl reply) {
        if (!pending.remove(correlation, this)) {
            counters.lateReplies.increment();
            reply.release();
            return;
        }
        counters.replies.increment();
        context.runOnContext(v -> {
            cancelTimer();
            try {
                emitter.onSuccess(reply);
            } finally {
                reply.release();
            }
        });
    }

    /**
     * The request failed: not sent, refused by the peer, or the channel closed.
     *
     * @param failure the public failure.
     */
    void fail(Throwable failure) {
        if (pending.remove(correlation, this)) {
            context.runOnContext(v -> {
                cancelTimer();
                emitter.tryOnError(failure);
            });
        }
    }

    private void dispose() {
        if (pending.remove(correlation, this)) {
            cancelTimer();
        }
    }

    private void cancelTimer() {
        long id = timer;
        if (id != NO_TIMER) {
            context.owner().cancelTimer(id);
        }
    }
}
