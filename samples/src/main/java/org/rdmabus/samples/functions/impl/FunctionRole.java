package org.rdmabus.samples.functions.impl;

import java.util.Locale;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.rdmabus.samples.functions.Checkout;
import org.rdmabus.samples.functions.ServiceVerticle;

/** The three node JVMs of a function-runtime run, in the order they start. */
public enum FunctionRole {
    /** The catalog service: prices. */
    CATALOG,
    /** The tax service: rates. */
    TAX,
    /** The function runtime, which invokes the function instances. */
    RUNTIME;

    /** @return the name on the node's command line and in the launcher's messages. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the node runs a service. */
    public boolean isService() {
        return this != RUNTIME;
    }

    /** @return the service's verticle, empty for the runtime. */
    Optional<ServiceVerticle> serviceVerticle() {
        return switch (this) {
            case CATALOG -> Optional.of(ServiceVerticle.catalog());
            case TAX -> Optional.of(ServiceVerticle.tax());
            case RUNTIME -> Optional.empty();
        };
    }

    /** @return the service's model, for its classic responder; empty for the runtime. */
    Optional<LongUnaryOperator> model() {
        return switch (this) {
            case CATALOG -> Optional.of(Checkout::priceCents);
            case TAX -> Optional.of(Checkout::taxBps);
            case RUNTIME -> Optional.empty();
        };
    }

    /**
     * @param argument a name from the node's command line.
     * @return the role.
     * @throws IllegalArgumentException if no role has that name.
     */
    public static FunctionRole fromArgument(String argument) {
        for (FunctionRole role : values()) {
            if (role.argument().equals(argument)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown function-runtime role '" + argument + "'; known: catalog, tax, "
            + "runtime");
    }
}
