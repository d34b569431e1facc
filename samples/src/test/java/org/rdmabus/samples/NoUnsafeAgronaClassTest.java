package org.rdmabus.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No rdmabus class refers to an Agrona class that reaches {@code jdk.internal.misc.Unsafe}, which would need
 * {@code --add-exports} again: checked in the class files of every module on this class path (this module depends
 * on all of them), so a path no test runs, such as the {@code rdma} provider without a device, is covered too.
 * The benchmarks are exempt: Aeron, their baseline, needs the flag anyway.
 */
class NoUnsafeAgronaClassTest {
    /** Agrona 2.x classes whose code calls its {@code UnsafeApi} (IoUtil through BufferUtil), as internal names. */
    private static final List<String> REACH_UNSAFE = List.of("org/agrona/UnsafeApi", "org/agrona/BufferUtil",
        "org/agrona/IoUtil", "org/agrona/AbstractMutableDirectBuffer", "org/agrona/ExpandableArrayBuffer",
        "org/agrona/ExpandableDirectByteBuffer", "org/agrona/concurrent/UnsafeBuffer",
        "org/agrona/concurrent/AbstractConcurrentArrayQueue", "org/agrona/concurrent/ManyToOneConcurrentArrayQueue",
        "org/agrona/concurrent/ManyToManyConcurrentArrayQueue", "org/agrona/concurrent/OneToOneConcurrentArrayQueue",
        "org/agrona/concurrent/ManyToOneConcurrentLinkedQueue", "org/agrona/concurrent/status/AtomicCounter",
        "org/agrona/concurrent/status/UnsafeBufferPosition",
        "org/agrona/concurrent/status/UnsafeBufferStatusIndicator");
    /** References that never run Agrona's Unsafe code where it cannot work, each with the reason. */
    private static final Map<String, String> ALLOWED = Map.of(
        "org/rdmabus/buffer/impl/WrappedMemory.class uses org/agrona/BufferUtil",
        "addressOffset() asks Agrona only for Agrona's own Unsafe code, which runs only where Agrona reaches Unsafe",
        "org/rdmabus/transport/impl/poller/CompletionPoller.class uses org/agrona/concurrent/status/AtomicCounter",
        "AgentRunner's constructor names the type; the poller passes no counter, so none is ever touched");
    private static final List<String> MODULES = List.of("org/rdmabus/buffer/", "org/rdmabus/verbs/",
        "org/rdmabus/codec/", "org/rdmabus/pool/", "org/rdmabus/transport/", "org/rdmabus/samples/");

    @Test
    void everyModulesClassesStayClearOfAgronasUnsafe() throws IOException, URISyntaxException {
        List<String> offenders = new ArrayList<>();
        List<String> modulesSeen = new ArrayList<>();
        for (String module : MODULES) {
            for (URL root : Collections.list(getClass().getClassLoader().getResources(module))) {
                if (root.toString().contains("test-classes") || root.toString().contains("-tests.jar")) {
                    continue; // tests may name these classes, as this one does in its strings
                }
                modulesSeen.add(module);
                for (ClassFile file : classFiles(root, module)) {
                    String text = new String(file.bytes, StandardCharsets.ISO_8859_1);
                    REACH_UNSAFE.stream().filter(name -> containsClassConstant(text, name))
                        .map(name -> file.name + " uses " + name).filter(use -> !ALLOWED.containsKey(use))
                        .forEach(offenders::add);
                }
            }
        }
        assertTrue(modulesSeen.containsAll(MODULES), "not every module is on the class path: " + modulesSeen);
        assertEquals(List.of(), offenders);
    }

    @Test
    void theCheckFindsAReference() throws IOException {
        // The check must be able to fail: Agrona's UnsafeBuffer is a class that names UnsafeApi.
        try (InputStream in = org.agrona.concurrent.UnsafeBuffer.class.getResourceAsStream("UnsafeBuffer.class")) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(containsClassConstant(text, "org/agrona/UnsafeApi"));
        }
    }

    /**
     * Whether a class file names a class: as a constant-pool UTF-8 entry, the name is preceded by its two-byte
     * length; in descriptors it appears as {@code Lname;}.
     */
    private static boolean containsClassConstant(String classFile, String name) {
        int length = name.length();
        String entry = "" + (char) (length >> 8) + (char) (length & 0xFF) + name;
        return classFile.contains(entry) || classFile.contains("L" + name + ";");
    }

    private record ClassFile(String name, byte[] bytes) {
    }

    private static List<ClassFile> classFiles(URL root, String module) throws IOException, URISyntaxException {
        List<ClassFile> files = new ArrayList<>();
        if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().startsWith(module) && entry.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            files.add(new ClassFile(entry.getName(), in.readAllBytes()));
                        }
                    }
                }
            }
        } else {
            Path directory = Path.of(root.toURI());
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.filter(p -> p.toString().endsWith(".class")).toList()) {
                    files.add(new ClassFile(module + directory.relativize(path), Files.readAllBytes(path)));
                }
            }
        }
        return files;
    }
}
