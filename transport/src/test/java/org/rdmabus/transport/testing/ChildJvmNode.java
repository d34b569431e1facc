package org.rdmabus.transport.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterNodeMain} in a child JVM with this JVM's class path. {@link #close()} ends it, forcibly if it does
 * not leave in time, so a failing test never leaves it behind.
 */
public final class ChildJvmNode implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> protocolLines = new LinkedBlockingQueue<>();

    private ChildJvmNode(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child node.
     *
     * @param clusterName   the test cluster to join
     * @param echoAddress   the address the child serves
     * @param parentAddress the address the child calls once
     * @param rdmabus       whether rdmabus runs in the child
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    public static ChildJvmNode start(String clusterName, String echoAddress, String parentAddress, boolean rdmabus) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m",
            "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.phone.home.enabled=false",
            "-cp", System.getProperty("java.class.path")));
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add(1, "-Djava.util.logging.config.file=" + logging);
        }
        command.addAll(List.of(ClusterNodeMain.class.getName(), clusterName, echoAddress, parentAddress, rdmabus ? "on" : "off"));
        return new ChildJvmNode(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Waits for the next protocol line (READY, REPLY, FAILED) of the child.
     *
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError when none comes in time
     */
    public String nextLine(Duration timeout) {
        try {
            String line = protocolLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("the child printed nothing within " + timeout + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("READY ") || line.startsWith("REPLY ") || line.startsWith("FAILED ")) {
                    protocolLines.add(line);
                } else {
                    System.out.println("[child] " + line);
                }
            }
        } catch (IOException e) {
            // The child is gone; nextLine reports it.
        }
    }

    /** Asks the child to leave the cluster and exit; kills it after 20 seconds. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
