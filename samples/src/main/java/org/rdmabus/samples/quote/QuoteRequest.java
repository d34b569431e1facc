package org.rdmabus.samples.quote;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What a client asks a quote for: a symbol and a quantity, both checked on the way in.
 *
 * @param symbol the instrument: 1 to 8 upper-case letters or digits, starting with a letter, e.g. {@code ACME}.
 * @param qty    how many units, from 1 to {@value #MAX_QTY}.
 */
public record QuoteRequest(String symbol, int qty) {

    /** The largest quantity a quote is given for. */
    public static final int MAX_QTY = 1_000_000;

    /** The JSON field (and HTTP query parameter) of {@link #symbol()}. */
    public static final String SYMBOL = "symbol";
    /** The JSON field (and HTTP query parameter) of {@link #qty()}. */
    public static final String QTY = "qty";

    private static final Pattern SYMBOL_PATTERN = Pattern.compile("[A-Z][A-Z0-9]{0,7}");

    /**
     * @throws IllegalArgumentException if the symbol or the quantity is out of range, saying which and why.
     */
    public QuoteRequest {
        if (symbol == null || !SYMBOL_PATTERN.matcher(symbol).matches()) {
            throw new IllegalArgumentException("symbol must be 1 to 8 upper-case letters or digits, starting with a "
                + "letter, not " + (symbol == null ? "missing" : "'" + symbol + "'"));
        }
        if (qty < 1 || qty > MAX_QTY) {
            throw new IllegalArgumentException("qty must be between 1 and " + MAX_QTY + ", not " + qty);
        }
    }

    /**
     * Reads a request from text, such as HTTP query parameters.
     *
     * @param symbol the symbol, or {@code null} if absent.
     * @param qty    the quantity as text, or {@code null} if absent.
     * @return the request.
     * @throws IllegalArgumentException if either is absent or invalid, saying which and why.
     */
    public static QuoteRequest parse(String symbol, String qty) {
        if (qty == null) {
            throw new IllegalArgumentException("qty is missing");
        }
        int parsed;
        try {
            parsed = Integer.parseInt(qty.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("qty must be an integer, not '" + qty + "'", e);
        }
        return new QuoteRequest(symbol, parsed);
    }

    /**
     * @param json a request as {@link #toJson()} writes it.
     * @return the request.
     * @throws IllegalArgumentException if a field is missing, of the wrong type, or invalid.
     */
    public static QuoteRequest fromJson(JsonObject json) {
        Object qty = json.getValue(QTY);
        if (!(qty instanceof Integer || qty instanceof Long)) {
            throw new IllegalArgumentException("qty must be an integer, not " + qty);
        }
        long value = ((Number) qty).longValue();
        if (value < 1 || value > MAX_QTY) {
            throw new IllegalArgumentException("qty must be between 1 and " + MAX_QTY + ", not " + value);
        }
        Object symbol = json.getValue(SYMBOL);
        return new QuoteRequest(symbol instanceof String text ? text : null, (int) value);
    }

    /** @return {@code {"symbol":..,"qty":..}}. */
    public JsonObject toJson() {
        return new JsonObject().put(SYMBOL, symbol).put(QTY, qty);
    }
}
