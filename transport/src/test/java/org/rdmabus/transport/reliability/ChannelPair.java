package org.rdmabus.transport.reliability;

import io.vertx.core.buffer.Buffer;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.SoftNodeChannelFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two started soft-fabric node channels that know each other, without Vert.x: a sender and a receiver that records
 * what it is handed. Closes both.
 */
final class ChannelPair implements AutoCloseable {

    final NodeChannel sender;
    final NodeChannel receiver;
    final String senderId = UUID.randomUUID().toString();
    final String receiverId = UUID.randomUUID().toString();
    final List<Buffer> received = new CopyOnWriteArrayList<>();

    /**
     * @param senderOptions   the sending node's options
     * @param receiverOptions the receiving node's options
     */
    ChannelPair(RdmaEventBusOptions senderOptions, RdmaEventBusOptions receiverOptions) {
        SoftNodeChannelFactory factory = new SoftNodeChannelFactory();
        sender = factory.create(senderOptions);
        receiver = factory.create(receiverOptions);
        sender.onInbound((source, message) -> { });
        receiver.onInbound((source, message) -> received.add(message));
        try {
            sender.start(senderId);
            receiver.start(receiverId);
            sender.advertisementLookup(id -> CompletableFuture.completedFuture(null));
            receiver.advertisementLookup(id -> CompletableFuture.completedFuture(null));
            sender.peerAdvertised(receiverId, receiver.localAdvertisement());
            receiver.peerAdvertised(senderId, sender.localAdvertisement());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends from the sender to the receiver.
     *
     * @param message the message
     * @return whether the channel accepted it
     */
    boolean send(Buffer message) {
        return sender.send(receiverId, message);
    }

    @Override
    public void close() {
        sender.close();
        receiver.close();
    }
}
