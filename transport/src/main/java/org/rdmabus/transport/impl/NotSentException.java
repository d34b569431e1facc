package org.rdmabus.transport.impl;

/**
 * The outcome of a message a {@link NodeChannel} accepted but never put on the wire, because the channel to its
 * destination failed first. Nothing of it reached the peer, so it may be sent again on another path: the hook sends
 * such messages over TCP, in their order, before anything else once the destination switches.
 */
public final class NotSentException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause the failure that stopped the channel
     */
    public NotSentException(Throwable cause) {
        super("the channel failed before sending the message: " + cause.getMessage(), cause);
    }
}
