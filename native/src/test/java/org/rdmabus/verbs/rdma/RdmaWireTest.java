package org.rdmabus.verbs.rdma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;
import org.rdmabus.verbs.conformance.Requirements;

/**
 * The rdma provider between two kernels over a virtual wire: runs only in the two-VM set-up
 * ({@code src/test/vm/rxe-vm-pair.sh}), as "server" in one VM and "client" in the other
 * ({@code RXE_VM_WIRE_ROLE}). Addresses are exchanged over TCP on the wire. The client sends numbered,
 * checksummed messages of random sizes, WRITEs and READs back a 64 KiB pattern; the server checks order and
 * contents; then the server's NIC closes and the client must see RETRY_EXCEEDED for the dead peer.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RdmaWireTest {
    private static final String ROLE = System.getenv("RXE_VM_WIRE_ROLE");
    private static final String SERVER = "192.0.2.1";
    private static final int PORT = 18515;
    private static final int MESSAGES = 2_000;
    private static final int SLOT = 4096;
    private static final int SLOTS = 16;
    private static final int PATTERN = 64 * 1024;
    private static final long SEED = 20261124L;
    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);

    private final WorkRequest request = new WorkRequest();
    private final Completion[] one = Completion.array(1);

    @Test
    void reliableQueuePairsAcrossTheWire() throws Exception {
        Requirements.assumePresent(ROLE != null,
            () -> "RXE_VM_WIRE_ROLE is not set: runs only in the two-VM wire set-up (src/test/vm/rxe-vm-pair.sh)");
        VerbsDevice.assumePresent();
        // Generous RNR: one emulated vCPU per VM can fall far behind the sender.
        NicOptions options = new NicOptions().provider(RdmaFabric.NAME).rnrTimeout(Duration.ofSeconds(10))
            .peerTimeout(PEER_TIMEOUT);
        try (Nic nic = new RdmaFabric().open(options)) {
            if (ROLE.equals("server")) {
                server(nic);
            } else {
                client(nic);
            }
        }
    }

    private void server(Nic nic) throws Exception {
        Side side = new Side(nic);
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(SERVER, PORT));
            listener.setSoTimeout((int) TimeUnit.MINUTES.toMillis(5));
            try (Socket socket = listener.accept();
                 BufferedReader in = reader(socket);
                 PrintWriter out = writer(socket)) {
                TargetAddress client = TargetAddress.fromExternalForm(in.readLine());
                out.println(side.queuePair.localAddress().toExternalForm() + " " + side.region.rkey() + " "
                    + side.region.remoteAddress(0));
                side.queuePair.connect(client);

                Random sizes = new Random(SEED);
                for (long expected = 0; expected < MESSAGES; expected++) {
                    Completion c = side.await(side.receives);
                    int slot = (int) c.wrId();
                    int offset = slot * SLOT;
                    long seq = side.buffers.buffer().getLong(offset);
                    if (seq != expected) {
                        fail("expected message " + expected + " but got " + seq);
                    }
                    int length = 1 + sizes.nextInt(SLOT - 16);
                    assertEquals(16 + length, c.byteLength(), "message " + seq);
                    assertEquals(side.buffers.buffer().getInt(offset + 8), crc(side.buffers.buffer(), offset + 16,
                        length), "message " + seq + " is corrupted");
                    side.srq.postReceive(slot, side.buffers, offset, SLOT);
                }
                Completion done = side.await(side.receives);
                int doneOffset = (int) done.wrId() * SLOT;
                assertEquals(side.buffers.buffer().getInt(doneOffset), crc(side.region.buffer(), 0, PATTERN),
                    "the WRITTEN pattern");
                side.region.buffer().putLong(PATTERN, MESSAGES);
                assertTrue(side.queuePair.post(request.send(side.region, PATTERN, 8).wrId(1)));
                assertEquals(CompletionStatus.SUCCESS, side.await(side.sends).status());
                assertEquals("bye", in.readLine(), "the client finished");
                // This end dies before the client learns (by the socket closing) that it may probe it.
                nic.close();
            }
        }
    }

    private void client(Nic nic) throws Exception {
        Side side = new Side(nic);
        try (Socket socket = connectWithRetries();
             BufferedReader in = reader(socket);
             PrintWriter out = writer(socket)) {
            out.println(side.queuePair.localAddress().toExternalForm());
            String[] server = in.readLine().split(" ");
            side.queuePair.connect(TargetAddress.fromExternalForm(server[0]));
            int rkey = Integer.parseInt(server[1]);
            long base = Long.parseLong(server[2]);

            Random sizes = new Random(SEED);
            Random bytes = new Random(SEED + 1);
            for (long seq = 0; seq < MESSAGES; seq++) {
                int offset = (int) (seq % SLOTS) * SLOT;
                int length = 1 + sizes.nextInt(SLOT - 16);
                byte[] payload = new byte[length];
                bytes.nextBytes(payload);
                side.whenSpace();
                side.region.buffer().putLong(offset, seq);
                side.region.buffer().putBytes(offset + 16, payload);
                side.region.buffer().putInt(offset + 8, crc(side.region.buffer(), offset + 16, length));
                assertTrue(side.queuePair.post(request.send(side.region, offset, 16 + length).wrId(seq)));
                // Slot reuse: wait for the send that last used this slot before overwriting it again.
                if (seq % SLOTS == SLOTS - 1) {
                    side.drainSends();
                }
            }
            side.drainSends();

            byte[] pattern = new byte[PATTERN];
            new Random(SEED + 2).nextBytes(pattern);
            side.pattern.buffer().putBytes(0, pattern);
            assertTrue(side.queuePair.post(request.write(side.pattern, 0, PATTERN, base, rkey).wrId(10)));
            assertEquals(CompletionStatus.SUCCESS, side.await(side.sends).status());
            side.region.buffer().putInt(0, crc(side.pattern.buffer(), 0, PATTERN));
            assertTrue(side.queuePair.post(request.send(side.region, 0, 4).wrId(11)));
            assertEquals(CompletionStatus.SUCCESS, side.await(side.sends).status());

            side.pattern.buffer().setMemory(0, PATTERN, (byte) 0);
            assertTrue(side.queuePair.post(request.read(side.pattern, 0, PATTERN, base, rkey).wrId(12)));
            Completion read = side.await(side.sends);
            assertEquals(Opcode.READ, read.opcode());
            assertEquals(CompletionStatus.SUCCESS, read.status());
            assertEquals(crc(new VarHandleBuffer(pattern), 0, PATTERN),
                crc(side.pattern.buffer(), 0, PATTERN), "READ back what was written");

            Completion reply = side.await(side.receives);
            assertEquals(MESSAGES, side.buffers.buffer().getLong((int) reply.wrId() * SLOT), "server's count");
            out.println("bye");
            assertNull(in.readLine(), "the server closes the socket after its NIC");
        }
        long start = System.nanoTime();
        assertTrue(side.queuePair.post(request.write(side.pattern, 0, 8, 4096, 1).wrId(13)));
        Completion dead = side.await(side.sends);
        long detected = System.nanoTime() - start;
        assertEquals(CompletionStatus.RETRY_EXCEEDED, dead.status(), dead.toString());
        System.out.printf("wire: dead peer reported after %d ms%n", detected / 1_000_000);
        assertTrue(detected < PEER_TIMEOUT.toNanos() * 10, "took " + detected / 1_000_000 + " ms");
    }

    private static Socket connectWithRetries() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(SERVER, PORT), 5_000);
                return socket;
            } catch (IOException notYet) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static PrintWriter writer(Socket socket) throws IOException {
        return new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
    }

    private static int crc(DirectBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** One VM's resources: a connected RC queue pair with receive buffers and a region peers may access. */
    private final class Side {
        final CompletionQueue sends;
        final CompletionQueue receives;
        final SharedReceiveQueue srq;
        final MemoryRegion buffers;
        final MemoryRegion region;
        final MemoryRegion pattern;
        final ReliableQueuePair queuePair;

        Side(Nic nic) {
            sends = nic.createCompletionQueue(256);
            receives = nic.createCompletionQueue(256);
            srq = nic.createSharedReceiveQueue(SLOTS * 4);
            buffers = nic.allocateRegion(SLOTS * 4 * SLOT, EnumSet.of(Access.LOCAL_WRITE));
            region = nic.allocateRegion(PATTERN + SLOT, EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE,
                Access.REMOTE_READ));
            pattern = nic.allocateRegion(PATTERN, EnumSet.of(Access.LOCAL_WRITE));
            for (int i = 0; i < SLOTS * 4; i++) {
                srq.postReceive(i, buffers, (long) i * SLOT, SLOT);
            }
            queuePair = nic.createReliableQueuePair(sends, srq, receives, 64);
        }

        Completion await(CompletionQueue queue) {
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (queue.poll(one) == 1) {
                    return one[0];
                }
                Thread.onSpinWait();
            }
            return fail("no completion within " + AWAIT);
        }

        void whenSpace() {
            while (queuePair.sendQueueSpace() == 0) {
                drainOne();
            }
        }

        void drainSends() {
            while (queuePair.sendQueueSpace() < 64) {
                drainOne();
            }
        }

        private void drainOne() {
            Completion c = await(sends);
            assertEquals(CompletionStatus.SUCCESS, c.status(), c.toString());
        }
    }
}
