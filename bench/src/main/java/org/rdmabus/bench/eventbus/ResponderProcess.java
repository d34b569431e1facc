package org.rdmabus.bench.eventbus;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rdmabus.bench.ChildJvm;

/** The {@link Responder} JVM, driven by lines; every answer is awaited with a bound, and closing kills it if need be. */
final class ResponderProcess implements AutoCloseable {
    /** Generous: under the Soft-RoCE VM's emulation a fresh JVM took minutes to start its first clustered node. */
    private static final long ANSWER_SECONDS = 600;

    private final ChildJvm child;

    ResponderProcess() throws IOException {
        child = new ChildJvm(List.of("-Xms256m", "-Xmx512m",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.logging.type=none"), Responder.class);
    }

    /**
     * Sends a command and waits for its answer.
     *
     * @param command the command line.
     * @return the answer line.
     * @throws IOException if the responder exited, failed or did not answer in time.
     */
    String call(String command) throws IOException {
        child.writeLine(command);
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return child.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String line;
        try {
            line = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the responder", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the responder did not answer '" + command + "': " + e, e);
        }
        if (line.startsWith("error")) {
            throw new IOException("the responder failed '" + command + "': " + line);
        }
        return line;
    }

    @Override
    public void close() {
        child.close();
    }
}
