package org.rdmabus.samples.impl.node;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stand-in for a node JVM of the software fabric in {@link ShmJanitorTest}: creates a file, maps it, says so, and
 * holds it until stdin closes.
 */
public final class MappedFileHolder {

    private MappedFileHolder() {
    }

    /**
     * @param args the file to create and map.
     * @throws IOException if it cannot.
     */
    public static void main(String[] args) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            region.put(0, (byte) 1);
            System.out.println("mapped");
            System.out.flush();
            // Hold the mapping until the test kills this JVM or, if the test JVM dies, stdin closes.
            while (System.in.read() >= 0) {
                // Input is only a keep-alive.
            }
            Reference.reachabilityFence(region);
        }
    }
}
