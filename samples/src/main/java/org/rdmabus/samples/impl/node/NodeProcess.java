package org.rdmabus.samples.impl.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The launcher's side of one node JVM: sends it commands, waits for its events (see {@link LineProtocol}), and keeps
 * the tail of its stderr to explain a failure.
 */
public final class NodeProcess {

    private static final int STDERR_TAIL_LINES = 30;
    /** Queued after the node's last stdout line: the node closed stdout, i.e. it exited. */
    private static final JsonObject END_OF_OUTPUT = new JsonObject();

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), UTF_8);
        daemon(name + "-stdout", () -> readEvents(process.getInputStream()));
        daemon(name + "-stderr", () -> readStderr(process.getErrorStream()));
    }

    /**
     * @param name    how the launcher names the node in messages.
     * @param process the started node JVM.
     * @return the node's handle, reading its output.
     */
    public static NodeProcess attach(String name, Process process) {
        return new NodeProcess(name, process);
    }

    /** @return how the launcher names the node. */
    public String name() {
        return name;
    }

    /** @return the node JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * @param limit how long to wait at most.
     * @return whether the node exited within the limit.
     */
    public boolean awaitExit(Duration limit) {
        try {
            return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param command a command, see {@link LineProtocol}.
     * @throws SampleException if the node no longer reads commands.
     */
    public void send(JsonObject command) {
        try {
            commands.write(command.encode());
            commands.write('\n');
            commands.flush();
        } catch (IOException e) {
            throw failure("does not take commands any more (" + e.getMessage() + ")");
        }
    }

    /**
     * Waits for an event, handing the progress events that come first to {@code onProgress}.
     *
     * @param event      the event to wait for.
     * @param limit      how long at most.
     * @param onProgress told each progress event.
     * @return the event.
     * @throws SampleException if the node reports an error, exits, sends another event, or is too slow.
     */
    public JsonObject await(String event, Duration limit, Consumer<JsonObject> onProgress) {
        return poll(event, limit, onProgress)
            .orElseThrow(() -> failure("sent no '" + event + "' within " + limit.toSeconds() + " s"));
    }

    /**
     * Like {@link #await}, but a node that is merely slow is not a failure: for waiting on several nodes at once.
     *
     * @param event      the event to wait for.
     * @param limit      how long at most.
     * @param onProgress told each progress event.
     * @return the event, or empty if it did not come within the limit.
     * @throws SampleException if the node reports an error, exits, or sends another event.
     */
    public Optional<JsonObject> poll(String event, Duration limit, Consumer<JsonObject> onProgress) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonObject next;
            try {
                next = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SampleException("interrupted while waiting for " + name, e);
            }
            if (next == null) {
                return Optional.empty();
            }
            if (next == END_OF_OUTPUT) {
                events.add(END_OF_OUTPUT);
                throw failure("exited" + exitCode() + " before sending '" + event + "'");
            }
            String type = next.getString(LineProtocol.EVENT);
            if (event.equals(type)) {
                return Optional.of(next);
            } else if (LineProtocol.PROGRESS.equals(type)) {
                onProgress.accept(next);
            } else if (LineProtocol.ERROR.equals(type)) {
                throw failure("failed: " + next.getString(LineProtocol.MESSAGE));
            } else {
                throw failure("sent '" + type + "' while the launcher waited for '" + event + "': " + next.encode());
            }
        }
    }

    /**
     * @param what what the node did wrong, e.g. {@code "was not ready within 90 s"}.
     * @return an exception naming the node and saying what, with the tail of its stderr.
     */
    public SampleException failure(String what) {
        StringBuilder message = new StringBuilder("node '").append(name).append("' (pid ").append(pid())
            .append(") ").append(what);
        synchronized (stderrTail) {
            if (!stderrTail.isEmpty()) {
                message.append("\n  its last stderr lines:");
                stderrTail.forEach(line -> message.append("\n    ").append(line));
            }
        }
        return new SampleException(message.toString());
    }

    private String exitCode() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return " with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private void readEvents(InputStream stdout) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                try {
                    events.add(new JsonObject(line));
                } catch (DecodeException e) {
                    // The node sends only JSON on stdout; anything else is a library's noise, kept for diagnosis.
                    keepStderr("(stdout) " + line);
                }
            }
        } catch (IOException e) {
            keepStderr("(reading stdout failed: " + e.getMessage() + ")");
        } finally {
            events.add(END_OF_OUTPUT);
        }
    }

    private void readStderr(InputStream stderr) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                keepStderr(line);
            }
        } catch (IOException e) {
            keepStderr("(reading stderr failed: " + e.getMessage() + ")");
        }
    }

    private void keepStderr(String line) {
        synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_TAIL_LINES) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, "rdmabus-node-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
