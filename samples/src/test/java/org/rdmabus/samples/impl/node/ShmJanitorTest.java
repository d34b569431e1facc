package org.rdmabus.samples.impl.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The janitor removes exactly the files a killed child left behind, and nobody else's. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShmJanitorTest {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sweepsWhatAKilledChildMappedAndLeavesTheRest(@TempDir Path directory) throws Exception {
        Path region = directory.resolve("region-1");
        Path foreign = Files.writeString(directory.resolve("someone-elses"), "x");
        Process child = holdMapped(region);
        ShmJanitor janitor = new ShmJanitor(directory);
        janitor.note(child.pid());
        assertEquals(Set.of(region), janitor.noted(), "the child's mapped file, and only it");

        assertEquals(List.of(), janitor.sweep(), "nothing goes while the child still maps it");
        assertTrue(Files.exists(region));

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(region), "a killed child cannot clean up after itself");
        assertEquals(List.of(region), janitor.sweep());
        assertFalse(Files.exists(region));
        assertTrue(Files.exists(foreign), "a file no child used stays");
    }

    @Test
    void aFileAnotherLiveProcessStillMapsStays(@TempDir Path directory) throws Exception {
        Path region = directory.resolve("shared-region");
        Process child = holdMapped(region);
        ShmJanitor janitor = new ShmJanitor(directory);
        janitor.note(child.pid());
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.READ)) {
            MappedByteBuffer stillMappedHere = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(List.of(), janitor.sweep(), "this JVM still maps it");
            assertTrue(Files.exists(region));
            assertEquals(1, stillMappedHere.get(0), "and its contents are intact");
        }
    }

    @Test
    void aProcessThatIsGoneAddsNothing(@TempDir Path directory) throws Exception {
        Process child = holdMapped(directory.resolve("r"));
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        ShmJanitor janitor = new ShmJanitor(directory);
        janitor.note(child.pid());
        assertEquals(Set.of(), janitor.noted());
    }

    @Test
    void theDefaultDirectoryIsPerUser() {
        assertEquals(Path.of("/dev/shm/rdmabus-" + System.getProperty("user.name")), ShmJanitor.defaultDirectory());
    }

    private Process holdMapped(Path file) throws IOException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), MappedFileHolder.class.getName(), file.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(child);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        assertEquals("mapped", out.readLine(), "the child mapped " + file);
        return child;
    }
}
