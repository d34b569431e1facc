package org.rdmabus.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The second JVM of a two-process benchmark: same {@code java}, same class path, talked to by lines on its
 * standard input and output, and no JVM flag unless the caller names one (rdmabus needs none; Aeron's Agrona does).
 * Closing it waits briefly and then kills it.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    /**
     * Starts the child.
     *
     * @param main the child's main class, on this JVM's class path.
     * @param args its arguments.
     * @throws IOException if it cannot start.
     */
    public ChildJvm(Class<?> main, String... args) throws IOException {
        this(List.of(), main, args);
    }

    /**
     * Starts the child with JVM options of its own. The parent's {@code rdmabus.*} system properties are passed on,
     * so the user's settings apply to both JVMs.
     *
     * @param jvmOptions options placed before the class path, such as heap sizes.
     * @param main       the child's main class, on this JVM's class path.
     * @param args       its arguments.
     * @throws IOException if it cannot start.
     */
    public ChildJvm(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("rdmabus."))
            .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * @return the child's next line.
     * @throws IOException if it exited.
     */
    public String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the child JVM exited");
        }
        return line;
    }

    /** @param line a line for the child's standard input. */
    public void writeLine(String line) {
        in.println(line);
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
