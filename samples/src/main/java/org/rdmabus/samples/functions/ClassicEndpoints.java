package org.rdmabus.samples.functions;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a {@link ClassicCheckoutFunction} exchanges queue-pair addresses with each service: the TCP endpoint of the
 * service's responder, on loopback.
 *
 * @param catalog the catalog's exchange endpoint.
 * @param tax     the tax service's exchange endpoint.
 */
public record ClassicEndpoints(InetSocketAddress catalog, InetSocketAddress tax) {

    /**
     * @throws IllegalArgumentException if an endpoint is not on loopback: the sample sends nothing else anywhere.
     */
    public ClassicEndpoints {
        requireLoopback(Objects.requireNonNull(catalog, "catalog"));
        requireLoopback(Objects.requireNonNull(tax, "tax"));
    }

    private static void requireLoopback(InetSocketAddress endpoint) {
        if (endpoint.isUnresolved() || !endpoint.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("an exchange endpoint must be on loopback, not " + endpoint);
        }
    }
}
