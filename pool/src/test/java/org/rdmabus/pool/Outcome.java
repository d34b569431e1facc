package org.rdmabus.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;

/** Sends one message and exposes its outcome as a future: {@code null} when delivered, else the failure. */
final class Outcome implements SendCallback {
    final CompletableFuture<PoolException> done = new CompletableFuture<>();

    @Override
    public void onComplete(PoolException failure) {
        if (!done.complete(failure)) {
            throw new AssertionError("send callback called twice");
        }
    }

    PoolException await() throws Exception {
        return done.get(30, TimeUnit.SECONDS);
    }

    /** Offers a message, retrying on back-pressure for up to ten seconds. */
    static Outcome send(Connection connection, byte[] payload) throws InterruptedException {
        Outcome outcome = new Outcome();
        VarHandleBuffer buffer = new VarHandleBuffer(payload);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.offer(FrameType.MESSAGE, 0, buffer, 0, payload.length, outcome)
            == SendStatus.BACK_PRESSURED) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("back-pressured for ten seconds");
            }
            Thread.sleep(1);
        }
        return outcome;
    }
}
