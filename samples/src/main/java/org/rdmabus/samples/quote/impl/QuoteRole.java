package org.rdmabus.samples.quote.impl;

import java.util.Locale;
import java.util.Optional;
import org.rdmabus.samples.quote.PricingVerticle;
import org.rdmabus.samples.quote.RiskVerticle;

/** The three services of the quote chain, one per node JVM, in the order they start. */
public enum QuoteRole {
    /** The risk service, which calls nobody. */
    RISK(null),
    /** The pricing service, which calls risk. */
    PRICING(RiskVerticle.ADDRESS),
    /** The HTTP gateway, which calls pricing. */
    GATEWAY(PricingVerticle.ADDRESS);

    private final String downstream;

    QuoteRole(String downstream) {
        this.downstream = downstream;
    }

    /** @return the name on the node's command line and in the launcher's messages. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the address the service calls, which must be reachable before it reports ready. */
    public Optional<String> downstream() {
        return Optional.ofNullable(downstream);
    }

    /**
     * @param argument a name from the node's command line.
     * @return the role.
     * @throws IllegalArgumentException if no role has that name.
     */
    public static QuoteRole fromArgument(String argument) {
        for (QuoteRole role : values()) {
            if (role.argument().equals(argument)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown quote-service role '" + argument + "'; known: risk, pricing, "
            + "gateway");
    }
}
