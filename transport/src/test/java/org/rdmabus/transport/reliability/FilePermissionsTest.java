package org.rdmabus.transport.reliability;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.SoftNodeChannelFactory;
import org.rdmabus.transport.testing.SoftFabricDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soft fabric's shared memory belongs to its user alone: the directory is {@code 0700} and every file of a
 * running node {@code 0600}; and a process of another user, created by the test ({@code useradd}, then
 * {@code runuser}), can neither list the directory nor open any file in it for reading or writing. The same probe
 * run as the owner opens them all, which shows it would notice access. Skipped unless the test runs as root with
 * {@code useradd}, {@code runuser} and {@code userdel} available; the user and the probe's files are removed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilePermissionsTest {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** The probe, run as another user: tries to list the directory and open each file; prints one line per try. */
    private static final String PROBE = String.join("\n",
        "import java.nio.file.*;",
        "public class Probe {",
        "  public static void main(String[] args) {",
        "    System.out.println(\"USER \" + System.getProperty(\"user.name\"));",
        "    try (DirectoryStream<Path> list = Files.newDirectoryStream(Paths.get(args[0]))) {",
        "      list.iterator().hasNext();",
        "      System.out.println(\"OPENED list \" + args[0]);",
        "    } catch (Exception e) {",
        "      System.out.println(\"DENIED list \" + e.getClass().getSimpleName());",
        "    }",
        "    for (int i = 1; i < args.length; i++) {",
        "      for (StandardOpenOption mode : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}) {",
        "        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(Paths.get(args[i]), mode)) {",
        "          System.out.println(\"OPENED \" + mode + \" \" + args[i]);",
        "        } catch (Exception e) {",
        "          System.out.println(\"DENIED \" + mode + \" \" + e.getClass().getSimpleName());",
        "        }",
        "      }",
        "    }",
        "  }",
        "}");

    @Test
    void sharedMemoryIsOwnerOnlyAndAnotherUserCannotAttach() throws Exception {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("files")) {
            NodeChannel channel = new SoftNodeChannelFactory().create(new RdmaEventBusOptions());
            channel.onInbound((source, message) -> { });
            try {
                channel.start(UUID.randomUUID().toString());
                List<Path> files;
                try (Stream<Path> list = Files.list(directory.path())) {
                    files = list.sorted().collect(Collectors.toList());
                }
                assertTrue(files.size() >= 4, "the node's files: " + files);
                assertEquals(OWNER_ONLY_DIRECTORY, Files.getPosixFilePermissions(directory.path()));
                for (Path file : files) {
                    assertEquals(OWNER_ONLY_FILE, Files.getPosixFilePermissions(file), file.toString());
                }

                Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a second user");
                Assumptions.assumeTrue(Stream.of("/usr/sbin/useradd", "/usr/sbin/runuser", "/usr/sbin/userdel").allMatch(tool -> Files.isExecutable(Paths.get(tool))),
                    "needs useradd, runuser and userdel");
                String user = "rdmarel" + Long.toHexString(System.nanoTime() & 0xffffffL);
                Path probeDirectory = Files.createTempDirectory(Paths.get("/tmp"), "rdmabus-probe-");
                try {
                    Assumptions.assumeTrue(run(List.of("/usr/sbin/useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user)).exitCode == 0,
                        "useradd refused");
                    Files.setPosixFilePermissions(probeDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Path probe = probeDirectory.resolve("Probe.java");
                    Files.writeString(probe, PROBE);
                    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
                    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");

                    List<String> asOther = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", user, "--", java.toString(), probe.toString(), directory.path().toString()));
                    files.forEach(file -> asOther.add(file.toString()));
                    Result other = run(asOther);
                    assertTrue(other.output.contains("USER " + user), "the probe ran as " + user + ": " + other.output);
                    assertFalse(other.output.contains("OPENED"), "another user reached the shared memory:\n" + other.output);
                    assertEquals(1 + 2 * files.size(), count(other.output, "DENIED"), other.output);

                    List<String> asOwner = new ArrayList<>(List.of(java.toString(), probe.toString(), directory.path().toString()));
                    files.forEach(file -> asOwner.add(file.toString()));
                    Result owner = run(asOwner);
                    assertEquals(1 + 2 * files.size(), count(owner.output, "OPENED"), "the owner's probe opens everything:\n" + owner.output);
                    System.out.printf("FIGURES files: %d files 0600 in a 0700 directory; user %s denied %d of %d attempts, the owner %d of %d%n",
                        files.size(), user, count(other.output, "DENIED"), 1 + 2 * files.size(), count(owner.output, "OPENED"), 1 + 2 * files.size());
                } finally {
                    run(List.of("/usr/sbin/userdel", user));
                    try (Stream<Path> walk = Files.walk(probeDirectory)) {
                        for (Path path : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                            Files.deleteIfExists(path);
                        }
                    }
                }
            } finally {
                channel.close();
            }
        }
    }

    private static int count(String output, String word) {
        return (int) output.lines().filter(line -> line.startsWith(word + " ")).count();
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("did not finish in time: " + command);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A finished process. */
    private record Result(int exitCode, String output) {
    }
}
