package org.rdmabus.samples.quote;

import io.vertx.core.eventbus.ReplyException;

/**
 * How the quote services report a failed call: as an HTTP status, which travels unchanged as the failure code of an
 * event-bus reply from risk to pricing to the gateway, and then to the client.
 */
final class Failures {

    /** The request was malformed. */
    static final int BAD_REQUEST = 400;
    /** A downstream service answered with a failure, or something unexpected. */
    static final int BAD_GATEWAY = 502;
    /** No downstream service is registered: it is not running, or has not joined the cluster yet. */
    static final int UNAVAILABLE = 503;
    /** A downstream service did not answer in time. */
    static final int TIMEOUT = 504;

    private static final int MIN_ERROR_STATUS = 400;
    private static final int MAX_ERROR_STATUS = 599;

    private Failures() {
    }

    /**
     * @param failure why an event-bus request failed.
     * @return the HTTP status that says so.
     */
    static int status(Throwable failure) {
        if (!(failure instanceof ReplyException reply)) {
            return BAD_GATEWAY;
        }
        return switch (reply.failureType()) {
            case NO_HANDLERS -> UNAVAILABLE;
            case TIMEOUT -> TIMEOUT;
            case RECIPIENT_FAILURE -> reply.failureCode() >= MIN_ERROR_STATUS && reply.failureCode() <= MAX_ERROR_STATUS
                ? reply.failureCode() : BAD_GATEWAY;
            default -> BAD_GATEWAY;
        };
    }

    /**
     * @param service the service that was called.
     * @param failure why the call failed.
     * @return a message for the caller, naming the service.
     */
    static String describe(String service, Throwable failure) {
        if (failure instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case NO_HANDLERS -> service + " is not reachable (no consumer on the event bus)";
                case TIMEOUT -> service + " did not answer in time";
                default -> service + " failed: " + reply.getMessage();
            };
        }
        return service + " failed: " + failure;
    }
}
