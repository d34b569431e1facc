package org.rdmabus.transport.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test node's {@code main} in a child JVM, driven by a line protocol: commands on its stdin, answers on its
 * stdout, each answer starting with a protocol word. It runs with this JVM's class path (and its {@code java} unless
 * told otherwise), a bounded heap and direct memory, the test's soft-fabric directory and its {@link TestTimes}
 * factor, and no {@code --add-exports} or {@code --add-opens}: rdmabus needs none. Output lines that are not protocol
 * answers (stderr included) are echoed, prefixed with the node's name, and kept for {@link #output()}.
 * {@link #close()} ends it (forcibly if it does not leave in time), so a failing test never leaves it behind;
 * {@link #kill()} is {@code kill -9}.
 */
public final class ChildJvmProcess implements AutoCloseable {

    private static final Duration LEAVE_TIMEOUT = TestTimes.scaled(Duration.ofSeconds(20));
    /** {@link #output()} keeps the first lines only, so a chatty long-running child cannot fill this JVM's heap. */
    private static final int KEPT_LINES = 2000;

    private final String name;
    private final Set<String> protocolWords;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private ChildJvmProcess(String name, Set<String> protocolWords, Process process) {
        this.name = name;
        this.protocolWords = protocolWords;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "child-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child JVM.
     *
     * @param name            the node's name, for messages
     * @param mainClass       the class whose {@code main} runs
     * @param arguments       the arguments of {@code main}
     * @param protocolWords   the first words of the lines that answer commands
     * @param directory       the soft fabric's directory
     * @param extraJvmOptions more JVM options, e.g. system properties
     * @return the running child
     */
    public static ChildJvmProcess start(String name, Class<?> mainClass, List<String> arguments, Set<String> protocolWords,
                                                                            SoftFabricDirectory directory, String... extraJvmOptions) {
        return start(Paths.get(System.getProperty("java.home"), "bin", "java"), name, mainClass, arguments, protocolWords,
            directory, extraJvmOptions);
    }

    /**
     * Starts a child JVM with another {@code java}, e.g. a newer JDK's.
     *
     * @param java            the {@code java} executable
     * @param name            the node's name, for messages
     * @param mainClass       the class whose {@code main} runs
     * @param arguments       the arguments of {@code main}
     * @param protocolWords   the first words of the lines that answer commands
     * @param directory       the soft fabric's directory
     * @param extraJvmOptions more JVM options, e.g. system properties
     * @return the running child
     */
    public static ChildJvmProcess start(Path java, String name, Class<?> mainClass, List<String> arguments,
                                        Set<String> protocolWords, SoftFabricDirectory directory, String... extraJvmOptions) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx192m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
            "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false", directory.jvmOption()));
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging);
        }
        String timeScale = TestTimes.jvmOption();
        if (timeScale != null) {
            command.add(timeScale);
        }
        command.addAll(List.of(extraJvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        try {
            return new ChildJvmProcess(name, Set.copyOf(protocolWords), new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the node's name */
    public String name() {
        return name;
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return the first {@value #KEPT_LINES} lines it printed, stdout and stderr, that were not protocol answers */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** @return whether the process still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends one command.
     *
     * @param line the command
     */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("node " + name + " does not take commands any more (" + describeExit() + ")", e);
        }
    }

    /**
     * Sends a command and waits for its answer.
     *
     * @param line    the command
     * @param answer  the first word of the answer
     * @param timeout how long to wait
     * @return the answer after its first word
     */
    public String ask(String line, String answer, Duration timeout) {
        send(line);
        String reply = await(answer, timeout);
        return reply.length() > answer.length() ? reply.substring(answer.length() + 1) : "";
    }

    /**
     * Sends a command whose answer is JSON and parses it.
     *
     * @param line    the command
     * @param answer  the first word of the answer
     * @param timeout how long to wait
     * @return the answer
     */
    public JsonObject askJson(String line, String answer, Duration timeout) {
        return new JsonObject(ask(line, answer, timeout));
    }

    /**
     * Waits for the next protocol line that starts with a word; earlier lines of other kinds are dropped.
     *
     * @param word    the first word
     * @param timeout how long to wait
     * @return the whole line
     */
    public String await(String word, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("node " + name + " did not answer " + word + " within " + timeout + " (" + describeExit() + ")");
                }
                if (line.equals(word) || line.startsWith(word + " ")) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code kill -9}: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the node to leave and exit (closes its stdin) without waiting, so that several children leave at once;
     * {@link #close()} then waits.
     */
    public void leave() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Gone already.
        }
    }

    /** Asks the node to leave and exit; kills it after 20 seconds. */
    @Override
    public void close() {
        leave();
        try {
            if (!process.waitFor(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String describeExit() {
        return process.isAlive() ? "still running" : "exited with " + process.exitValue();
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (protocolWords.contains(line.split(" ", 2)[0])) {
                    lines.add(line);
                } else {
                    if (output.size() < KEPT_LINES) {
                        output.add(line);
                    }
                    System.out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The child is gone; await reports it.
        }
    }
}
