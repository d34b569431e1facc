package org.rdmabus.transport.impl.channel;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableEmitter;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.rdmabus.transport.RdmaBackPressureException;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaChannelClosedException;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaMessage;
import org.rdmabus.transport.RdmaRemoteFailureException;
import org.rdmabus.transport.impl.stream.CreditedFlowable;

/**
 * The application's {@link RdmaChannel} on one node: pending requests by correlation id, and the inbound stream,
 * a {@link CreditedFlowable} whose queue holds receive buffers, so that demand is the fabric's credit.
 */
public final class RdmaChannelImpl implements RdmaChannel {
    private static final System.Logger LOG = System.getLogger(RdmaChannelImpl.class.getName());

    private final ChannelEndpoint endpoint;
    private final VertxInternal vertx;
    private final ContextInternal defaultContext;
    private final int streamCapacity;
    private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlations = new AtomicLong();
    private final AtomicReference<CreditedFlowable<RdmaMessage>> subscribed = new AtomicReference<>();
    private volatile CreditedFlowable<RdmaMessage> stream;
    private volatile ContextInternal streamContext;
    private volatile boolean closed;

    RdmaChannelImpl(ChannelEndpoint endpoint, VertxInternal vertx, ContextInternal defaultContext,
                    int streamCapacity) {
        this.endpoint = endpoint;
        this.vertx = vertx;
        this.defaultContext = defaultContext;
        this.streamCapacity = streamCapacity;
        this.streamContext = defaultContext;
        this.stream = newStream();
    }

    @Override
    public String localNodeId() {
        return endpoint.localNodeId();
    }

    @Override
    public int maxMessageSize() {
        return endpoint.maxPayload();
    }

    /** @return the caller's context if it belongs to this Vert.x instance, else the channel's. */
    ContextInternal context() {
        Context current = Vertx.currentContext();
        return current != null && current.owner() == vertx ? (ContextInternal) current : defaultContext;
    }

    ChannelEndpoint endpoint() {
        return endpoint;
    }

    ChannelCounters counters() {
        return endpoint.counters();
    }

    @Override
    public Single<RdmaConnection> connect(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return Single.create(emitter -> {
            ContextInternal context = context();
            if (closed) {
                context.emit(closedFailure(), emitter::tryOnError);
                return;
            }
            ChannelSender known = endpoint.senderIfKnown(nodeId);
            if (known != null) {
                context.emit(new RdmaConnectionImpl(this, known), emitter::onSuccess);
                return;
            }
            endpoint.sender(nodeId).whenComplete((sender, failure) -> {
                if (failure != null) {
                    context.emit(failure(nodeId, failure), emitter::tryOnError);
                } else {
                    context.emit(new RdmaConnectionImpl(this, sender), emitter::onSuccess);
                }
            });
        });
    }

    @Override
    public Completable send(String nodeId, Buffer payload) {
        Objects.requireNonNull(payload, "payload");
        return connect(nodeId).flatMapCompletable(connection -> connection.send(payload));
    }

    @Override
    public Single<RdmaMessage> request(String nodeId, Buffer payload) {
        return request(nodeId, payload, DEFAULT_REQUEST_TIMEOUT);
    }

