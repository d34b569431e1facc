package org.rdmabus.transport;

import io.reactivex.rxjava3.core.Completable;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * A message received by an {@link RdmaChannel}: a one-way message or a request from {@link RdmaChannel#messages()},
 * or the reply to {@link RdmaChannel#request}.
 *
 * <h2>Zero copy and release</h2>
 * The message is the receive buffer the fabric wrote it into, lent to the application: {@link #content()} reads it
 * in place. The buffer, and the sender's credit to send one more message to this node, come back only when the
 * message is released. Reference counting follows Netty: a message starts with one reference, which rdmabus gives
 * up itself once the callback that received it ({@code onNext}, {@code onSuccess}) returns. To keep a message
 * longer, for example to hand it to another thread or operator, call {@link #retain()} inside the callback and
 * {@link #release()} when done. Messages held this way are real back-pressure: a node that holds all the credits
 * of a sender stops that sender, for {@code RdmaChannel} and event-bus traffic alike.
 * <p>
 * Reading the content after the last release fails with {@link IllegalStateException}; a {@link ByteBuffer} view
 * obtained earlier must not be read after it either (it would see the next message written into the buffer).
 */
public interface RdmaMessage {

    /**
     * The sender.
     *
     * @return the cluster node id of the node that sent this message
     */
    String source();

    /**
     * Whether the sender waits for an answer.
     *
     * @return {@code true} for a request: answer it with {@link #reply} or {@link #fail}
     */
    boolean isRequest();

    /**
     * The payload's size.
     *
     * @return the payload's length in bytes
     */
    int length();

    /**
     * The payload, in place in the receive buffer, without a copy.
     *
     * @return a new read-only view of the payload (position 0, limit {@link #length()}, big-endian), valid until the
     *     message is released
     * @throws IllegalStateException if the message has been released
     */
    ByteBuffer content();

    /**
     * A copy of the payload, which outlives the message.
     *
     * @return the payload's bytes
     * @throws IllegalStateException if the message has been released
     */
    byte[] bytes();

    /**
     * A copy of the payload as a Vert.x buffer, which outlives the message.
     *
     * @return the payload
     * @throws IllegalStateException if the message has been released
     */
    Buffer buffer();

    /**
     * Answers a request. Allowed after the message was released; the answer needs only the sender and the request's
     * id. Cold: nothing is sent until subscription, and a request is answered at most once.
     *
     * @param payload the reply, at most {@link RdmaChannel#maxMessageSize()} bytes
     * @return completes on a Vert.x context once the reply is in the requester's receive queue; fails with
     *     {@link IllegalStateException} if this is no request or it was answered already, or with an
     *     {@link RdmaChannelException} subtype
     */
    Completable reply(Buffer payload);

    /**
     * Fails a request: the requester's {@code request} fails with {@link RdmaRemoteFailureException}.
     *
     * @param reason why, shown to the requester; truncated to fit one message
     * @return as for {@link #reply}
     */
    Completable fail(String reason);

    /**
     * Takes one more reference, so that the message outlives the callback that received it.
     *
     * @return this message
     * @throws IllegalStateException if the message has been released
     */
    RdmaMessage retain();

    /**
     * Gives back one reference; the last one returns the receive buffer to the fabric and the credit to the sender.
     *
     * @return {@code true} if this was the last reference
     * @throws IllegalStateException if the message has been released already
     */
    boolean release();

    /**
     * The references held.
     *
     * @return the reference count, 0 once released
     */
    int refCnt();
}
