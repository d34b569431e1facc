package org.rdmabus.transport;

/** The channel, or the Vert.x instance under it, was closed before the operation completed. */
public final class RdmaChannelClosedException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was cut short
     */
    public RdmaChannelClosedException(String message) {
        super(message);
    }
}
