package org.rdmabus.samples.ticker.impl;

import java.util.Locale;

/** What a ticker node JVM does. */
public enum TickerRole {
    /** Publishes the ticks. */
    PUBLISHER,
    /** Subscribes and keeps up: checks every tick. */
    FAST,
    /** Subscribes and works a while on each tick, so that it falls behind. */
    SLOW;

    /** @return the name on the node's command line. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether the node subscribes. */
    public boolean subscribes() {
        return this != PUBLISHER;
    }

    /**
     * @param argument a name from the node's command line.
     * @return the role.
     * @throws IllegalArgumentException if no role has that name.
     */
    public static TickerRole fromArgument(String argument) {
        for (TickerRole role : values()) {
            if (role.argument().equals(argument)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown ticker role '" + argument + "'; known: publisher, fast, slow");
    }
}
