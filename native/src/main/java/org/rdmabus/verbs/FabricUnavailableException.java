package org.rdmabus.verbs;

/** A provider cannot open a NIC on this host. The {@link #reason()} names the cause. */
public final class FabricUnavailableException extends VerbsException {
    private static final long serialVersionUID = 1L;
    private final String provider;
    private final UnavailableReason reason;

    /**
     * @param provider the provider's name.
     * @param reason   the cause.
     * @param message  what was found and what to do about it.
     */
    public FabricUnavailableException(String provider, UnavailableReason reason, String message) {
        super(provider + ": " + reason + ": " + message);
        this.provider = provider;
        this.reason = reason;
    }

    /**
     * @param status an unavailable status from {@link Fabric#probe()}.
     * @return an exception carrying the status's reason and detail.
     */
    public static FabricUnavailableException of(FabricStatus status) {
        if (status.available()) {
            throw new IllegalArgumentException("status is available: " + status);
        }
        return new FabricUnavailableException(status.provider(), status.reason(), status.detail());
    }

    /** @return the provider's name. */
    public String provider() {
        return provider;
    }

    /** @return the cause. */
    public UnavailableReason reason() {
        return reason;
    }
}
