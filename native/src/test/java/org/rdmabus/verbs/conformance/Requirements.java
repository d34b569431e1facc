package org.rdmabus.verbs.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * How the verbs tests skip. Only two kinds of skip exist: a test that is <em>not applicable</em> by design (its
 * reason starts with {@link #NOT_APPLICABLE}, and it skips even in a required run), and a test whose environment
 * is missing (no device, no VM role), which skips on a developer's host but fails when
 * {@code -Drdmabus.verbs.required=true} says the environment must be there (the VM runs), so a broken set-up
 * cannot pass by skipping.
 */
public final class Requirements {
    /** System property that turns a missing environment from a skip into a failure. */
    public static final String REQUIRED_PROPERTY = "rdmabus.verbs.required";
    /** How the reason of every by-design skip starts; the VM scripts count skips by it. */
    public static final String NOT_APPLICABLE = "not applicable";
    /** How the reason of a skip starts when the device has RC but no DC transport. */
    public static final String NOT_APPLICABLE_ON_RC_ONLY = NOT_APPLICABLE + " on RC-only devices: ";

    private Requirements() {
    }

    /** @return whether this run requires the verbs environment ({@value #REQUIRED_PROPERTY}). */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRED_PROPERTY);
    }

    /**
     * Skips the calling test unless {@code present}; in a required run, fails it instead.
     *
     * @param present whether the environment the test needs is there.
     * @param missing what is missing, for the report.
     */
    public static void assumePresent(boolean present, Supplier<String> missing) {
        if (required()) {
            assertTrue(present, () -> missing.get() + " (required: -D" + REQUIRED_PROPERTY + "=true)");
        }
        Assumptions.assumeTrue(present, missing);
    }

    /**
     * Skips the calling test because it cannot exist on this device, even in a required run.
     *
     * @param why what the test needs that an RC-only device lacks.
     */
    public static void notApplicableOnRcOnlyDevices(String why) {
        Assumptions.abort(NOT_APPLICABLE_ON_RC_ONLY + why);
    }

    /**
     * Skips the calling test because the provider under test cannot do what it needs, even in a required run.
     *
     * @param provider the provider's name.
     * @param why      what the provider cannot do, and where else the behaviour is covered.
     */
    public static void notApplicableToProvider(String provider, String why) {
        Assumptions.abort(NOT_APPLICABLE + " to the " + provider + " provider: " + why);
    }
}
