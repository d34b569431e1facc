package org.rdmabus.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rdmabus ticker} explains itself, and bad options get a clear error before anything starts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TickerCommandTest {

    @Test
    void theToolListsIt() {
        CliRun run = CliRun.execute("--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("ticker"), run.out());
    }

    @Test
    void helpDescribesEveryOptionWithItsDefault() {
        CliRun run = CliRun.execute("ticker", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String text : List.of("--subscribers", "--rate", "--duration", "--slow-work", "--buffer",
            "(default: 3)", "(default: 2000)", "(default: 10s)", "(default: 10ms)", "(default: 1000)", "Flowable")) {
            // Picocli wraps the help at 80 columns: compare with the lines joined.
            assertTrue(run.out().replaceAll("\\s+", " ").contains(text),
                "ticker --help says '" + text + "':\n" + run.out());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--subscribers|1|subscribers must be between 2 and 8",
        "--subscribers|9|subscribers must be between 2 and 8",
        "--rate|0|rate must be between 1 and 100000",
        "--duration|0s|the duration must be between 1 s and 10 min",
        "--slow-work|0ms|slow-work must be between 1 us and 1 s",
        "--buffer|0|buffer must be between 1 and 1000000",
        "--rate|fast|Invalid value for option '--rate'"})
    void badOptionsAreRefusedBeforeStartingAnything(String option, String value, String message) {
        CliRun run = CliRun.execute("ticker", option, value);
        assertEquals(2, run.exitCode(), "picocli's usage-error code:\n" + run.err());
        assertTrue(run.err().contains(message), "the error says what is wrong:\n" + run.err());
        assertTrue(run.out().isEmpty(), "nothing ran:\n" + run.out());
    }
}
