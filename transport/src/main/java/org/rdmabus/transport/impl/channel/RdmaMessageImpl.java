package org.rdmabus.transport.impl.channel;

import io.reactivex.rxjava3.core.Completable;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.agrona.DirectBuffer;
import org.rdmabus.pool.ReceivedMessage;
import org.rdmabus.transport.RdmaMessage;

/**
 * A received message that is still its receive buffer. The last {@link #release()} gives the buffer back to the pool,
 * which reposts it and returns the sender's credit.
 */
final class RdmaMessageImpl implements RdmaMessage {
    private static final AtomicIntegerFieldUpdater<RdmaMessageImpl> REFERENCES =
        AtomicIntegerFieldUpdater.newUpdater(RdmaMessageImpl.class, "references");

    private final ChannelEndpoint endpoint;
    private final String source;
    private final DirectBuffer buffer;
    private final int offset;
    private final int length;
    private final ReceivedMessage lease;
    private final long correlation;
    private final boolean request;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile int references = 1;

    /**
     * @param endpoint    the node's channel endpoint: sends answers, counts messages held.
     * @param source      the sender.
     * @param buffer      the receive region.
     * @param offset      where the payload starts in it.
     * @param length      the payload's length.
     * @param lease       the pool's loan of the buffer.
     * @param correlation the request's id, 0 for a one-way message.
     * @param request     whether the sender waits for an answer.
     */
    RdmaMessageImpl(ChannelEndpoint endpoint, String source, DirectBuffer buffer, int offset, int length,
                    ReceivedMessage lease, long correlation, boolean request) {
        this.endpoint = endpoint;
        this.source = source;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.lease = lease;
        this.correlation = correlation;
        this.request = request;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public boolean isRequest() {
        return request;
    }

    @Override
    public int length() {
        return length;
    }

    /** @return the id of the request this message is, or answers. */
    long correlation() {
        return correlation;
    }

    @Override
    public ByteBuffer content() {
        ensureLive();
        ByteBuffer region = buffer.byteBuffer();
        if (region == null) {
            // A region the provider registered by address only: no view can be made without native code.
            return ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
        }
        return region.slice(buffer.wrapAdjustment() + offset, length).asReadOnlyBuffer();
    }

    @Override
    public byte[] bytes() {
        ensureLive();
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return copy;
    }

    @Override
    public Buffer buffer() {
        return Buffer.buffer(bytes());
    }

    /** @return the payload as text, for a failure's reason. */
    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    @Override
    public Completable reply(Buffer payload) {
        return Completable.defer(() -> answer() ? endpoint.answer(source, ChannelWire.REPLY, correlation, payload)
            : Completable.error(notAnswerable()));
    }

    @Override
    public Completable fail(String reason) {
        return Completable.defer(() -> answer() ? endpoint.answer(source, ChannelWire.FAILURE, correlation,
            endpoint.reasonPayload(reason)) : Completable.error(notAnswerable()));
    }

    private boolean answer() {
        return request && answered.compareAndSet(false, true);
    }

    private IllegalStateException notAnswerable() {
        return new IllegalStateException(request ? "this request was answered already"
            : "this message is no request: there is nobody to answer");
    }

    @Override
    public RdmaMessage retain() {
        while (true) {
            int current = references;
            if (current == 0) {
                throw released();
            }
            if (REFERENCES.compareAndSet(this, current, current + 1)) {
                return this;
            }
        }
    }

    @Override
    public boolean release() {
        while (true) {
            int current = references;
            if (current == 0) {
                throw released();
            }
            if (REFERENCES.compareAndSet(this, current, current - 1)) {
                if (current == 1) {
                    lease.release();
                    endpoint.messageReleased();
                    return true;
                }
                return false;
            }
        }
    }

    @Override
    public int refCnt() {
        return references;
    }

    private void ensureLive() {
        if (references == 0) {
            throw released();
        }
    }

    private IllegalStateException released() {
        return new IllegalStateException("the message from node '" + source + "' has been released: retain() it to "
            + "keep it past the callback that received it");
    }

    @Override
    public String toString() {
        return "RdmaMessage{source=" + source + ", length=" + length + (request ? ", request" : "")
            + ", refCnt=" + references + '}';
    }
}
