package org.rdmabus.samples.impl.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Removes the shared-memory files a sample's node JVMs left behind, and only those.
 *
 * <p>The software fabric keeps its regions and rings in files under {@code /dev/shm/rdmabus-<user>/}. A node that
 * exits normally removes its own; one that is killed cannot. While the nodes live, the launcher {@linkplain #note(long)
 * notes} every file under that directory that a node has mapped or open (from {@code /proc/<pid>/maps} and
 * {@code /proc/<pid>/fd}, so it does not depend on how the fabric names its files). After the nodes are gone,
 * {@link #sweep()} deletes the noted files that still exist and that no live process has mapped or open, so the
 * files of other programs on the host, even other rdmabus programs, are left alone.
 */
public final class ShmJanitor {

    private static final System.Logger LOG = System.getLogger(ShmJanitor.class.getName());
    private static final String DELETED_SUFFIX = " (deleted)";
    private static final int MAPS_FIELDS = 6;

    private final Path directory;
    private final Set<Path> noted = ConcurrentHashMap.newKeySet();

    /**
     * @param directory the directory whose files the janitor may remove.
     */
    public ShmJanitor(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** @return the software fabric's directory for this user, {@code /dev/shm/rdmabus-<user>}. */
    public static Path defaultDirectory() {
        return Path.of("/dev/shm", "rdmabus-" + System.getProperty("user.name"));
    }

    /**
     * Notes the files under the directory that a process has mapped or open now. A process that is gone, or whose
     * {@code /proc} entries cannot be read, adds nothing.
     *
     * @param pid the process.
     */
    public void note(long pid) {
        noted.addAll(filesOf(Path.of("/proc", Long.toString(pid))));
    }

    /** @return every file noted so far, whether swept or not. */
    public Set<Path> noted() {
        return Set.copyOf(noted);
    }

    /**
     * Deletes the noted files that still exist and that no live process uses. Call it once the noted processes are
     * gone.
     *
     * @return the files it deleted.
     */
    public List<Path> sweep() {
        Set<Path> inUse = filesInUse();
        List<Path> deleted = new ArrayList<>();
        for (Path file : noted) {
            if (inUse.contains(file)) {
                LOG.log(Level.WARNING, "{0} is still in use by another process; left in place", file);
                continue;
            }
            try {
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not delete " + file, e);
            }
        }
        return deleted;
    }

    private Set<Path> filesInUse() {
        Set<Path> inUse = new HashSet<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            processes.forEach(process -> inUse.addAll(filesOf(process)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes in /proc", e);
        }
        return inUse;
    }

    private Set<Path> filesOf(Path process) {
        Set<Path> files = new HashSet<>();
        mappedFiles(process.resolve("maps"), files);
        openFiles(process.resolve("fd"), files);
        return files;
    }

    private void mappedFiles(Path maps, Set<Path> files) {
        try (Stream<String> lines = Files.lines(maps)) {
            lines.forEach(line -> {
                String[] fields = line.trim().split("\\s+", MAPS_FIELDS);
                if (fields.length == MAPS_FIELDS) {
                    addIfOurs(fields[MAPS_FIELDS - 1], files);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The process ended, or is not ours to read: it has nothing to note.
        }
    }

    private void openFiles(Path fds, Set<Path> files) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path link : links) {
                try {
                    addIfOurs(Files.readSymbolicLink(link).toString(), files);
                } catch (IOException e) {
                    // Closed between the listing and the read.
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The process ended, or is not ours to read: it has nothing to note.
        }
    }

    private void addIfOurs(String name, Set<Path> files) {
        if (!name.startsWith("/") || name.endsWith(DELETED_SUFFIX)) {
            return;
        }
        Path file = Path.of(name).normalize();
        if (file.startsWith(directory) && !file.equals(directory)) {
            files.add(file);
        }
    }
}
