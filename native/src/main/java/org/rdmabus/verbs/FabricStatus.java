package org.rdmabus.verbs;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Fabric#probe()} found: whether the provider works here and, if not, why.
 *
 * @param provider  the provider's name.
 * @param available whether {@link Fabric#open(NicOptions)} is expected to succeed.
 * @param reason    why not, or {@code null} when available.
 * @param detail    a human-readable explanation that says what to do; never {@code null}.
 * @param devices   the devices the provider can see, with their capabilities, one line each.
 */
public record FabricStatus(String provider, boolean available, UnavailableReason reason, String detail,
                           List<String> devices) {

    /** Validates and copies the record's fields. */
    public FabricStatus {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(detail, "detail");
        devices = List.copyOf(devices);
        if (available != (reason == null)) {
            throw new IllegalArgumentException("a reason is given exactly when the provider is unavailable");
        }
    }

    /**
     * @param provider the provider's name.
     * @param detail   what was found.
     * @param devices  the devices seen.
     * @return a status saying the provider works.
     */
    public static FabricStatus available(String provider, String detail, List<String> devices) {
        return new FabricStatus(provider, true, null, detail, devices);
    }

    /**
     * @param provider the provider's name.
     * @param reason   the cause.
     * @param detail   what was found and what to do about it.
     * @return a status saying the provider does not work here.
     */
    public static FabricStatus unavailable(String provider, UnavailableReason reason, String detail) {
        return new FabricStatus(provider, false, Objects.requireNonNull(reason, "reason"), detail, List.of());
    }
}
