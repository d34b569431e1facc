package org.rdmabus.samples.functions;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;

/**
 * The checkout's toy business: deterministic models of the two services, so that every answer can be checked, and
 * the two event-bus calls a checkout makes.
 *
 * <ul>
 *   <li>catalog: the price of item {@code i} is {@code 100 + floorMod(i * 2654435761, 99900)} cents;</li>
 *   <li>tax: the rate of region {@code r} is {@code floorMod(r * 31 + 7, 2500)} basis points;</li>
 *   <li>total: {@code price * (10000 + rate) / 10000} cents, rounded half up.</li>
 * </ul>
 */
public final class Checkout {

    /** The event-bus address of the catalog service. */
    public static final String CATALOG_ADDRESS = "functions.catalog";
    /** The event-bus address of the tax service. */
    public static final String TAX_ADDRESS = "functions.tax";
    /** The largest item or region number. */
    public static final long MAX_ID = 999_999_999L;
    /** How long a call waits for its service's answer. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** The failure code a service answers an argument it refuses with. */
    public static final int BAD_REQUEST = 400;

    private static final long BASIS = 10_000;
    private static final DeliveryOptions CALL = new DeliveryOptions().setSendTimeout(CALL_TIMEOUT.toMillis());

    private Checkout() {
    }

    /**
     * @param item an item number.
     * @return its price in cents.
     * @throws IllegalArgumentException if the number is out of range.
     */
    public static long priceCents(long item) {
        checkId("item", item);
        return 100 + Math.floorMod(item * 2_654_435_761L, 99_900L);
    }

    /**
     * @param region a region number.
     * @return its tax rate in basis points.
     * @throws IllegalArgumentException if the number is out of range.
     */
    public static long taxBps(long region) {
        checkId("region", region);
        return Math.floorMod(region * 31 + 7, 2_500L);
    }

    /**
     * @param priceCents a price in cents.
     * @param taxBps     a tax rate in basis points.
     * @return the price with the tax, in cents, rounded half up.
     */
    public static long totalCents(long priceCents, long taxBps) {
        return (priceCents * (BASIS + taxBps) + BASIS / 2) / BASIS;
    }

    /**
     * @param request a checkout.
     * @return its total as the models compute it, for checking a function's answer.
     */
    public static long expectedTotalCents(CheckoutRequest request) {
        return totalCents(priceCents(request.item()), taxBps(request.region()));
    }

    /**
     * Asks catalog for the price, then tax for the rate, over the event bus.
     *
     * @param bus     the event bus.
     * @param request the checkout.
     * @return its total in cents, or the failure of either call.
     */
    public static Future<Long> totalCents(EventBus bus, CheckoutRequest request) {
        return bus.<Long>request(CATALOG_ADDRESS, request.item(), CALL).map(Message::body)
            .compose(price -> bus.<Long>request(TAX_ADDRESS, request.region(), CALL)
                .map(rate -> totalCents(price, rate.body())));
    }

    static void checkId(String what, long id) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException(what + " must be between 0 and " + MAX_ID + ", not " + id);
        }
    }
}
