package org.rdmabus.verbs.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running {@link ConformancePeer}, driven by text lines: commands on its standard input, answers on
 * its standard output. Started with the current {@code java} and the test class path; {@link #close()} kills it.
 */
public final class PeerProcess implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private PeerProcess(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "peer-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a peer and waits for it to report ready.
     *
     * @param peerArguments the arguments of {@link ConformancePeer#main(String[])}.
     * @return the running peer.
     * @throws IOException if the JVM cannot start.
     */
    public static PeerProcess start(List<String> peerArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConformancePeer.class.getName());
        command.addAll(peerArguments);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PeerProcess peer = new PeerProcess(process);
        try {
            peer.expect("ready", Duration.ofSeconds(30));
        } catch (RuntimeException | AssertionError e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                answers.add(line);
            }
        } catch (IOException ignored) {
            // The peer was killed; the EOF marker below tells a waiting test.
        }
        answers.add(EOF);
    }

    /**
     * Sends a command and waits for its answer.
     *
     * @param command the command line.
     * @param timeout how long to wait.
     * @return the answer's words, after the echoed command name.
     */
    public String[] ask(String command, Duration timeout) {
        send(command);
        String name = command.split(" ", 2)[0];
        return expect(name, timeout);
    }

    /**
     * Sends a command without waiting; collect its answer with {@link #expect(String, Duration)}.
     *
     * @param command the command line.
     */
    public void send(String command) {
        commands.println(command);
    }

    /**
     * Waits for the next answer, which must start with {@code prefix}.
     *
     * @param prefix  the expected first word.
     * @param timeout how long to wait.
     * @return the answer's words after the prefix.
     */
    public String[] expect(String prefix, Duration timeout) {
        String line;
        try {
            line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the peer", e);
        }
        if (line == null) {
            throw new AssertionError("the peer did not answer '" + prefix + "' within " + timeout);
        }
        if (line.equals(EOF)) {
            throw new AssertionError("the peer exited while we waited for '" + prefix + "'");
        }
        String[] words = line.split(" ");
        if (!words[0].equals(prefix)) {
            throw new AssertionError("the peer answered '" + line + "' instead of '" + prefix + "'");
        }
        String[] rest = new String[words.length - 1];
        System.arraycopy(words, 1, rest, 0, rest.length);
        return rest;
    }

    /** @return the peer's process. */
    public Process process() {
        return process;
    }

    /** Kills the peer at once, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the peer to exit, and kills it if it does not. */
    @Override
    public void close() {
        if (process.isAlive()) {
            commands.println("exit");
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }
}
