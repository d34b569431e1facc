package org.rdmabus.transport.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.EventBusImpl;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;

/** Raw frames in Vert.x's wire encoding, for tests that feed a channel directly. */
public final class Frames {

    private Frames() {
    }

    /**
     * A point-to-point string message, as the node {@code senderNodeId} would encode it.
     *
     * @param bus          an event bus to encode with
     * @param senderNodeId the node the message claims to come from (replies go there)
     * @param address      the destination address
     * @param replyAddress the reply address, or {@code null}
     * @param body         the body
     * @return the frame, with its 4-byte length prefix
     */
    public static Buffer send(EventBus bus, String senderNodeId, String address, String replyAddress, String body) {
        return encode(bus, senderNodeId, address, replyAddress, body, CodecManager.STRING_MESSAGE_CODEC);
    }

    /**
     * A connection-level ping, which must never reach a handler.
     *
     * @param bus          an event bus to encode with
     * @param senderNodeId the claimed sender
     * @param address      the address it names
     * @return the frame, with its 4-byte length prefix
     */
    public static Buffer ping(EventBus bus, String senderNodeId, String address) {
        return encode(bus, senderNodeId, address, null, null, CodecManager.PING_MESSAGE_CODEC);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Buffer encode(EventBus bus, String sender, String address, String replyAddress, String body, MessageCodec codec) {
        ClusteredMessage message = new ClusteredMessage(sender, address, MultiMap.caseInsensitiveMultiMap(), body, codec, true, (EventBusImpl) bus);
        message.setReplyAddress(replyAddress);
        return message.encodeToWire();
    }
}
