package org.rdmabus.transport;

/** A payload larger than {@link RdmaChannel#maxMessageSize()}; refused before anything was sent or allocated. */
public final class RdmaMessageTooLargeException extends RdmaChannelException {
    private static final long serialVersionUID = 1L;
    private final int length;
    private final int limit;

    /**
     * @param length the payload's length
     * @param limit  the largest payload allowed
     */
    public RdmaMessageTooLargeException(int length, int limit) {
        super("a payload of " + length + " bytes exceeds the RdmaChannel limit of " + limit + " bytes (one receive "
            + "buffer): send larger payloads over the event bus, or in pieces");
        this.length = length;
        this.limit = limit;
    }

    /**
     * The refused payload's length.
     *
     * @return bytes
     */
    public int length() {
        return length;
    }

    /**
     * The largest payload allowed.
     *
     * @return bytes
     */
    public int limit() {
        return limit;
    }
}
