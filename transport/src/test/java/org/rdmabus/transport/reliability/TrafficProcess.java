package org.rdmabus.transport.reliability;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TrafficNodeMain} in a child JVM, with this JVM's class path, the JVM flags rdmabus needs, a bounded heap
 * and direct memory, and the test's soft-fabric directory. {@link #close()} ends it (forcibly if it does not leave in
 * time), so a failing test never leaves it behind; {@link #kill()} is {@code kill -9}.
 */
final class TrafficProcess implements AutoCloseable {

  private static final List<String> PROTOCOL = List.of("READY", "STARTED", "DONE", "PROBED", "EXPLAINED", "STATS", "LEFT", "UNKNOWN");

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private volatile String nodeId;

  private TrafficProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "traffic-" + name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a child node; {@link #awaitReady} waits for it to join.
   *
   * @param clusterName     the Hazelcast cluster to join
   * @param name            the node's name
   * @param echoDelayMillis how long its echo waits before answering
   * @param directory       the soft fabric's directory
   * @param extraJvmOptions more JVM options, e.g. system properties
   * @return the running child
   */
  static TrafficProcess start(String clusterName, String name, long echoDelayMillis, SoftFabricDirectory directory, String... extraJvmOptions) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx192m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false", directory.jvmOption()));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(List.of(extraJvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrafficNodeMain.class.getName(), clusterName, name, Long.toString(echoDelayMillis)));
    try {
      return new TrafficProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the node's name */
  String name() {
    return name;
  }

  /** @return the child's process id */
  long pid() {
    return process.pid();
  }

  /** @return the node's cluster id, once {@link #awaitReady} returned */
  String nodeId() {
    return nodeId;
  }

  /** @return whether the process still runs */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the node has joined the cluster and serves.
   *
   * @param timeout how long to wait
   * @return this
   */
  TrafficProcess awaitReady(Duration timeout) {
    String ready = await("READY", timeout);
    nodeId = ready.split(" ")[1];
    return this;
  }

  /**
   * Sends one command.
   *
   * @param line the command
   */
  void send(String line) {
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
  String ask(String line, String answer, Duration timeout) {
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
  JsonObject askJson(String line, String answer, Duration timeout) {
    return new JsonObject(ask(line, answer, timeout));
  }

  /**
   * Waits for the next protocol line that starts with a word; earlier lines of other kinds are dropped.
   *
   * @param word    the first word
   * @param timeout how long to wait
   * @return the whole line
   */
  String await(String word, Duration timeout) {
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
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the node to leave and exit (closes its stdin); kills it after 20 seconds. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // Gone already.
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
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
        String word = line.split(" ", 2)[0];
        if (PROTOCOL.contains(word)) {
          lines.add(line);
        } else {
          System.out.println("[" + name + "] " + line);
        }
      }
    } catch (IOException e) {
      // The child is gone; await reports it.
    }
  }
}
