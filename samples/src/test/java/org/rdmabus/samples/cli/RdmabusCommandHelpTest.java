package org.rdmabus.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code rdmabus} command line: every subcommand explains itself, and bad options get a clear error. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RdmabusCommandHelpTest {

    @Test
    void topLevelHelpListsEverySubcommand() {
        CliRun run = CliRun.execute("--help");
        assertEquals(0, run.exitCode(), run.out());
        for (String subcommand : List.of("info", "demo", "quote-service", "help")) {
            assertTrue(run.out().contains(subcommand), "the usage lists '" + subcommand + "':\n" + run.out());
        }
    }

    @Test
    void demoHelpDescribesEveryOptionWithItsDefault() {
        CliRun run = CliRun.execute("demo", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String option : List.of("--requests", "--warmup", "--inflight", "--payload", "--fresh-nodes", "--output",
            "--time-limit", "--help")) {
            assertTrue(run.out().contains(option), "demo --help names " + option + ":\n" + run.out());
        }
        assertTrue(run.out().contains("(default: 20000)"), "the defaults are filled in:\n" + run.out());
        assertTrue(run.out().contains("(default: rdmabus-report)"), "the report directory is shown:\n" + run.out());
    }

    @Test
    void infoHelpSaysWhatItProbes() {
        CliRun run = CliRun.execute("info", "--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Probes the RDMA providers"), run.out());
    }

    @Test
    void helpSubcommandShowsTheDemoUsage() {
        CliRun run = CliRun.execute("help", "demo");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("--inflight"), run.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--requests|0|requests must be between 1 and",
        "--inflight|0|inflight must be between 1 and",
        "--payload|-1|payload must be between 0 and",
        "--fresh-nodes|0|fresh-nodes must be between 1 and",
        "--time-limit|0|the time limit must be between 1 s and",
        "--warmup|many|Invalid value for option '--warmup'"})
    void demoRejectsBadOptionsBeforeStartingAnything(String option, String value, String message) {
        CliRun run = CliRun.execute("demo", option, value);
        assertEquals(2, run.exitCode(), "picocli's usage-error code:\n" + run.err());
        assertTrue(run.err().contains(message), "the error says what is wrong:\n" + run.err());
        assertTrue(run.out().isEmpty(), "nothing ran:\n" + run.out());
    }

    @Test
    void quoteServiceHelpDescribesEveryOptionAndTheCurlExample() {
        CliRun run = CliRun.execute("quote-service", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String option : List.of("--port", "--duration", "--self-test", "--warmup", "--report-every", "--help")) {
            assertTrue(run.out().contains(option), "quote-service --help names " + option + ":\n" + run.out());
        }
        assertTrue(run.out().contains("(default: 8080)"), run.out());
        assertTrue(run.out().contains("(default: 5s)"), run.out());
        assertTrue(run.out().contains("curl 'http://127.0.0.1:8080/quote?symbol=ACME&qty=100'"), run.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port|70000|port must be between 0 and 65535",
        "--port|-1|port must be between 0 and 65535",
        "--self-test|-1|self-test must be between 1 and 1000000",
        "--warmup|-1|warmup must be between 0 and",
        "--duration|0s|the duration must be between 1 s and 7 days",
        "--duration|soon|'soon' is not a duration",
        "--report-every|500ms|report-every must be between 1 s and 60 min"})
    void quoteServiceRejectsBadOptionsBeforeStartingAnything(String option, String value, String message) {
        CliRun run = CliRun.execute("quote-service", option, value);
        assertEquals(2, run.exitCode(), "picocli's usage-error code:\n" + run.err());
        assertTrue(run.err().contains(message), "the error says what is wrong:\n" + run.err());
        assertTrue(run.out().isEmpty(), "nothing ran:\n" + run.out());
    }
}
