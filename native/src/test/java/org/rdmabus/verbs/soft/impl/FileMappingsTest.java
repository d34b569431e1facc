package org.rdmabus.verbs.soft.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.soft.impl.FileMappings.Mapping;

/**
 * A shared-memory file leaves the process's address space when it is unmapped, not when the collector runs: on this
 * JVM (JDK 17, {@code invokeCleaner}) and on JDK 25 ({@code java.lang.foreign}'s arena) in a child JVM, which must
 * also print no warning. Both without any JVM flag. Linux only: the proof is {@code /proc/self/maps}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileMappingsTest {
    /** Where the JDK 25 leg finds its {@code java}; a missing one is a skip, or a failure with the property below. */
    static final Path JDK25_JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /** Set to {@code true} to fail instead of skipping where {@link #JDK25_JAVA} is missing. */
    static final String JDK25_REQUIRED = "rdmabus.jdk25.required";

    @Test
    void aMappingLeavesTheProcessWhenUnmapped(@TempDir Path directory) throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps here");
        mapWriteReadUnmap(directory);
    }

    @Test
    void onJdk25TheArenaUnmapsItWithoutAWarning(@TempDir Path directory) throws Exception {
        if (!Files.isExecutable(JDK25_JAVA)) {
            if (Boolean.getBoolean(JDK25_REQUIRED)) {
                fail("-D" + JDK25_REQUIRED + "=true but there is no " + JDK25_JAVA);
            }
            assumeTrue(false, "no JDK 25 at " + JDK25_JAVA + " (-D" + JDK25_REQUIRED + "=true fails instead)");
        }
        Process child = new ProcessBuilder(JDK25_JAVA.toString(), "-cp", System.getProperty("java.class.path"),
            FileMappingsTest.class.getName(), directory.toString()).start();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the JDK 25 child did not finish");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + err);
        assertTrue(out.contains("unmapped on Java 25"), out);
        assertFalse(err.contains("WARNING"), "the JDK 25 child warned: " + err);
    }

    /**
     * The JDK 25 leg's child.
     *
     * @param args the directory to map a file in.
     * @throws IOException if the file cannot be made.
     */
    public static void main(String[] args) throws IOException {
        mapWriteReadUnmap(Path.of(args[0]));
        System.out.println("unmapped on Java " + Runtime.version().feature());
    }

    private static void mapWriteReadUnmap(Path directory) throws IOException {
        Path file = directory.resolve("segment-" + ProcessHandle.current().pid());
        Mapping mapping;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            channel.truncate(1 << 16);
            mapping = FileMappings.map(channel, 1 << 16);
        }
        VarHandleBuffer buffer = new VarHandleBuffer(mapping.buffer());
        buffer.putLongVolatile(4096, 77);
        check(buffer.getLongAcquire(4096) == 77, "the mapping does not hold what was written");
        check(mappedFiles().contains(file.toString()), "the file is not in /proc/self/maps while mapped");
        mapping.unmap();
        check(!mappedFiles().contains(file.toString()), "the file is still mapped after unmap()");
    }

    private static String mappedFiles() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
        return String.join("\n", lines);
    }

    private static void check(boolean condition, String otherwise) {
        if (!condition) {
            throw new AssertionError(otherwise);
        }
    }
}
