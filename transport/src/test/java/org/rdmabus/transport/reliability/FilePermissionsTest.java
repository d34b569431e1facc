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
 * The soft fabric's shared memory belongs to its user alone. The fabric creates its directory itself: the test
 * points it at one that does not exist yet, inside a directory every user may enter ({@code 0755}), so what is
 * checked is what the product made, and only its own permissions can keep another user out.
 * <ul>
 *   <li>The directory the fabric created is {@code 0700} and every file of a running node {@code 0600}.</li>
 *   <li>A process of another user, created by the test ({@code useradd}, then {@code runuser}), can neither list the
 *       directory nor open any file in it for reading or writing; the same probe run as the owner opens them all,
 *       which shows it would notice access. This test needs root with {@code useradd}, {@code runuser} and
 *       {@code userdel}: without them it is reported skipped, with the reason. The user and the probe's files are
 *       removed.</li>
 * </ul>
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
    void theDirectoryTheFabricCreatesIsOwnerOnlyAndSoAreItsFiles() throws Exception {
        try (SoftFabricDirectory harness = SoftFabricDirectory.create("files");
                 RunningNode node = RunningNode.start(harness)) {
            assertEquals(OWNER_ONLY_DIRECTORY, Files.getPosixFilePermissions(node.directory), "the directory the fabric created");
            for (Path file : node.files) {
                assertEquals(OWNER_ONLY_FILE, Files.getPosixFilePermissions(file), file.toString());
            }
            System.out.printf("FIGURES files: the fabric created %s %s with %d files, all %s%n", node.directory,
                PosixFilePermissions.toString(Files.getPosixFilePermissions(node.directory)), node.files.size(), PosixFilePermissions.toString(OWNER_ONLY_FILE));
        }
    }

    @Test
    void anotherUserCanNeitherListNorOpenTheFabricsFiles() throws Exception {
        String why = crossUserUnavailable();
        if (why != null) {
            System.out.println("SKIPPED FilePermissionsTest cross-user check: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        try (SoftFabricDirectory harness = SoftFabricDirectory.create("files");
                 RunningNode node = RunningNode.start(harness)) {
            String user = "rdmarel" + Long.toHexString(System.nanoTime() & 0xffffffL);
            Path probeDirectory = Files.createTempDirectory(Paths.get("/tmp"), "rdmabus-probe-");
            try {
                Result added = run(List.of("/usr/sbin/useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
                assertEquals(0, added.exitCode, "useradd " + user + ": " + added.output);
                Files.setPosixFilePermissions(probeDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path probe = probeDirectory.resolve("Probe.java");
                Files.writeString(probe, PROBE);
                Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
                Path java = Paths.get(System.getProperty("java.home"), "bin", "java");

                List<String> asOther = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", user, "--", java.toString(), probe.toString(), node.directory.toString()));
                node.files.forEach(file -> asOther.add(file.toString()));
                Result other = run(asOther);
                assertTrue(other.output.contains("USER " + user), "the probe ran as " + user + ": " + other.output);
                assertFalse(other.output.contains("OPENED"), "another user reached the shared memory:\n" + other.output);
                assertEquals(1 + 2 * node.files.size(), count(other.output, "DENIED"), other.output);

                List<String> asOwner = new ArrayList<>(List.of(java.toString(), probe.toString(), node.directory.toString()));
                node.files.forEach(file -> asOwner.add(file.toString()));
                Result owner = run(asOwner);
                assertEquals(1 + 2 * node.files.size(), count(owner.output, "OPENED"), "the owner's probe opens everything:\n" + owner.output);
                System.out.printf("FIGURES files: user %s denied %d of %d attempts, the owner opened %d of %d%n",
                    user, count(other.output, "DENIED"), 1 + 2 * node.files.size(), count(owner.output, "OPENED"), 1 + 2 * node.files.size());
            } finally {
                run(List.of("/usr/sbin/userdel", user));
                try (Stream<Path> walk = Files.walk(probeDirectory)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    /** @return why another user cannot be created here, or {@code null} when it can */
    private static String crossUserUnavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root to create a second user (running as " + System.getProperty("user.name") + ")";
        }
        List<String> missing = Stream.of("/usr/sbin/useradd", "/usr/sbin/runuser", "/usr/sbin/userdel")
            .filter(tool -> !Files.isExecutable(Paths.get(tool))).collect(Collectors.toList());
        return missing.isEmpty() ? null : "needs " + missing;
    }

    /**
     * One started node whose fabric directory did not exist before it started: the fabric created it, inside the
     * harness's directory opened to every user, so that only the fabric's own permissions guard it.
     */
    private static final class RunningNode implements AutoCloseable {
        private final NodeChannel channel;
        private final String previous;
        final Path directory;
        final List<Path> files;

        private RunningNode(NodeChannel channel, String previous, Path directory, List<Path> files) {
            this.channel = channel;
            this.previous = previous;
            this.directory = directory;
            this.files = files;
        }

        static RunningNode start(SoftFabricDirectory harness) throws IOException {
            Files.setPosixFilePermissions(harness.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Path directory = harness.path().resolve("fabric");
            assertFalse(Files.exists(directory));
            String previous = System.setProperty(SoftFabricDirectory.PROPERTY, directory.toString());
            NodeChannel channel = new SoftNodeChannelFactory().create(new RdmaEventBusOptions());
            channel.onInbound((source, message) -> { });
            try {
                channel.start(UUID.randomUUID().toString());
                List<Path> files;
                try (Stream<Path> list = Files.list(directory)) {
                    files = list.sorted().collect(Collectors.toList());
                }
                assertTrue(files.size() >= 4, "the node's files: " + files);
                return new RunningNode(channel, previous, directory, files);
            } catch (IOException | RuntimeException | AssertionError e) {
                channel.close();
                System.setProperty(SoftFabricDirectory.PROPERTY, previous);
                throw e;
            }
        }

        @Override
        public void close() {
            channel.close();
            System.setProperty(SoftFabricDirectory.PROPERTY, previous);
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
