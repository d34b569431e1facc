package org.rdmabus.bench.eventbus;

import io.reactivex.rxjava3.disposables.Disposable;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaEventBus;

/**
 * The second JVM of {@link EventBusBench}: it hosts the nodes that answer. Commands arrive as lines on standard
 * input; each is acknowledged by one line on standard output. It exits when its input closes, i.e. when the
 * benchmark is gone.
 * <ul>
 *   <li>{@code start <mode> <cluster> <provider>}: the long-lived node M, with an echo consumer on {@value #ECHO},
 *       a consumer on {@value #FIRST} that answers its node id, and, for rdmabus, an echoing RdmaChannel; the
 *       provider is the rdmabus provider or {@code default}. Answers {@code ready <node id>}.</li>
 *   <li>{@code fresh <mode> <cluster> <provider>}: a new node N with a consumer on {@value #FIRST}. Answers
 *       {@code fresh <node id>}.</li>
 *   <li>{@code path}: what carried M's traffic ({@link TrafficPath#facts}). Answers {@code path <json>}.</li>
 *   <li>{@code closefresh}, {@code stop}: close N, or M. Answer {@code closed}, {@code stopped}.</li>
 * </ul>
 */
public final class Responder {
    static final String ECHO = "bench.echo";
    static final String FIRST = "bench.first";

    private final PrintStream protocol;
    private Vertx main;
    private Vertx fresh;
    private RdmaChannel channel;
    private Disposable echo;

    private Responder(PrintStream protocol) {
        this.protocol = protocol;
    }

    /**
     * @param args none.
     * @throws Exception if a node cannot start.
     */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        Responder responder = new Responder(protocol);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                responder.handle(line.trim().split(" "));
            }
        } finally {
            responder.closeAll();
        }
        System.exit(0);
    }

    private void handle(String[] command) throws Exception {
        switch (command[0]) {
            case "start" -> {
                Mode mode = Mode.valueOf(command[1]);
                main = BenchNodes.start(mode, command[2], provider(command));
                register(main, ECHO, false);
                register(main, FIRST, true);
                // Only on a channel: a node that stayed on TCP has none, and the path check reports why.
                if (mode == Mode.RDMABUS && RdmaEventBus.status(main).isActive()) {
                    channel = RdmaChannel.create(main);
                    echo = channel.messages().subscribe(message -> message.reply(message.buffer()).subscribe());
                }
                protocol.println("ready " + nodeId(main) + " " + RdmaEventBus.status(main).getDescription());
            }
            case "fresh" -> {
                fresh = BenchNodes.start(Mode.valueOf(command[1]), command[2], provider(command));
                register(fresh, FIRST, true);
                protocol.println("fresh " + nodeId(fresh));
            }
            case "closefresh" -> {
                BenchNodes.close(fresh);
                fresh = null;
                protocol.println("closed");
            }
            case "path" -> protocol.println("path " + TrafficPath.facts(main).encode());
            case "stop" -> {
                closeAll();
                List<String> alive = BenchNodes.threadsAlive();
                if (!alive.isEmpty()) {
                    System.err.println("   responder: threads alive after its nodes closed: " + alive);
                }
                protocol.println("stopped");
            }
            default -> protocol.println("error unknown command " + command[0]);
        }
    }

    /** @return the provider a start command names; {@code default} (or none) leaves rdmabus's own. */
    private static String provider(String[] command) {
        return command.length < 4 || command[3].equals("default") ? null : command[3];
    }

    private static void register(Vertx vertx, String address, boolean answerNodeId) throws Exception {
        String id = nodeId(vertx);
        MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(address,
            message -> message.reply(answerNodeId ? Buffer.buffer(id) : message.body()));
        consumer.completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String nodeId(Vertx vertx) {
        return ((VertxInternal) vertx).clusterManager().getNodeId();
    }

    private void closeAll() {
        if (echo != null) {
            echo.dispose();
            echo = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        BenchNodes.close(fresh);
        fresh = null;
        BenchNodes.close(main);
        main = null;
    }
}
