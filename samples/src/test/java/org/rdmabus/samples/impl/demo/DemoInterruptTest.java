package org.rdmabus.samples.impl.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.samples.cli.RdmabusCommand;

/**
 * Ctrl-C for real: a demo JVM mid-measurement gets SIGINT (sent to it alone, not to its process group, so its nodes
 * do not get it from the terminal), and its shutdown hook must stop both node JVMs.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DemoInterruptTest {

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    /** The demo's nodes: once the demo is gone they are no longer this JVM's descendants, so they are kept here. */
    private final List<ProcessHandle> nodes = new ArrayList<>();

    @AfterEach
    void noProcessSurvives() throws Exception {
        DemoProcesses.killStrayNodes();
        for (ProcessHandle node : nodes) {
            node.destroyForcibly();
            node.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ctrlCStopsTheNodeJvms(@TempDir Path output) throws Exception {
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), RdmabusCommand.class.getName(), "demo",
            "--requests", "5000000", "--warmup", "500", "--fresh-nodes", "1", "--time-limit", "60",
            "--output", output.toString())
            .redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), UTF_8));
        String line;
        do {
            line = lines.readLine();
            assertTrue(line != null, "the demo ended before its warm-up did:\n" + seen);
            seen.append(line).append('\n');
        } while (!line.contains("warm-up: 500 round trips"));
        nodes.addAll(demo.toHandle().children().toList());
        assertEquals(2, nodes.size(), "the demo runs two node JVMs now:\n" + seen);

        int signal = sigintIgnored() ? SIGTERM : SIGINT;
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).start().waitFor());
        for (line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.append(line).append('\n');
        }
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo exits promptly:\n" + seen);
        assertEquals(128 + signal, demo.exitValue(), "it died of the signal:\n" + seen);
        for (ProcessHandle node : nodes) {
            // Not merely dying of the closed pipe later: the demo's hook stopped them before the demo exited.
            assertFalse(node.isAlive(), "node " + node.pid() + " was stopped before the demo exited");
        }
        assertTrue(seen.toString().contains("interrupted; stopping 2 node JVM(s)"), seen.toString());
        assertFalse(seen.toString().contains("report:"), "no report for a run cut short");
    }

    /**
     * A process started in the background of a non-interactive shell ignores SIGINT, and so would the demo it
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
