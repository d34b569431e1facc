package org.rdmabus.samples.impl.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The command line of a scenario's JVM: this JVM's {@code java} and class path (absolute, so the command works from
 * any directory), the export DiSNI needs for the {@code rdma-connect} scenario, this JVM's {@code rdmabus.*} system
 * properties, then {@code org.rdmabus.bench.BenchMain <scenario> <options>}. The same text goes into the report, so a
 * reader can run one scenario again by hand.
 */
public final class ScenarioCommand {
    /** The main class of {@code rdmabus-bench}, which the CLI's jar carries. */
    public static final String BENCH_MAIN = "org.rdmabus.bench.BenchMain";

    /** DiSNI 2.1 reads direct buffers' addresses through sun.nio.ch; rdmabus itself needs no export. */
    private static final List<String> EXPORTS = List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private final String java;
    private final String classPath;
    private final Map<String, String> properties;

    /**
     * @param java       the {@code java} executable.
     * @param classPath  a class path holding {@link #BENCH_MAIN} and its dependencies.
     * @param properties system properties every scenario gets.
     */
    public ScenarioCommand(String java, String classPath, Map<String, String> properties) {
        this.java = java;
        this.classPath = classPath;
        this.properties = new TreeMap<>(properties);
    }

    /** @return the command of this JVM: its {@code java}, its class path, its {@code rdmabus.*} properties. */
    public static ScenarioCommand ofCurrentJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .toList());
        Map<String, String> forwarded = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("rdmabus."))
            .forEach(name -> forwarded.put(name, System.getProperty(name)));
        return new ScenarioCommand(java, classPath, forwarded);
    }

    /**
     * @param scenario the scenario.
     * @param profile  which of its option sets.
     * @return the command that runs it, one argument per element.
     */
    public List<String> of(Scenario scenario, Scenario.Profile profile) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(EXPORTS);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-cp");
        command.add(classPath);
        command.add(BENCH_MAIN);
        command.add(scenario.cliName());
        command.addAll(scenario.arguments(profile));
        return List.copyOf(command);
    }

    /**
     * @param command a command, one argument per element.
     * @return the command as one line a POSIX shell runs as it is, each argument quoted when it needs to be.
     */
    public static String shellLine(List<String> command) {
        List<String> quoted = new ArrayList<>(command.size());
        for (String argument : command) {
            quoted.add(SHELL_SAFE.matcher(argument).matches() ? argument
                : "'" + argument.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
