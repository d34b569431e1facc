package org.rdmabus.samples.functions.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.functions.Checkout;
import org.rdmabus.samples.functions.CheckoutRequest;
import org.rdmabus.samples.functions.ClassicEndpoints;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * The classic path in one JVM, over the soft fabric: a client that opens its own NIC and queue pairs, exchanges
 * addresses with two responders and calls them; what each side does with bad input; and that nothing stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassicPathTest {

    private static final long POLL_MILLIS = 10;
    private static final long SETTLE_MILLIS = 5_000;

    private ClassicResponder catalog;
    private ClassicResponder tax;
    private ClassicEndpoints endpoints;

    @BeforeEach
    void startResponders() {
        catalog = ClassicResponder.start("catalog", Checkout::priceCents);
        tax = ClassicResponder.start("tax", Checkout::taxBps);
        endpoints = new ClassicEndpoints(catalog.endpoint(), tax.endpoint());
    }

    @AfterEach
    void stopResponders() {
        if (catalog != null) {
            catalog.close();
        }
        if (tax != null) {
            tax.close();
        }
    }

    @Test
    void anInstanceTimesEveryStepAnswersRightAndItsQueuePairsCloseWithIt() throws InterruptedException {
        Map<ControlStep, Long> steps = new EnumMap<>(ControlStep.class);
        try (ClassicClient client = ClassicClient.open(endpoints, steps)) {
            assertEquals(EnumSet.allOf(ControlStep.class), steps.keySet(), "every step was timed");
            steps.forEach((step, nanos) -> assertTrue(nanos > 0, step + " took time"));
            assertEquals(1, catalog.connections(), "catalog made a queue pair for the instance");
            assertEquals(1, tax.connections(), "so did tax");
            for (long i = 0; i < 50; i++) {
                CheckoutRequest request = CheckoutRequest.numbered(i);
                assertEquals(Checkout.expectedTotalCents(request), client.checkout(request), request.toString());
            }
            assertEquals(50, catalog.answered());
            assertEquals(50, tax.answered());
        }
        awaitNoConnections(catalog);
        awaitNoConnections(tax);
        assertEquals(0, catalog.unanswerable() + tax.unanswerable(), "every request named a live connection");
    }

    @Test
    void aRefusedArgumentIsATypedFailureAndTheClientCarriesOn() {
        ClassicResponder refusing = ClassicResponder.start("refusing", argument -> {
            throw new IllegalArgumentException("no");
        });
        try (ClassicClient client = ClassicClient.open(new ClassicEndpoints(refusing.endpoint(), tax.endpoint()),
            new EnumMap<>(ControlStep.class))) {
            ClassicRdmaException refused = assertThrows(ClassicRdmaException.class,
                () -> client.checkout(CheckoutRequest.numbered(1)));
            assertTrue(refused.getMessage().contains("catalog refused the argument"), refused.getMessage());
            assertEquals(0, refusing.unanswerable(), "the refusal was answered, not dropped");
        } finally {
            refusing.close();
        }
    }

    @Test
    void aResponderRefusesAnExchangeThatIsNotOneAndKeepsServing() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), catalog.endpoint().getPort())) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(0x47455420);
            out.writeShort(4);
            out.write(new byte[4]);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(ClassicWire.REFUSED, in.readByte());
            assertTrue(in.readUTF().contains("not an exchange"));
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), catalog.endpoint().getPort())) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(ClassicWire.MAGIC);
            out.writeShort(3);
            out.write(new byte[] {9, 9, 9});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(ClassicWire.REFUSED, in.readByte());
            assertTrue(in.readUTF().contains("unknown target address version"));
        }
        assertEquals(0, catalog.connections(), "a refused exchange leaves no queue pair");
        try (ClassicClient client = ClassicClient.open(endpoints, new EnumMap<>(ControlStep.class))) {
            CheckoutRequest request = CheckoutRequest.numbered(7);
            assertEquals(Checkout.expectedTotalCents(request), client.checkout(request));
        }
    }

    @Test
    void anInstanceThatCannotExchangeClosesWhatItOpened() throws IOException {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        List<Path> before = ownFiles();
        ClassicEndpoints unreachable = new ClassicEndpoints(catalog.endpoint(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
        ClassicRdmaException failure = assertThrows(ClassicRdmaException.class,
            () -> ClassicClient.open(unreachable, new EnumMap<>(ControlStep.class)));
        assertTrue(failure.getMessage().contains("the address exchange with tax"), failure.getMessage());
        assertEquals(before, ownFiles(), "the failed instance's NIC and its files are gone");
    }

    @Test
    void endpointsMustBeOnLoopback() {
        assertThrows(IllegalArgumentException.class, () -> new ClassicEndpoints(
            new InetSocketAddress("192.0.2.1", 9), catalog.endpoint()));
        assertThrows(IllegalArgumentException.class, () -> new ClassicEndpoints(catalog.endpoint(),
            InetSocketAddress.createUnresolved("localhost", 9)));
    }

    private static void awaitNoConnections(ClassicResponder responder) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        while (responder.connections() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        assertEquals(0, responder.connections(), "the instance's queue pair closed when it left");
    }

    /** This JVM's soft-fabric files: the responders' and any client's still open. */
    private static List<Path> ownFiles() throws IOException {
        Path directory = ShmJanitor.defaultDirectory();
        try (Stream<Path> files = Files.list(directory)) {
            String prefix = ProcessHandle.current().pid() + "_";
            return files.filter(file -> file.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
