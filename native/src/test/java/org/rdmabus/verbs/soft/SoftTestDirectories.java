package org.rdmabus.verbs.soft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/** Private shared-memory directories for tests, under {@code /dev/shm} when it exists; removed afterwards. */
final class SoftTestDirectories {
    private SoftTestDirectories() {
    }

    static Path create(String name) throws IOException {
        Path shm = Paths.get("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(parent, "rdmabus-test-" + name + "-");
    }

    static void delete(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
