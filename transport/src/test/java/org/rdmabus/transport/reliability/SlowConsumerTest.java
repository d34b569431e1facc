package org.rdmabus.transport.reliability;

import io.reactivex.rxjava3.core.FlowableSubscriber;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.pool.QpPool;
import org.rdmabus.pool.ReceivedMessage;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.transport.impl.stream.CreditedFlowable;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.verbs.NicOptions;
import org.reactivestreams.Subscription;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer ten times slower than its sender, over the warm pool on the soft fabric, with the receiving stack the
 * channel API streams through: each message keeps its receive buffer (so one of the sender's credits) until a
 * {@link CreditedFlowable}'s subscriber, which requests one item at a time, has handled it.
 *
 * <p>Proves: back-pressure reaches the sender (its offers are refused for back-pressure and it is paced to the
 * consumer's rate, not its own); the receiver never holds more than the credits it granted; heap (after GC) and
 * off-heap memory (direct and mapped buffers) stay within fixed ceilings; and nothing is dropped: every message
 * arrives, once, in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowConsumerTest {

    private static final int MESSAGES = 1_500;
    private static final int CREDITS = 16;
    private static final int SEND_QUEUE = 64;
    private static final long CONSUMER_MICROS = 2_000;
    private static final long SENDER_MICROS = CONSUMER_MICROS / 10;
    private static final long HEAP_CEILING = 24L << 20;
    private static final long OFF_HEAP_CEILING = 1L << 20;

    @Test
    void creditsAndFlowableDemandPaceASenderTenTimesFasterThanItsConsumer() throws Exception {
        List<Thread> pollers = new ArrayList<>();
        AtomicInteger running = new AtomicInteger(1);
        ExecutorService consumerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "slow-consumer"));
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("slow");
                 QpPool sender = start(options("slow-sender", directory), pollers, running);
                 QpPool receiver = start(options("slow-receiver", directory), pollers, running)) {
            sender.directory().put("slow-receiver", receiver.advertisedAddress());
            receiver.directory().put("slow-sender", sender.advertisedAddress());

            List<Integer> consumed = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger held = new AtomicInteger();
            AtomicInteger maxHeld = new AtomicInteger();
            AtomicInteger maxLent = new AtomicInteger();
            AtomicLong dropped = new AtomicLong();
            CreditedFlowable<Item> stream = new CreditedFlowable<>(CREDITS, consumerThread, item -> {
                held.decrementAndGet();
                item.handle.release();
            }, failure -> dropped.incrementAndGet());
            receiver.messageSink((source, buffer, offset, length, handle) -> {
                Item item = new Item(buffer.getInt(offset), handle);
                maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                maxLent.accumulateAndGet(receiver.stats().receiveBuffersLent(), Math::max);
                if (!stream.offer(item)) {
                    held.decrementAndGet();
                    dropped.incrementAndGet();
                    handle.release();
                }
            });
            stream.subscribe(new FlowableSubscriber<Item>() {
                private Subscription subscription;

                @Override
                public void onSubscribe(Subscription s) {
                    subscription = s;
                    s.request(1);
                }

                @Override
                public void onNext(Item item) {
                    consumed.add(item.number);
                    pause(CONSUMER_MICROS);
                    subscription.request(1);
                }

                @Override
                public void onError(Throwable t) {
                    dropped.incrementAndGet();
                }

                @Override
                public void onComplete() {
                }
            });

            long heapBefore = heapAfterGc();
            long offHeapBefore = offHeap();
            Connection connection = sender.connect("slow-receiver").toCompletableFuture().get(10, TimeUnit.SECONDS);
            Semaphore room = new Semaphore(0);
            connection.drainHandler(room::release);
            AtomicLong failures = new AtomicLong();
            long backPressured = 0;
            VarHandleBuffer payload = new VarHandleBuffer(new byte[256]);
            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                payload.putInt(0, i);
                // The sender tries ten times the consumer's rate; a refusal for back-pressure makes it wait for room.
                while (connection.offer(FrameType.MESSAGE, 0, payload, 0, payload.capacity(), failure -> {
                    if (failure != null) {
                        failures.incrementAndGet();
                    }
                }) == SendStatus.BACK_PRESSURED) {
                    backPressured++;
                    room.tryAcquire(100, TimeUnit.MILLISECONDS);
                }
                pause(SENDER_MICROS);
            }
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Await.until("every message consumed", Duration.ofSeconds(60), () -> consumed.size() >= MESSAGES);
            long consumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long heapGrowth = heapAfterGc() - heapBefore;
            long offHeapGrowth = offHeap() - offHeapBefore;

            assertEquals(0, dropped.get(), "dropped");
            assertEquals(0, failures.get(), "failed sends");
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i, consumed.get(i), "message at position " + i);
            }
            assertTrue(backPressured > 0, "the sender met back-pressure");
            long unpacedMillis = MESSAGES * SENDER_MICROS / 1000;
            long pacedMillis = (MESSAGES - CREDITS - SEND_QUEUE) * CONSUMER_MICROS / 1000;
            assertTrue(sendMillis >= pacedMillis, "the sender was paced to the consumer: it took " + sendMillis + " ms, unpaced it needs "
                + unpacedMillis + " ms, the consumer at least " + pacedMillis + " ms");
            assertTrue(maxHeld.get() <= CREDITS, "the receiver held " + maxHeld.get() + " messages, more than its " + CREDITS + " credits");
            assertTrue(maxLent.get() <= CREDITS, "receive buffers lent at once: " + maxLent.get());
            assertTrue(heapGrowth < HEAP_CEILING, "heap grew by " + heapGrowth + " bytes");
            assertTrue(offHeapGrowth < OFF_HEAP_CEILING, "off-heap memory grew by " + offHeapGrowth + " bytes");
            System.out.printf("FIGURES slow: messages=%d sender attempted %d/s, consumer ~%d/s; send took %d ms (unpaced %d ms), all consumed after %d ms;"
                    + " back-pressure refusals=%d; receiver held at most %d (credits %d); heap growth after GC %d KiB (ceiling %d KiB); off-heap growth %d B; dropped %d%n",
                MESSAGES, 1_000_000 / SENDER_MICROS, 1_000_000 / CONSUMER_MICROS, sendMillis, unpacedMillis, consumeMillis, backPressured, maxHeld.get(), CREDITS,
                heapGrowth >> 10, HEAP_CEILING >> 10, offHeapGrowth, dropped.get());
        } finally {
            running.set(0);
            for (Thread poller : pollers) {
                poller.join(10_000);
            }
            consumerThread.shutdownNow();
            consumerThread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** One received message: its number, read at once, and the receive buffer it keeps until consumed. */
    private record Item(int number, ReceivedMessage handle) {
    }

    private static PoolOptions options(String nodeId, SoftFabricDirectory directory) {
        return new PoolOptions().nodeId(nodeId).accessKey("slow-consumer-test")
            .nicOptions(new NicOptions().provider("soft").directory(directory.path()))
            .receiveBuffers(128).receiveBufferSize(4096).initialCredits(CREDITS).sendQueueDepth(SEND_QUEUE).promotionThreshold(0);
    }

    private static QpPool start(PoolOptions options, List<Thread> pollers, AtomicInteger running) throws Exception {
        QpPool pool = new QpPool(options);
        pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < pool.pollerCount(); i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
                while (running.get() == 1) {
                    idle.idle(pool.doWork(index));
                }
            }, "slow-poller-" + options.nodeId());
            thread.setDaemon(true);
            thread.start();
            pollers.add(thread);
        }
        return pool;
    }

    private static void pause(long micros) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long offHeap() {
        long sum = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sum += pool.getMemoryUsed();
        }
        return sum;
    }
}
