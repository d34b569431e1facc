package org.rdmabus.samples.functions;

/**
 * What a checkout function is invoked with: the item bought and the tax region it is shipped to.
 *
 * @param item   the catalog's item number, from 0 to {@link Checkout#MAX_ID}.
 * @param region the tax region's number, from 0 to {@link Checkout#MAX_ID}.
 */
public record CheckoutRequest(long item, long region) {

    /**
     * @throws IllegalArgumentException if a number is out of range.
     */
    public CheckoutRequest {
        Checkout.checkId("item", item);
        Checkout.checkId("region", region);
    }

    /**
     * @param index the invocation's number.
     * @return a request that varies with {@code index}, so that invocations do not all ask the same.
     */
    public static CheckoutRequest numbered(long index) {
        return new CheckoutRequest(Math.floorMod(index * 7_919L, Checkout.MAX_ID + 1),
            Math.floorMod(index * 104_729L + 13, Checkout.MAX_ID + 1));
    }
}
