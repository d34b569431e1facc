package org.rdmabus.transport.semantics;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.EventBusImpl;
import org.junit.jupiter.api.Test;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannel;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.Frames;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-bus semantics with rdmabus on, over the loopback channel, plus what only exists with a channel: frames
 * that a peer could send but Vert.x's own client never would.
 */
class EventBusSemanticsOverChannelTest extends EventBusSemanticsContract {

    @Override
    boolean overChannel() {
        return true;
    }

    @Test
    void malformedFramesAreCountedAndDroppedWithoutHurtingThePoller() {
        LoopbackNodeChannel channel = cluster.channel(1);
        HookCounters counters = cluster.counters(1);
        long malformedBefore = counters.inboundMalformed();
        String address = address("after-garbage");
        Promise<Object> received = Promise.promise();
        consumer(1, address, message -> received.tryComplete(message.body()));

        Buffer valid = Frames.send(bus(0), cluster.nodeId(0), address, null, "valid");
        channel.injectInbound(cluster.nodeId(0), Buffer.buffer(new byte[]{0, 0, 0}));
        channel.injectInbound(cluster.nodeId(0), valid.copy().setInt(0, valid.length() + 100));
        channel.injectInbound(cluster.nodeId(0), Buffer.buffer().appendInt(12).appendBytes(new byte[]{2, 0, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3, 4}));
        channel.injectInbound(cluster.nodeId(0), valid);

        assertEquals("valid", Await.result(received.future()));
        Await.until("three malformed frames counted", Duration.ofSeconds(10), () -> counters.inboundMalformed() - malformedBefore == 3);
        assertEquals(0, channel.handlerFailures());
    }

    @Test
    void pingFramesAreNeverDelivered() {
        String address = address("ping-target");
        AtomicInteger delivered = new AtomicInteger();
        consumer(1, address, message -> delivered.incrementAndGet());
        HookCounters counters = cluster.counters(1);
        long pingsBefore = counters.inboundPings();
        cluster.channel(1).injectInbound(cluster.nodeId(0), Frames.ping(bus(0), cluster.nodeId(0), address));
        Await.until("the ping counted", Duration.ofSeconds(10), () -> counters.inboundPings() == pingsBefore + 1);
        assertEquals(0, delivered.get());
    }

    @Test
    void aRequestWithoutHandlersIsAnsweredNoHandlersFromAVertxThread() {
        String catcher = address("catcher");
        Promise<Object> answer = Promise.promise();
        consumer(0, catcher, message -> answer.tryComplete(message.body()));
        Buffer request = Frames.send(bus(0), cluster.nodeId(0), address("nobody-here"), catcher, "x");
        cluster.channel(1).injectInbound(cluster.nodeId(0), request);
        ReplyException noHandlers = assertInstanceOf(ReplyException.class, Await.result(answer.future()));
        assertEquals(ReplyFailure.NO_HANDLERS, noHandlers.failureType());
        assertTrue(cluster.counters(1).inboundNoHandlers() >= 1);
    }

    @Test
    void theRdmabusInterceptorMovesItselfBehindInterceptorsAddedLater() throws ReflectiveOperationException {
        Handler<DeliveryContext<Object>> user = DeliveryContext::next;
        bus(2).addOutboundInterceptor(user);
        try {
            Object[] before = outboundInterceptors(2);
            assertEquals(2, before.length);
            assertSame(user, before[1]);
            bus(2).send(address("any"), "moves it");
            Object[] after = outboundInterceptors(2);
            assertEquals(2, after.length);
            assertSame(user, after[0]);
            assertEquals("HandOverInterceptor", after[1].getClass().getSimpleName());
        } finally {
            bus(2).removeOutboundInterceptor(user);
        }
    }

    private Object[] outboundInterceptors(int node) throws ReflectiveOperationException {
        Method interceptors = EventBusImpl.class.getDeclaredMethod("outboundInterceptors");
        interceptors.setAccessible(true);
        return (Object[]) interceptors.invoke(bus(node));
    }
}
