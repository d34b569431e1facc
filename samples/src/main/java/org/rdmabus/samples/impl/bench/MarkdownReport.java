package org.rdmabus.samples.impl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report of an {@code rdmabus bench} run, {@code report.md}: when and where it ran, then for each scenario the
 * command that reproduces it, how it ended and everything it printed.
 */
public final class MarkdownReport {
    /** The report's file name inside the report directory. */
    public static final String FILE_NAME = "report.md";

    private static final Pattern BACKTICKS = Pattern.compile("`+");

    private final ZonedDateTime started;
    private final MachineInfo machine;
    private final String invocation;
    private final Scenario.Profile profile;
    private final Duration timeout;

    /**
     * @param started    when the run began.
     * @param machine    the machine, taken when the run began.
     * @param invocation the tool's own command line, as typed.
     * @param profile    the scenarios' option set.
     * @param timeout    each scenario's time bound.
     */
    public MarkdownReport(ZonedDateTime started, MachineInfo machine, String invocation, Scenario.Profile profile,
                          Duration timeout) {
        this.started = started;
        this.machine = machine;
        this.invocation = invocation;
        this.profile = profile;
        this.timeout = timeout;
    }

    /**
     * Writes the report, replacing an earlier one in the same directory at once (never half written).
     *
     * @param directory    the report directory, created if missing.
     * @param results      what each scenario did, in the order they ran.
     * @param notRun       scenarios that never ran, because the run was stopped.
     * @param loadAtEnd    the load average when the run ended, if readable.
     * @return the report's path.
     * @throws IOException if it cannot be written.
     */
    public Path write(Path directory, List<ScenarioResult> results, List<Scenario> notRun, Optional<String> loadAtEnd)
        throws IOException {
        Files.createDirectories(directory);
        Path report = directory.resolve(FILE_NAME);
        Path partial = directory.resolve(FILE_NAME + ".tmp");
        Files.writeString(partial, render(results, notRun, loadAtEnd), StandardCharsets.UTF_8);
        return Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @param results   what each scenario did.
     * @param notRun    scenarios that never ran.
     * @param loadAtEnd the load average when the run ended.
     * @return the report's text.
     */
    public String render(List<ScenarioResult> results, List<Scenario> notRun, Optional<String> loadAtEnd) {
        StringBuilder md = new StringBuilder();
        md.append("# rdmabus bench\n\n");
        md.append("- date: ").append(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(machine.cores()).append(" cores");
        machine.cpuModel().ifPresent(model -> md.append(", ").append(model));
        machine.memoryBytes().ifPresent(bytes -> md.append(", ")
            .append(String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))).append(" memory"));
        md.append('\n');
        md.append("- OS: ").append(machine.os()).append('\n');
        md.append("- JVM: ").append(machine.jvm()).append('\n');
        md.append("- load average (1, 5, 15 min): ")
            .append(machine.loadAverage().map(load -> load + " at the start").orElse("not readable"))
            .append(loadAtEnd.map(load -> ", " + load + " at the end").orElse("")).append('\n');
        md.append("- run: `").append(invocation).append("` (").append(profile.name().toLowerCase(Locale.ROOT))
            .append(" profile, at most ").append(DurationText.of(timeout)).append(" per scenario)\n\n");

        md.append("| scenario | status | exit | duration |\n|---|---|---|---|\n");
        for (ScenarioResult result : results) {
            md.append("| ").append(result.scenario().cliName()).append(" | ")
                .append(result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" | ")
                .append(result.exitCode()).append(" | ").append(seconds(result.duration())).append(" |\n");
        }
        for (Scenario scenario : notRun) {
            md.append("| ").append(scenario.cliName()).append(" | not run (the run was stopped) | | |\n");
        }

        for (ScenarioResult result : results) {
            md.append("\n## ").append(result.scenario().cliName()).append("\n\n");
            md.append(result.scenario().summary()).append(".\n\n");
            md.append("Status: ").append(result.statusLine()).append(".\n\n");
            md.append("Reproduce:\n\n");
            appendBlock(md, "sh", ScenarioCommand.shellLine(result.command()) + "\n");
            md.append("\nOutput:\n\n");
            appendBlock(md, "text", result.output().isEmpty() ? "(no output)\n" : result.output());
        }
        return md.toString();
    }

    /** A fenced block whose fence is longer than any run of backticks inside, so no output can close it early. */
    private static void appendBlock(StringBuilder md, String language, String content) {
        int longest = 0;
        Matcher runs = BACKTICKS.matcher(content);
        while (runs.find()) {
            longest = Math.max(longest, runs.group().length());
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        md.append(fence).append(language).append('\n').append(content);
        if (!content.endsWith("\n")) {
            md.append('\n');
        }
        md.append(fence).append('\n');
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
