package org.rdmabus.verbs.rdma.impl;

import java.util.Optional;

/**
 * Tells whether a failed trial registration is explained by the locked-memory limit, which is the usual
 * reason a non-root process cannot register memory.
 */
public final class MemlockCheck {
    /** Bytes the probe registers to find out whether registration works at all. */
    public static final int TRIAL_BYTES = 1 << 20;

    private MemlockCheck() {
    }

    /**
     * @param limitBytes        {@code RLIMIT_MEMLOCK}'s soft limit, or -1 when unlimited.
     * @param registrationError the trial registration's error, or {@code null} when it worked.
     * @return a description of the memlock problem and its fix, or empty when registration works or the
     *     failure has another cause.
     */
    public static Optional<String> problem(long limitBytes, String registrationError) {
        if (registrationError == null || limitBytes < 0) {
            return Optional.empty();
        }
        return Optional.of("registering " + (TRIAL_BYTES >> 10) + " KiB failed (" + registrationError
            + ") under a locked-memory limit of " + describe(limitBytes) + "; raise it: ulimit -l unlimited,"
            + " LimitMEMLOCK=infinity for a systemd service, or a memlock line in /etc/security/limits.conf");
    }

    /**
     * @param limitBytes the limit, or -1.
     * @return the limit for people.
     */
    public static String describe(long limitBytes) {
        if (limitBytes < 0) {
            return "unlimited";
        }
        return limitBytes >= 1 << 20 ? (limitBytes >> 20) + " MiB" : (limitBytes >> 10) + " KiB";
    }
}
