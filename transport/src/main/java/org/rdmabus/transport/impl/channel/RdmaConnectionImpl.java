package org.rdmabus.transport.impl.channel;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Objects;
import org.reactivestreams.Publisher;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaMessage;

/** A channel's virtual connection to one peer: a handle on the peer's {@link ChannelSender}. */
final class RdmaConnectionImpl implements RdmaConnection {
    /**
     * Sends {@link #sendAll} keeps in flight: enough to cover the credits of a peer and the round trip of their
     * return; also what one stream may add to the sender's queue beyond its wait limit.
     */
    private static final int SEND_ALL_WINDOW = 64;

    private final RdmaChannelImpl channel;
    private final ChannelSender sender;

    RdmaConnectionImpl(RdmaChannelImpl channel, ChannelSender sender) {
        this.channel = channel;
        this.sender = sender;
    }

    @Override
    public String nodeId() {
        return sender.nodeId();
    }

    @Override
    public boolean isWritable() {
        return sender.isWritable();
    }

    @Override
    public Completable send(Buffer payload) {
        Objects.requireNonNull(payload, "payload");
        return Completable.create(emitter -> channel.sendFrame(sender, ChannelWire.SEND, 0, payload,
            channel.context(), emitter, false));
    }

    @Override
    public Completable sendAll(Publisher<Buffer> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        return Flowable.fromPublisher(payloads).flatMapCompletable(payload -> Completable.create(emitter ->
            channel.sendFrame(sender, ChannelWire.SEND, 0, payload, channel.context(), emitter, true)),
            false, SEND_ALL_WINDOW);
    }

    @Override
    public Single<RdmaMessage> request(Buffer payload) {
        return request(payload, RdmaChannel.DEFAULT_REQUEST_TIMEOUT);
    }

    @Override
    public Single<RdmaMessage> request(Buffer payload, Duration timeout) {
        Objects.requireNonNull(payload, "payload");
        RdmaChannelImpl.checkTimeout(timeout);
        return channel.request(sender, payload, timeout);
    }

    @Override
    public String toString() {
        return "RdmaConnection{node=" + nodeId() + '}';
    }
}
