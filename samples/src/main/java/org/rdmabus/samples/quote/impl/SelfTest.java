package org.rdmabus.samples.quote.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rdmabus.samples.quote.HopTimings;
import org.rdmabus.samples.quote.PricingModel;
import org.rdmabus.samples.quote.Quote;
import org.rdmabus.samples.quote.QuoteRequest;
import org.rdmabus.samples.quote.RiskModel;

/**
 * The {@code --self-test N} client: sends N quote requests to the gateway, one at a time, over plain
 * {@link HttpClient}, and checks every answer against the toy models, the hop timings' nesting, and the services'
 * process ids.
 */
final class SelfTest {

    private static final int OK = 200;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int DOTS = 10;
    private static final List<String> SYMBOLS =
        List.of("ACME", "GLOBX", "INITECH", "UMBRL", "STARK", "WAYNE", "TYRELL", "CYBRDYN");
    /** Seven quantities against eight symbols: the pairs repeat only after 56 requests. */
    private static final List<Integer> QUANTITIES = List.of(100, 1, 2_500, 40_000, QuoteRequest.MAX_QTY, 7, 333);

    private final HttpClient client;
    private final URI quoteUri;
    private final Quote.Pids servicePids;

    /**
     * @param client      the HTTP client.
     * @param quoteUri    the gateway's quote resource, e.g. {@code http://127.0.0.1:8080/quote}.
     * @param servicePids the process ids the three nodes reported: every quote must name them.
     */
    SelfTest(HttpClient client, URI quoteUri, Quote.Pids servicePids) {
        this.client = client;
        this.quoteUri = quoteUri;
        this.servicePids = servicePids;
    }

    /**
     * @param index the request's number, from 0.
     * @return the request the self-test sends as that number.
     */
    static QuoteRequest request(int index) {
        return new QuoteRequest(SYMBOLS.get(index % SYMBOLS.size()), QUANTITIES.get(index % QUANTITIES.size()));
    }

    /**
     * Sends the requests, printing a dot per tenth done.
     *
     * @param warmup   whether these are warm-up requests.
     * @param count    how many requests.
     * @param deadline the {@link System#nanoTime()} after which it sends no more, even if not all were sent.
     * @param out      where the dots go.
     * @return one check per request sent, in order.
     */
    List<QuoteCheck> run(boolean warmup, int count, long deadline, PrintStream out) {
        List<QuoteCheck> checks = new ArrayList<>(count);
        int dots = 0;
        for (int i = 0; i < count && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted(); i++) {
            checks.add(send(warmup, request(i)));
            int due = (int) ((long) (i + 1) * DOTS / count);
            if (due > dots) {
                out.print(".".repeat(due - dots));
                out.flush();
                dots = due;
            }
        }
        return checks;
    }

    private QuoteCheck send(boolean warmup, QuoteRequest request) {
        URI uri = URI.create(quoteUri + "?" + QuoteRequest.SYMBOL + "=" + encode(request.symbol()) + "&"
            + QuoteRequest.QTY + "=" + request.qty());
        HttpRequest http = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return noResponse(warmup, request, System.nanoTime() - start, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return noResponse(warmup, request, System.nanoTime() - start, "interrupted");
        }
        long roundTrip = System.nanoTime() - start;
        return check(warmup, request, response.statusCode(), response.body(), roundTrip, servicePids);
    }

    /**
     * @param warmup      whether it was a warm-up request.
     * @param request     what was asked.
     * @param status      the HTTP status.
     * @param body        the response body.
     * @param roundTrip   the HTTP round trip in nanoseconds.
     * @param servicePids the process ids the quote must name.
     * @return what is wrong with the answer, if anything.
     */
    static QuoteCheck check(boolean warmup, QuoteRequest request, int status, String body, long roundTrip,
                            Quote.Pids servicePids) {
        List<String> problems = new ArrayList<>();
        if (status != OK) {
            problems.add("HTTP " + status + ": " + body);
            return new QuoteCheck(warmup, request, status, body, roundTrip, Optional.empty(), problems);
        }
        Quote quote;
        try {
            quote = Quote.fromJson(new JsonObject(body));
        } catch (DecodeException | IllegalArgumentException e) {
            problems.add("not a quote (" + e.getMessage() + "): " + body);
            return new QuoteCheck(warmup, request, status, body, roundTrip, Optional.empty(), problems);
        }
        checkPrice(request, quote, problems);
        checkTimings(quote.latency(), roundTrip, problems);
        if (!quote.pids().equals(servicePids)) {
            problems.add("the quote names the processes " + quote.pids() + ", the nodes reported " + servicePids);
        }
        return new QuoteCheck(warmup, request, status, body, roundTrip, Optional.of(quote), problems);
    }

    private static void checkPrice(QuoteRequest request, Quote quote, List<String> problems) {
        if (!quote.request().equals(request)) {
            problems.add("a quote for " + quote.request() + " when " + request + " was asked");
            return;
        }
        long unit = PricingModel.unitPriceCents(request.symbol());
        long notional = PricingModel.notionalCents(unit, request.qty());
        int bps = RiskModel.riskBps(request.symbol(), notional);
        long price = PricingModel.priceCents(notional, bps);
        if (quote.unitPriceCents() != unit || quote.riskBps() != bps || quote.priceCents() != price) {
            problems.add(String.format(Locale.ROOT, "priced %d x %d cents + %d bps = %d cents; the models say %d x %d "
                + "cents + %d bps = %d cents", request.qty(), quote.unitPriceCents(), quote.riskBps(), quote.priceCents(),
                request.qty(), unit, bps, price));
        }
    }

    private static void checkTimings(HopTimings hops, long roundTrip, List<String> problems) {
        if (hops.pricingToRiskNanos() <= 0 || hops.gatewayToPricingNanos() <= 0 || hops.totalNanos() <= 0) {
            problems.add("a hop took no time: " + hops);
        }
        // Each hop runs inside the one before it, and the JVMs on one host share the monotonic clock's rate.
        if (hops.pricingToRiskNanos() > hops.gatewayToPricingNanos()
            || hops.gatewayToPricingNanos() > hops.totalNanos()) {
            problems.add("the hops do not nest: " + hops);
        }
        if (hops.totalNanos() > roundTrip) {
            problems.add("the gateway's total " + hops.totalNanos() + " ns exceeds the HTTP round trip " + roundTrip
                + " ns");
        }
    }

    private static QuoteCheck noResponse(boolean warmup, QuoteRequest request, long roundTrip, String why) {
        return new QuoteCheck(warmup, request, QuoteCheck.NO_RESPONSE, why, roundTrip, Optional.empty(),
            List.of("no response: " + why));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
