package org.rdmabus.transport.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private shared-memory directory for the soft fabric of one test: owner-only, named by the system property every
 * NIC of this JVM reads ({@code rdmabus.soft.dir}) and passed to child JVMs, and removed with everything in it on
 * {@link #close()}. Keeps tests from seeing (or sweeping) each other's files.
 */
public final class SoftFabricDirectory implements AutoCloseable {

    /** The system property the soft fabric reads its directory from. */
    public static final String PROPERTY = "rdmabus.soft.dir";

    private final Path path;
    private final String previous;

    private SoftFabricDirectory(Path path) {
        this.path = path;
        this.previous = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, path.toString());
    }

    /**
     * Creates the directory and makes this JVM's soft NICs use it until {@link #close()}.
     *
     * @param label part of the directory's name
     * @return the directory
     */
    public static SoftFabricDirectory create(String label) {
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            return new SoftFabricDirectory(Files.createTempDirectory(base, "rdmabus-" + label + "-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the directory */
    public Path path() {
        return path;
    }

    /** @return the JVM option that points a child JVM's soft NICs here */
    public String jvmOption() {
        return "-D" + PROPERTY + "=" + path;
    }

    /**
     * The files a process owns here: the soft fabric names each file after its owner's pid.
     *
     * @param pid the process
     * @return the file names
     */
    public List<String> filesOf(long pid) {
        return files().stream().filter(name -> name.startsWith(pid + "_")).collect(Collectors.toList());
    }

    /** @return every file name in the directory */
    public List<String> files() {
        try (Stream<Path> list = Files.list(path)) {
            return list.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores the property and removes the directory with whatever is left in it. */
    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