    @Override
    public Single<RdmaMessage> request(String nodeId, Buffer payload, Duration timeout) {
        Objects.requireNonNull(payload, "payload");
        checkTimeout(timeout);
        return connect(nodeId).flatMap(connection -> connection.request(payload, timeout));
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("a request timeout must be at least 1 ms: " + timeout);
        }
    }

    /**
     * Sends one frame and signals the outcome on the caller's context.
     */
    Completable sendFrame(String nodeId, byte kind, long correlation, Buffer payload) {
        return Completable.create(emitter -> {
            ContextInternal context = context();
            ChannelSender sender = endpoint.senderIfKnown(nodeId);
            if (sender == null) {
                endpoint.sender(nodeId).whenComplete((found, failure) -> {
                    if (failure != null) {
                        context.emit(failure(nodeId, failure), emitter::tryOnError);
                    } else {
                        sendFrame(found, kind, correlation, payload, context, emitter, false);
                    }
                });
                return;
            }
            sendFrame(sender, kind, correlation, payload, context, emitter, false);
        });
    }

    /**
     * Sends one frame from a subscription and signals its outcome on {@code context}.
     *
     * @param windowed whether the frame belongs to a windowed stream, which must wait rather than be refused.
     */
    void sendFrame(ChannelSender sender, byte kind, long correlation, Buffer payload, ContextInternal context,
                   CompletableEmitter emitter, boolean windowed) {
        byte[] frame;
        try {
            checkOpen();
            frame = endpoint.frame(kind, correlation, payload);
        } catch (RuntimeException e) {
            context.emit(e, emitter::tryOnError);
            return;
        }
        String nodeId = sender.nodeId();
        boolean taken = sender.send(frame, failure -> context.runOnContext(v -> {
            if (failure == null) {
                emitter.onComplete();
            } else {
                emitter.tryOnError(failure(nodeId, failure));
            }
        }), windowed);
        if (taken) {
            counters().sent.increment();
        } else {
            counters().backPressured.increment();
            context.emit(new RdmaBackPressureException(nodeId, sender.waitLimit()), emitter::tryOnError);
        }
    }

    /**
     * Sends a request and registers it for its reply.
     */
    Single<RdmaMessage> request(ChannelSender sender, Buffer payload, Duration timeout) {
        return Single.create(emitter -> {
            ContextInternal context = context();
            long correlation = correlations.incrementAndGet();
            String nodeId = sender.nodeId();
            byte[] frame;
            try {
                checkOpen();
                frame = endpoint.frame(ChannelWire.REQUEST, correlation, payload);
            } catch (RuntimeException e) {
                context.emit(e, emitter::tryOnError);
                return;
            }
            PendingRequest request = new PendingRequest(correlation, nodeId, context, emitter, pending, counters());
            request.register();
            request.startTimer(timeout);
            boolean taken = sender.send(frame, failure -> {
                if (failure != null) {
                    request.fail(failure(nodeId, failure));
                }
            }, false);
            if (taken) {
                counters().sent.increment();
                counters().requests.increment();
            } else {
                counters().backPressured.increment();
                request.fail(new RdmaBackPressureException(nodeId, sender.waitLimit()));
            }
            if (closed) {
                request.fail(closedFailure());
            }
        });
    }

    private Throwable failure(String nodeId, Throwable failure) {
        return Failures.of(nodeId, failure, ChannelWire.HEADER_LENGTH);
    }

    private void checkOpen() {
        if (closed) {
            throw closedFailure();
        }
    }

    private RdmaChannelClosedException closedFailure() {
        return new RdmaChannelClosedException("the RdmaChannel of node " + localNodeId() + " is closed");
    }

    // ---------------------------------------------------------------- inbound, on the receive poller

    /** A message or request for the application. */
    void inbound(RdmaMessageImpl message) {
        if (!stream.offer(message)) {
            message.release();
            endpoint.refuse(message.source(), message.isRequest(), message.correlation(),
                "the RdmaChannel on node " + localNodeId() + " is not taking messages");
        }
    }

    /** The answer to one of this node's requests. */
    void answered(RdmaMessageImpl answer, boolean failure) {
        PendingRequest request = pending.get(answer.correlation());
        if (request == null) {
            counters().lateReplies.increment();
            answer.release();
            return;
        }
        if (failure) {
            String reason = answer.text();
            answer.release();
            counters().replies.increment();
            request.fail(new RdmaRemoteFailureException(answer.source(), reason));
        } else {
            request.reply(answer);
        }
    }

    // ---------------------------------------------------------------- the inbound stream

    @Override
    public Flowable<RdmaMessage> messages() {
        return Flowable.defer(() -> {
            CreditedFlowable<RdmaMessage> current = stream;
            if (!subscribed.compareAndSet(null, current)) {
                return Flowable.error(new IllegalStateException(
                    "the RdmaChannel's messages have a subscriber already: one at a time"));
            }
            streamContext = context();
            return current.doFinally(() -> streamEnded(current));
        });
    }

    private CreditedFlowable<RdmaMessage> newStream() {
        AtomicReference<CreditedFlowable<RdmaMessage>> self = new AtomicReference<>();
        CreditedFlowable<RdmaMessage> created = new CreditedFlowable<>(streamCapacity,
            task -> streamContext.emit(task, Runnable::run),
            message -> message.release(),
            failure -> {
                CreditedFlowable<RdmaMessage> failed = self.get();
                if (failed.isCancelled()) {
                    LOG.log(Level.WARNING, "rdmabus: an RdmaChannel subscriber threw; its stream is cancelled",
                        failure);
                    streamEnded(failed);
                } else {
                    LOG.log(Level.WARNING, "rdmabus: releasing an RdmaChannel message failed (released by the "
                        + "subscriber without retain()?)", failure);
                }
            });
        self.set(created);
        return created;
    }

    /** The subscriber went: later messages wait for the next one, in a fresh stream. */
    private void streamEnded(CreditedFlowable<RdmaMessage> ended) {
        if (ended == null) {
            return;
        }
        synchronized (this) {
            if (!closed && stream == ended) {
                stream = newStream();
            }
        }
        subscribed.compareAndSet(ended, null);
    }

    @Override
    public void close() {
        CreditedFlowable<RdmaMessage> last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = stream;
        }
        endpoint.detach(this);
        last.terminate(null);
        RdmaChannelClosedException failure = new RdmaChannelClosedException(
            "the RdmaChannel of node " + localNodeId() + " closed before the reply came");
        for (PendingRequest request : pending.values()) {
            request.fail(failure);
        }
    }
}
