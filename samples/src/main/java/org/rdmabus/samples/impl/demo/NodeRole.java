package org.rdmabus.samples.impl.demo;

import java.util.Locale;

/** What a demo node JVM does. */
public enum NodeRole {
    /** Sends the requests and times them. */
    REQUESTER,
    /** Answers the requests, and hosts the fresh nodes for the first-contact measurement. */
    RESPONDER;

    /** @return the name on the node's command line. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param argument a name from the node's command line.
     * @return the role.
     * @throws IllegalArgumentException if no role has that name.
     */
    public static NodeRole fromArgument(String argument) {
        for (NodeRole role : values()) {
            if (role.argument().equals(argument)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown node role '" + argument + "'; known: requester, responder");
    }
}
