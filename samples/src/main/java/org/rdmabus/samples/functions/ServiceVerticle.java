package org.rdmabus.samples.functions;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * One of the two services a checkout calls: answers a {@code Long} on its address with a {@code Long}, or fails the
 * request with {@link Checkout#BAD_REQUEST} when the argument is not a {@code Long} or out of range.
 */
public final class ServiceVerticle extends VerticleBase {

    private final String address;
    private final LongUnaryOperator model;

    /**
     * @param address the event-bus address to answer on.
     * @param model   the answer to each argument; throws {@link IllegalArgumentException} for one it refuses.
     */
    public ServiceVerticle(String address, LongUnaryOperator model) {
        this.address = Objects.requireNonNull(address, "address");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** @return the catalog service: an item's price in cents on {@value Checkout#CATALOG_ADDRESS}. */
    public static ServiceVerticle catalog() {
        return new ServiceVerticle(Checkout.CATALOG_ADDRESS, Checkout::priceCents);
    }

    /** @return the tax service: a region's rate in basis points on {@value Checkout#TAX_ADDRESS}. */
    public static ServiceVerticle tax() {
        return new ServiceVerticle(Checkout.TAX_ADDRESS, Checkout::taxBps);
    }

    /** @return once the consumer is registered in the cluster. */
    @Override
    public Future<?> start() {
        return vertx.eventBus().<Object>consumer(address, this::answer).completion();
    }

    private void answer(Message<Object> message) {
        if (!(message.body() instanceof Long argument)) {
            message.fail(Checkout.BAD_REQUEST, address + " takes a Long, not " + message.body());
            return;
        }
        long answer;
        try {
            answer = model.applyAsLong(argument);
        } catch (IllegalArgumentException e) {
            message.fail(Checkout.BAD_REQUEST, address + ": " + e.getMessage());
            return;
        }
        message.reply(answer);
    }
}
