package org.rdmabus.transport.testing;

import io.vertx.core.VertxOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Upper bounds of test waits, stretched on slow machines. Under the Soft-RoCE VM's TCG emulation
 * ({@code native/src/test/vm}) JVM work runs 12-16 times slower than on the host, so a start-up wait that is
 * generous here is too short there. The factor comes from {@code -Drdmabus.test.timeScale} (default 1), and child
 * JVMs started by {@link ChildJvmProcess} get the same one.
 *
 * <p>Only waits for something that should happen are stretched (a node starting, a command being answered), never a
 * bound that a test asserts as behaviour (a request timeout that must fire, a failure that must come fast).
 */
public final class TestTimes {

    /** The system property that holds the factor. */
    public static final String PROPERTY = "rdmabus.test.timeScale";

    private TestTimes() {
    }

    /**
     * A wait's bound, stretched by the factor in force.
     *
     * @param bound the bound on the host
     * @return the bound here
     */
    public static Duration scaled(Duration bound) {
        return Duration.ofMillis(Math.round(bound.toMillis() * factor()));
    }

    /**
     * The factor in force.
     *
     * @return at least 1
     * @throws IllegalArgumentException when the property is not a number
     */
    public static double factor() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return 1;
        }
        // Never shorten a wait: a factor below 1 would make tests flaky, not faster.
        return Math.max(1, Double.parseDouble(value.trim()));
    }

    /**
     * Stretches Vert.x's blocked-thread limits by the factor: under emulation a node's start-up alone holds an event
     * loop or a worker past them, and the checker then prints a stack trace every second, which slows the run
     * further. Only warnings depend on these limits.
     *
     * @param options the options of a node
     * @return the same options
     */
    public static VertxOptions stretchBlockedThreadLimits(VertxOptions options) {
        return options.setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
            .setMaxEventLoopExecuteTime(scaled(Duration.ofSeconds(2)).toMillis())
            .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
            .setMaxWorkerExecuteTime(scaled(Duration.ofSeconds(60)).toMillis())
            .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
            .setWarningExceptionTime(scaled(Duration.ofSeconds(5)).toMillis());
    }

    /**
     * The JVM option that passes the factor on to a child JVM.
     *
     * @return the option, or {@code null} when no factor is set
     */
    static String jvmOption() {
        String value = System.getProperty(PROPERTY);
        return value == null ? null : "-D" + PROPERTY + "=" + value;
    }
}
