package org.rdmabus.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rdmabus function-runtime} explains itself, and bad options get a clear error before anything starts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FunctionRuntimeCommandTest {

    @Test
    void theToolListsIt() {
        CliRun run = CliRun.execute("--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("function-runtime"), run.out());
    }

    @Test
    void helpDescribesTheComparisonAndEveryOptionWithItsDefault() {
        CliRun run = CliRun.execute("function-runtime", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String text : List.of("--invocations", "--warmup", "--time-limit", "(default: 200)", "(default: 50)",
            "(default: 120s)", "warm pool", "classic RDMA", "TCP event bus")) {
            // Picocli wraps the help at 80 columns: compare with the lines joined.
            assertTrue(run.out().replaceAll("\\s+", " ").contains(text),
                "function-runtime --help says '" + text + "':\n" + run.out());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--invocations|0|invocations must be between 1 and 100000",
        "--invocations|100001|invocations must be between 1 and 100000",
        "--warmup|-1|warmup must be between 0 and 100000",
        "--time-limit|0s|the time limit must be between 1 s and 60 min",
        "--time-limit|later|'later' is not a duration"})
    void badOptionsAreRefusedBeforeStartingAnything(String option, String value, String message) {
        CliRun run = CliRun.execute("function-runtime", option, value);
        assertEquals(2, run.exitCode(), "picocli's usage-error code:\n" + run.err());
        assertTrue(run.err().contains(message), "the error says what is wrong:\n" + run.err());
        assertTrue(run.out().isEmpty(), "nothing ran:\n" + run.out());
    }
}
