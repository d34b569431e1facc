package org.rdmabus.samples.ticker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A tick's wire form, strictly checked, and the publisher's count, order and pace on one local Vert.x. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TickTest {

    @Test
    void aTickRoundTripsAndACorruptOneIsRefused() {
        Tick tick = Tick.next(41);
        Buffer wire = tick.toBuffer();
        assertEquals(Tick.BYTES, wire.length());
        assertEquals(tick, Tick.fromBuffer(wire));
        assertEquals(41, wire.getLong(0));
        assertThrows(IllegalArgumentException.class, () -> Tick.fromBuffer(wire.getBuffer(0, 23)));
        assertThrows(IllegalArgumentException.class, () -> Tick.fromBuffer(null));
        Buffer wrongPrice = wire.copy().setLong(8, tick.priceCents() + 1);
        assertThrows(IllegalArgumentException.class, () -> Tick.fromBuffer(wrongPrice));
        assertThrows(IllegalArgumentException.class, () -> Tick.next(-1));
        for (long sequence = 0; sequence < 10_000; sequence++) {
            long price = Tick.priceOf(sequence);
            assertTrue(price >= 9_000 && price <= 11_000, "a price near $100: " + price);
        }
    }

    @Test
    void thePublisherPublishesEveryTickInOrderAtItsRate() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            List<Long> received = Collections.synchronizedList(new ArrayList<>());
            vertx.eventBus().<Buffer>consumer(Tick.ADDRESS, message -> received.add(Tick.fromBuffer(message.body())
                .sequence())).completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Promise<TickerPublisher.Published> done = Promise.promise();
            vertx.deployVerticle(new TickerPublisher(1_500, 1_000, done));
            TickerPublisher.Published published =
                done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1_500, published.count());
            // 1,500 ticks at 1,000/s: the last is due after 1.499 s, not before.
            assertTrue(published.nanos() >= TimeUnit.MILLISECONDS.toNanos(1_499), published.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < 1_500 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            List<Long> copy;
            synchronized (received) {
                copy = new ArrayList<>(received);
            }
            assertEquals(LongStream.range(0, 1_500).boxed().toList(), copy, "every tick, once, in order");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThrows(IllegalArgumentException.class, () -> new TickerPublisher(0, 10, Promise.promise()));
        assertThrows(IllegalArgumentException.class, () -> new TickerPublisher(10, 0, Promise.promise()));
    }
}
