package org.rdmabus.samples.impl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a benchmark ran on, as far as it matters to its figures: cores, CPU model, memory, OS, JVM, and the
 * load average (other work on the machine stretches the tails).
 *
 * @param cores       processors this JVM may use.
 * @param cpuModel    the CPU's model name, from {@code /proc/cpuinfo}, if readable.
 * @param memoryBytes physical memory, if the JVM reports it.
 * @param os          the operating system's name, version and architecture.
 * @param jvm         the JVM's name, vendor and version.
 * @param loadAverage the 1, 5 and 15 minute load averages, from {@code /proc/loadavg}, if readable.
 */
public record MachineInfo(int cores, Optional<String> cpuModel, Optional<Long> memoryBytes, String os, String jvm,
                          Optional<String> loadAverage) {

    /** @return this machine, now. */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryBytes(),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.runtime.version"),
            readLoadAverage());
    }

    /** @return the load averages now, from {@code /proc/loadavg}, if readable. */
    public static Optional<String> readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim()
                .split("\\s+");
            return fields.length < 3 ? Optional.empty()
                : Optional.of(fields[0] + " " + fields[1] + " " + fields[2]);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<String> readCpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Long> readMemoryBytes() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? Optional.of(os.getTotalMemorySize()) : Optional.empty();
    }
}
