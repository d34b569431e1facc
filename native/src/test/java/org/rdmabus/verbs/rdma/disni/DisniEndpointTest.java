package org.rdmabus.verbs.rdma.disni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.disni.RdmaActiveEndpoint;
import com.ibm.disni.RdmaActiveEndpointGroup;
import com.ibm.disni.RdmaEndpointFactory;
import com.ibm.disni.RdmaServerEndpoint;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.rdma.DisniLibrary;
import org.rdmabus.verbs.rdma.VerbsDevice;

/**
 * DiSNI's own endpoint API over this module's libdisni.so on a real device (Soft-RoCE in the VM): rdma_cm
 * connection set-up, SEND/RECV both ways, and an RDMA READ of the server's registered memory.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DisniEndpointTest {
    private static final int BUFFER = 4096;
    private static final long WAIT_SECONDS = 60;

    private RdmaActiveEndpointGroup<Endpoint> serverGroup;
    private RdmaActiveEndpointGroup<Endpoint> clientGroup;

    @BeforeEach
    void groups() throws IOException {
        VerbsDevice.assumePresent();
        DisniLibrary.load();
        serverGroup = group();
        clientGroup = group();
    }

    private static RdmaActiveEndpointGroup<Endpoint> group() throws IOException {
        // Blocking completion processing: exercises completion channels, CQ events and their acknowledgement.
        RdmaActiveEndpointGroup<Endpoint> group = new RdmaActiveEndpointGroup<>(1000, false, 16, 1, 64);
        group.init(new Factory(group));
        return group;
    }

    @AfterEach
    void close() throws Exception {
        if (clientGroup != null) {
            clientGroup.close();
        }
        if (serverGroup != null) {
            serverGroup.close();
        }
    }

    @Test
    void sendReceiveAndReadThroughRdmaCm() throws Exception {
        InetSocketAddress address = new InetSocketAddress(VerbsDevice.ADDRESS,
            20000 + ThreadLocalRandom.current().nextInt(20000));
        RdmaServerEndpoint<Endpoint> listener = serverGroup.createServerEndpoint();
        listener.bind(address, 4);
        CompletableFuture<Endpoint> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Endpoint client = clientGroup.createEndpoint();
        client.connect(address, 5000);
        Endpoint server = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(client.isConnected() && server.isConnected());
        assertEquals(address, client.getDstAddr());

        // Client to server: a SEND lands in the receive the server posted at set-up.
        byte[] hello = "hello from the client over rxe".getBytes(StandardCharsets.UTF_8);
        client.send(hello);
        assertEquals(IbvWC.IbvWcOpcode.IBV_WC_SEND.getOpcode(), client.awaitCompletion().getOpcode());
        IbvWC received = server.awaitCompletion();
        assertEquals(IbvWC.IbvWcOpcode.IBV_WC_RECV.getOpcode(), received.getOpcode());
        assertEquals(hello.length, received.getByte_len());
        assertEquals(new String(hello, StandardCharsets.UTF_8), server.receivedText(received.getByte_len()));

        // Server to client: where its data region is and its key, so the client can READ it.
        byte[] secret = new byte[1024];
        ThreadLocalRandom.current().nextBytes(secret);
        server.data.clear();
        server.data.put(secret);
        ByteBuffer advert = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        advert.putLong(server.dataMr.getAddr()).putInt(secret.length).putInt(server.dataMr.getRkey());
        server.send(advert.array());
        assertEquals(IbvWC.IbvWcOpcode.IBV_WC_SEND.getOpcode(), server.awaitCompletion().getOpcode());
        IbvWC advertised = client.awaitCompletion();
        assertEquals(16, advertised.getByte_len());
        ByteBuffer in = client.receive.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long remoteAddress = in.getLong(0);
        int length = in.getInt(8);
        int rkey = in.getInt(12);

        client.read(remoteAddress, length, rkey);
        IbvWC read = client.awaitCompletion();
        assertEquals(IbvWC.IbvWcStatus.IBV_WC_SUCCESS.ordinal(), read.getStatus());
        assertEquals(IbvWC.IbvWcOpcode.IBV_WC_RDMA_READ.getOpcode(), read.getOpcode());
        byte[] copy = new byte[length];
        client.data.clear();
        client.data.get(copy);
        assertEquals(ByteBuffer.wrap(secret), ByteBuffer.wrap(copy), "READ copied the server's bytes");

        client.close();
        server.close();
        listener.close();
    }

    private static final class Factory implements RdmaEndpointFactory<Endpoint> {
        private final RdmaActiveEndpointGroup<Endpoint> group;

        Factory(RdmaActiveEndpointGroup<Endpoint> group) {
            this.group = group;
        }

        @Override
        public Endpoint createEndpoint(RdmaCmId id, boolean serverSide) throws IOException {
            return new Endpoint(group, id, serverSide);
        }
    }

    /** An endpoint with a send, a receive and a data buffer, handing completions to the test thread. */
    private static final class Endpoint extends RdmaActiveEndpoint {
        private final BlockingQueue<IbvWC> completions = new ArrayBlockingQueue<>(64);
        private final ByteBuffer send = ByteBuffer.allocateDirect(BUFFER);
        private final ByteBuffer receive = ByteBuffer.allocateDirect(BUFFER);
        private final ByteBuffer data = ByteBuffer.allocateDirect(BUFFER);
        private IbvMr sendMr;
        private IbvMr receiveMr;
        private IbvMr dataMr;
        private final AtomicLong nextId = new AtomicLong();

        Endpoint(RdmaActiveEndpointGroup<Endpoint> group, RdmaCmId id, boolean serverSide) throws IOException {
            super(group, id, serverSide);
        }

        @Override
        protected synchronized void init() throws IOException {
            sendMr = registerMemory(send).execute().free().getMr();
            receiveMr = registerMemory(receive).execute().free().getMr();
            dataMr = registerMemory(data).execute().free().getMr();
            postReceive();
        }

        private void postReceive() throws IOException {
            IbvRecvWR request = new IbvRecvWR();
            request.setWr_id(nextId.getAndIncrement());
            request.setSg_list(new LinkedList<>(List.of(sge(receiveMr, BUFFER))));
            request.setNum_sge(1);
            postRecv(List.of(request)).execute().free();
        }

        private static IbvSge sge(IbvMr mr, int length) {
            IbvSge sge = new IbvSge();
            sge.setAddr(mr.getAddr());
            sge.setLength(length);
            sge.setLkey(mr.getLkey());
            return sge;
        }

        void send(byte[] payload) throws IOException {
            send.clear();
            send.put(payload);
            IbvSendWR request = new IbvSendWR();
            request.setWr_id(nextId.getAndIncrement());
            request.setOpcode(IbvSendWR.IBV_WR_SEND);
            request.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
            request.setSg_list(new LinkedList<>(List.of(sge(sendMr, payload.length))));
            request.setNum_sge(1);
            postSend(List.of(request)).execute().free();
        }

        void read(long remoteAddress, int length, int rkey) throws IOException {
            IbvSendWR request = new IbvSendWR();
            request.setWr_id(nextId.getAndIncrement());
            request.setOpcode(IbvSendWR.IBV_WR_RDMA_READ);
            request.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
            request.getRdma().setRemote_addr(remoteAddress);
            request.getRdma().setRkey(rkey);
            request.setSg_list(new LinkedList<>(List.of(sge(dataMr, length))));
            request.setNum_sge(1);
            postSend(List.of(request)).execute().free();
        }

        String receivedText(int length) {
            byte[] bytes = new byte[length];
            receive.duplicate().get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public void dispatchCqEvent(IbvWC wc) throws IOException {
            IbvWC copy = wc.clone();
            if (wc.getOpcode() == IbvWC.IbvWcOpcode.IBV_WC_RECV.getOpcode()) {
                postReceive();
            }
            completions.add(copy);
        }

        IbvWC awaitCompletion() throws InterruptedException {
            IbvWC wc = completions.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(wc, "no completion within " + WAIT_SECONDS + " s");
            assertEquals(IbvWC.IbvWcStatus.IBV_WC_SUCCESS.ordinal(), wc.getStatus(),
                () -> "completion failed: " + IbvWC.IbvWcStatus.valueOf(wc.getStatus()));
            return wc;
        }
    }
}
