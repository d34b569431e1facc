package org.rdmabus.transport;

/** No {@link RdmaChannel} can be opened on this Vert.x instance; the message says why. */
public final class RdmaChannelUnavailableException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason why, for example that rdmabus stayed on TCP
     */
    public RdmaChannelUnavailableException(String reason) {
        super(reason);
    }
}
