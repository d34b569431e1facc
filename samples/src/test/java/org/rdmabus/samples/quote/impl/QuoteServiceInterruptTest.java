package org.rdmabus.samples.quote.impl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.cli.RdmabusCommand;

/**
 * The quote service as a user runs it: {@code rdmabus quote-service} in its own JVM, serving until Ctrl-C. The test
 * calls the gateway like curl would, sees the interval report, then interrupts the launcher (sent to it alone, as
 * in the demo's test), which must print what it gathered and stop its three node JVMs before it exits.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class QuoteServiceInterruptTest {

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;
    private static final int QUOTES = 12;

    /** The launcher's nodes: once it is gone they are no longer this JVM's descendants, so they are kept here. */
    private final List<ProcessHandle> nodes = new ArrayList<>();

    @AfterEach
    void noProcessSurvives() throws Exception {
        List<ProcessHandle> all = new ArrayList<>(ProcessHandle.current().descendants().toList());
        all.addAll(nodes);
        for (ProcessHandle process : all) {
            process.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesCurlLikeCallsReportsThemAndStopsItsNodesOnCtrlC() throws Exception {
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), RdmabusCommand.class.getName(), "quote-service",
            "--port", "0", "--report-every", "1s")
            .redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(), UTF_8));
        StringBuilder seen = new StringBuilder();
        String curl = readUntil(lines, seen, Pattern.compile("^try: +curl '(http://127\\.0\\.0\\.1:\\d+/quote)\\?"));
        nodes.addAll(launcher.toHandle().children().toList());
        assertEquals(3, nodes.size(), "three node JVMs serve:\n" + seen);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 1; i <= QUOTES; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(curl + "?symbol=ACME&qty="
                + i)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
        // The quotes may straddle report intervals: every one is reported once.
        Pattern report = Pattern.compile("^\\[\\d\\d:\\d\\d:\\d\\d\\] (\\d+) quotes, p50 / p99: "
            + "gateway -> pricing \\S+ \\S+ / \\S+ \\S+, pricing -> risk .*, total .*$");
        int reported = 0;
        while (reported < QUOTES) {
            reported += Integer.parseInt(readUntil(lines, seen, report));
        }
        assertEquals(QUOTES, reported, seen.toString());

        int signal = sigintIgnored() ? SIGTERM : SIGINT;
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(launcher.pid())).start().waitFor());
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.append(line).append('\n');
        }
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exits promptly:\n" + seen);
        assertEquals(128 + signal, launcher.exitValue(), "it died of the signal:\n" + seen);
        for (ProcessHandle node : nodes) {
            assertFalse(node.isAlive(), "node " + node.pid() + " was stopped before the launcher exited");
        }
        String text = seen.toString();
        assertTrue(text.contains("interrupted; stopping 3 node JVM(s)"), text);
        assertTrue(text.contains("up to the last report:\nlatency per hop over " + QUOTES + " quotes"), text);
        assertTrue(Pattern.compile("(?m)^total at the gateway +\\S+ \\S+ +\\S+ \\S+ +\\S+ \\S+$").matcher(text).find(),
            text);
    }

    private static String readUntil(BufferedReader lines, StringBuilder seen, Pattern wanted) throws IOException {
        while (true) {
            String line = lines.readLine();
            assertTrue(line != null, "the launcher ended before printing " + wanted + ":\n" + seen);
            seen.append(line).append('\n');
            Matcher match = wanted.matcher(line);
            if (match.find()) {
                return match.groupCount() > 0 ? match.group(1) : line;
            }
        }
    }

    /**
     * A process started in the background of a non-interactive shell ignores SIGINT, and so would the launcher it
     * starts; SIGTERM runs the same shutdown hook then.
     */
    private static boolean sigintIgnored() throws IOException {
        for (String status : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (status.startsWith("SigIgn:")) {
                return new BigInteger(status.substring("SigIgn:".length()).trim(), 16).testBit(SIGINT - 1);
            }
        }
        return false;
    }
}
