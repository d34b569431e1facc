package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusteredNode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The only class that reaches Vert.x members that are not part of its public API: package-private, protected and
 * private members of {@code io.vertx.core.impl} and {@code io.vertx.core.eventbus.impl[.clustered]}, and the
 * fields of the lambdas Vert.x hands to the node selector. They are all resolved once, when this class initialises,
 * and {@link #unavailableReason()} reports every one that is missing or has changed shape, so that the transport
 * can stay on TCP instead of failing later. Re-check this class on every Vert.x minor version.
 *
 * <p>Lambda captures can only be checked once the lambdas exist, i.e. after the event bus started: the transport
 * probes them then (see {@link HandOverProbe}).
 *
 * <p>On the module path Vert.x would need {@code --add-opens io.vertx.core/io.vertx.core.impl},
 * {@code .../io.vertx.core.eventbus.impl} and {@code .../io.vertx.core.eventbus.impl.clustered}; without them
 * resolution fails and the transport stays on TCP.
 */
public final class VertxInternals {

    private static final String IMPL = "io.vertx.core.impl.";
    private static final String EVENTBUS_IMPL = "io.vertx.core.eventbus.impl.";
    private static final String CLUSTERED = "io.vertx.core.eventbus.impl.clustered.";

    private static final String RESOLUTION_FAILURE;
    private static volatile String simulatedMismatch;
    private static volatile boolean simulatedCallbackChange;

    private static final Class<?> BOOTSTRAP_IMPL;
    private static final Class<?> EVENT_BUS_IMPL;
    private static final Class<?> CLUSTERED_EVENT_BUS;
    private static final Class<?> MESSAGE_IMPL;
    private static final Class<?> CLUSTERED_MESSAGE;
    private static final Class<?> SEND_CONTEXT;
    private static final Class<?> DELIVERY_CONTEXT_IMPL;

    private static final MethodHandle SET_NODE_SELECTOR;
    private static final MethodHandle GET_NODE_SELECTOR;
    private static final MethodHandle NEW_DEFAULT_NODE_SELECTOR;
    private static final MethodHandle NEW_CLUSTERED_MESSAGE;
    private static final MethodHandle ENCODE_TO_WIRE;
    private static final MethodHandle READ_FROM_WIRE;
    private static final MethodHandle HAS_FAILURE;
    private static final MethodHandle INTERNAL_ERROR;
    private static final MethodHandle CODEC;
    private static final MethodHandle DELIVER_MESSAGE_LOCALLY;
    private static final MethodHandle CODEC_MANAGER;
    private static final MethodHandle OUTBOUND_INTERCEPTORS;
    private static final VarHandle REPLIED_TO;
    private static final MethodHandle SEND_CONTEXT_MESSAGE;
    private static final MethodHandle SEND_CONTEXT_OPTIONS;
    private static final MethodHandle DELIVERY_CONTEXT_DISPATCH;
    private static final Object PING_CODEC;

    /** Per lambda class: its captured message and write-promise fields, or {@code null} when the shape differs. */
    private static final ClassValue<Field[]> SELECTOR_CALLBACK_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            Field message = uniqueFieldOfType(type, MESSAGE_IMPL);
            Field promise = uniqueFieldOfType(type, Promise.class);
            return message == null || promise == null ? null : new Field[]{message, promise};
        }
    };

    /** Per dispatch-lambda class: its captured send context field, or {@code null} when the shape differs. */
    private static final ClassValue<Field> DISPATCH_SEND_CONTEXT_FIELD = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            return uniqueFieldOfType(type, SEND_CONTEXT);
        }
    };

    static {
        List<String> missing = new ArrayList<>();
        MethodHandles.Lookup self = MethodHandles.lookup();
        Class<?> bootstrapImpl = type(IMPL + "VertxBootstrapImpl", missing);
        Class<?> eventBusImpl = type(EVENTBUS_IMPL + "EventBusImpl", missing);
        Class<?> clusteredEventBus = type(CLUSTERED + "ClusteredEventBus", missing);
        Class<?> messageImpl = type(EVENTBUS_IMPL + "MessageImpl", missing);
        Class<?> clusteredMessage = type(CLUSTERED + "ClusteredMessage", missing);
        Class<?> codecManager = type(EVENTBUS_IMPL + "CodecManager", missing);
        Class<?> sendContext = type(EVENTBUS_IMPL + "SendContext", missing);
        Class<?> deliveryContextImpl = type(EVENTBUS_IMPL + "DeliveryContextImpl", missing);
        Class<?> nodeSelector = type(CLUSTERED + "NodeSelector", missing);
        Class<?> defaultNodeSelector = type(CLUSTERED + "DefaultNodeSelector", missing);

        BOOTSTRAP_IMPL = bootstrapImpl;
        EVENT_BUS_IMPL = eventBusImpl;
        CLUSTERED_EVENT_BUS = clusteredEventBus;
        MESSAGE_IMPL = messageImpl;
        CLUSTERED_MESSAGE = clusteredMessage;
        SEND_CONTEXT = sendContext;
        DELIVERY_CONTEXT_IMPL = deliveryContextImpl;

        Member m = new Member(self, missing);
        SET_NODE_SELECTOR = m.virtual(bootstrapImpl, "clusterNodeSelector", bootstrapImpl, nodeSelector);
        GET_NODE_SELECTOR = m.virtual(bootstrapImpl, "clusterNodeSelector", nodeSelector);
        NEW_DEFAULT_NODE_SELECTOR = m.constructor(defaultNodeSelector);
        NEW_CLUSTERED_MESSAGE = m.constructor(clusteredMessage, eventBusImpl);
        ENCODE_TO_WIRE = m.virtual(clusteredMessage, "encodeToWire", Buffer.class);
        READ_FROM_WIRE = m.virtual(clusteredMessage, "readFromWire", void.class, Buffer.class, codecManager);
        HAS_FAILURE = m.virtual(clusteredMessage, "hasFailure", boolean.class);
        INTERNAL_ERROR = m.virtual(clusteredMessage, "internalError", void.class);
        CODEC = m.virtual(messageImpl, "codec", type("io.vertx.core.eventbus.MessageCodec", missing));
        DELIVER_MESSAGE_LOCALLY = m.virtual(eventBusImpl, "deliverMessageLocally", ReplyException.class, messageImpl);
        CODEC_MANAGER = m.getter(eventBusImpl, "codecManager", codecManager);
        OUTBOUND_INTERCEPTORS = m.virtual(eventBusImpl, "outboundInterceptors", io.vertx.core.Handler[].class);
        REPLIED_TO = m.varHandle(clusteredMessage, "repliedTo", String.class);
        SEND_CONTEXT_MESSAGE = m.getter(sendContext, "message", messageImpl);
        SEND_CONTEXT_OPTIONS = m.getter(sendContext, "options", DeliveryOptions.class);
        DELIVERY_CONTEXT_DISPATCH = m.getter(deliveryContextImpl, "dispatch", Runnable.class);
        PING_CODEC = m.staticValue(codecManager, "PING_MESSAGE_CODEC");

        RESOLUTION_FAILURE = missing.isEmpty() ? null : "Vert.x internals differ from what rdmabus was built for: " + String.join("; ", missing);
    }

    private VertxInternals() {
    }

    /**
     * Why the transport cannot hook into this Vert.x.
     *
     * @return {@code null} when every internal member was found with the expected shape, otherwise the reasons
     */
    public static String unavailableReason() {
        String simulated = simulatedMismatch;
        if (simulated != null) {
            return "Vert.x internals differ from what rdmabus was built for: " + simulated + " (simulated)";
        }
        return RESOLUTION_FAILURE;
    }

    /**
     * Test hook: makes {@link #unavailableReason()} report a mismatch, as if a member had changed in Vert.x.
     *
     * @param member the member to report as missing, or {@code null} to stop simulating
     */
    public static void simulateMismatchForTesting(String member) {
        simulatedMismatch = member;
    }

    /**
     * Test hook: makes {@link #handOverOf} find nothing, as if Vert.x had changed the shape of its selector callbacks;
     * the start-up probe of a node built meanwhile then fails.
     *
     * @param changed whether to simulate the change
     */
    public static void simulateCallbackChangeForTesting(boolean changed) {
        simulatedCallbackChange = changed;
    }

    /**
     * The node selector a bootstrap will use, so that it can be decorated.
     *
     * @param bootstrap the bootstrap being initialised
     * @return the selector another provider installed, or {@code null} when Vert.x will use its default
     */
    static NodeSelector installedNodeSelector(VertxBootstrap bootstrap) {
        try {
            return (NodeSelector) GET_NODE_SELECTOR.invoke(bootstrap);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A new instance of the selector Vert.x uses when none is installed.
     *
     * @return Vert.x's default node selector
     */
    static NodeSelector defaultNodeSelector() {
        try {
            return (NodeSelector) NEW_DEFAULT_NODE_SELECTOR.invoke();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Installs the node selector a bootstrap will give its clustered event bus.
     *
     * @param bootstrap the bootstrap being initialised
     * @param selector  the selector
     */
    static void installNodeSelector(VertxBootstrap bootstrap, NodeSelector selector) {
        try {
            SET_NODE_SELECTOR.invoke(bootstrap, selector);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Whether a bootstrap is the implementation this class knows.
     *
     * @param bootstrap the bootstrap being initialised
     * @return whether {@link #installNodeSelector} can be used on it
     */
    static boolean isKnownBootstrap(VertxBootstrap bootstrap) {
        return BOOTSTRAP_IMPL.isInstance(bootstrap);
    }

    /**
     * Whether an event bus is Vert.x's clustered event bus, the only one the hook works with.
     *
     * @param bus the event bus
     * @return whether it is a {@code ClusteredEventBus}
     */
    static boolean isClusteredEventBus(EventBus bus) {
        return CLUSTERED_EVENT_BUS.isInstance(bus);
    }

    /**
     * The clustered Vert.x instance whose cluster manager this is, when the calling thread runs one of its contexts.
     * Vert.x tells a node selector the cluster manager, never the instance; the identity check keeps a context of
     * another instance (one that builds this one, say) from being mistaken for it.
     *
     * @param cluster the cluster manager Vert.x gave the node selector
     * @return the instance, or {@code null} when the calling thread runs none of its contexts
     */
    static Vertx instanceOnThisThread(ClusteredNode cluster) {
        Context context = Vertx.currentContext();
        if (context == null || !(context.owner() instanceof VertxInternal)) {
            return null;
        }
        VertxInternal owner = (VertxInternal) context.owner();
        return owner.clusterManager() == cluster ? owner : null;
    }

    /**
     * Runs an action once a Vert.x instance has closed its event bus and left the cluster, while its event loops
     * still run. Vert.x closes in a fixed order (undeploy, event bus, cluster leave, then its thread pools) and tells
     * nobody about the steps; the first event-loop group it shuts down after leaving is the acceptor group, whose
     * termination listeners run in the order they were added, so one added at start-up runs before Vert.x's own
     * listener goes on to stop the event loops.
     *
     * @param vertx  a clustered instance, starting
     * @param action run once, on a Netty thread, when the instance closes; never if it is never closed
     */
    static void afterClusterLeft(Vertx vertx, Runnable action) {
        ((VertxInternal) vertx).acceptorEventLoopGroup().terminationFuture().addListener(terminated -> action.run());
    }

    /**
     * Vert.x's wire encoding of a clustered message, exactly what its TCP transport writes: a 4-byte length prefix,
     * then the message.
     *
     * @param message an outgoing clustered message
     * @return a new buffer
     */
    static Buffer encode(Message<?> message) {
        try {
            return (Buffer) ENCODE_TO_WIRE.invoke(message);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Decodes a message the way Vert.x's TCP inbound connection does. The body is decoded lazily, by whichever
     * thread first reads it, i.e. the consumer's context.
     *
     * @param bus   the clustered event bus of this node
     * @param frame one encoded message without its 4-byte length prefix
     * @return the message, marked as coming from the wire
     * @throws RuntimeException when the frame is malformed (Vert.x does not check lengths)
     */
    static Message<?> decode(EventBus bus, Buffer frame) {
        try {
            Object message = NEW_CLUSTERED_MESSAGE.invoke(bus);
            READ_FROM_WIRE.invoke(message, frame, CODEC_MANAGER.invoke(bus));
            return (Message<?>) message;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Whether decoding recorded a failure (an unknown codec name, a newer wire version).
     *
     * @param message a decoded message
     * @return whether Vert.x would answer it with an error instead of delivering it
     */
    static boolean hasFailure(Message<?> message) {
        try {
            return (boolean) HAS_FAILURE.invoke(message);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Answers a failed decoded message as Vert.x does: a {@code ReplyException(ERROR)} to its reply address, or a log
     * line when it has none. Must run on a Vert.x context.
     *
     * @param message a decoded message for which {@link #hasFailure} is true
     */
    static void answerDecodingFailure(Message<?> message) {
        try {
            INTERNAL_ERROR.invoke(message);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Whether a decoded message is a connection-level ping, which Vert.x never delivers to handlers.
     *
     * @param message a decoded message
     * @return whether its codec is the ping codec
     */
    static boolean isPing(Message<?> message) {
        try {
            return CODEC.invoke(message) == PING_CODEC;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Hands a decoded message to this node's handlers, exactly as the TCP inbound connection does: one hop to each
     * consumer's context. Safe to call from a non-Vert.x thread.
     *
     * @param bus     the clustered event bus of this node
     * @param message a decoded message
     * @return {@code null} when handed over, or a NO_HANDLERS failure when no handler is registered for its address
     */
    static ReplyException deliverLocally(EventBus bus, Message<?> message) {
        try {
            return (ReplyException) DELIVER_MESSAGE_LOCALLY.invoke(bus, message);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The event bus's current outbound interceptors, in call order.
     *
     * @param bus the event bus
     * @return the live array; callers must not modify it
     */
    static Object[] outboundInterceptors(EventBus bus) {
        try {
            return (Object[]) OUTBOUND_INTERCEPTORS.invoke(bus);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The node a reply is addressed to (the node that sent the message being replied to).
     *
     * @param message an outgoing message
     * @return the node id, or {@code null} when the message is not a reply
     */
    static String repliedTo(Message<?> message) {
        return CLUSTERED_MESSAGE.isInstance(message) ? (String) REPLIED_TO.getVolatile(message) : null;
    }

    /**
     * Sets or clears the node a reply is addressed to. A reply without it takes the node-selector path, where the
     * transport routes it; setting it back restores Vert.x's own reply path.
     *
     * @param message an outgoing clustered message
     * @param nodeId  the node id, or {@code null}
     */
    static void setRepliedTo(Message<?> message, String nodeId) {
        REPLIED_TO.setVolatile(message, nodeId);
    }

    /**
     * What the clustered event bus hands its node selector: the message being routed and its write promise, read
     * from the fields of the selector callback lambda. Every hand-over checks itself: the write promise must be
     * Vert.x's send context of that very message, so a callback of another shape, or a lambda that captured some
     * other message, yields {@code null} rather than a wrong message.
     *
     * @param callback the completable passed to {@code selectForSend} / {@code selectForPublish}
     * @return the hand-over, or {@code null} when it cannot be read with certainty
     */
    static HandOver handOverOf(Completable<?> callback) {
        Field[] fields = SELECTOR_CALLBACK_FIELDS.get(callback.getClass());
        if (fields == null || simulatedCallbackChange) {
            return null;
        }
        try {
            Object message = fields[0].get(callback);
            Object writePromise = fields[1].get(callback);
            if (message == null || !SEND_CONTEXT.isInstance(writePromise) || SEND_CONTEXT_MESSAGE.invoke(writePromise) != message) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Promise<Void> promise = (Promise<Void>) writePromise;
            return new HandOver((Message<?>) message, promise);
        } catch (IllegalAccessException e) {
            return null;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The delivery options of an outgoing message, read from the send context behind an outbound delivery context.
     *
     * @param context a delivery context handed to an outbound interceptor
     * @return the options, or {@code null} when the context does not have the expected shape
     */
    static DeliveryOptions deliveryOptionsOf(DeliveryContext<?> context) {
        if (!DELIVERY_CONTEXT_IMPL.isInstance(context)) {
            return null;
        }
        try {
            Object dispatch = DELIVERY_CONTEXT_DISPATCH.invoke(context);
            Field field = dispatch == null ? null : DISPATCH_SEND_CONTEXT_FIELD.get(dispatch.getClass());
            if (field == null) {
                return null;
            }
            Object sendContext = field.get(dispatch);
            if (sendContext == null || SEND_CONTEXT_MESSAGE.invoke(sendContext) != context.message()) {
                return null;
            }
            return (DeliveryOptions) SEND_CONTEXT_OPTIONS.invoke(sendContext);
        } catch (IllegalAccessException e) {
            return null;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The send timeout of a request, read from its send context.
     *
     * @param writePromise a write promise from {@link #handOverOf}, i.e. Vert.x's send context of the message
     * @return the timeout in milliseconds, or -1 when the options cannot be read
     */
    static long sendTimeoutOf(Promise<Void> writePromise) {
        if (!SEND_CONTEXT.isInstance(writePromise)) {
            return -1;
        }
        try {
            DeliveryOptions options = (DeliveryOptions) SEND_CONTEXT_OPTIONS.invoke(writePromise);
            return options == null ? -1 : options.getSendTimeout();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The message being routed and the promise that reports its write, as captured by the selector callback. */
    static final class HandOver {
        final Message<?> message;
        final Promise<Void> writePromise;

        HandOver(Message<?> message, Promise<Void> writePromise) {
            this.message = message;
            this.writePromise = writePromise;
        }
    }

    private static Field uniqueFieldOfType(Class<?> type, Class<?> fieldType) {
        if (fieldType == null) {
            return null;
        }
        Field found = null;
        for (Field field : type.getDeclaredFields()) {
            if (fieldType.isAssignableFrom(field.getType())) {
                if (found != null) {
                    return null;
                }
                found = field;
            }
        }
        if (found == null) {
            return null;
        }
        try {
            found.setAccessible(true);
            return found;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Class<?> type(String name, List<String> missing) {
        try {
            return Class.forName(name, false, VertxInternals.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            missing.add("class " + name + " not found");
            return null;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    /** Resolves members, recording each one that cannot be found instead of failing on the first. */
    private static final class Member {
        private final MethodHandles.Lookup self;
        private final List<String> missing;

        Member(MethodHandles.Lookup self, List<String> missing) {
            this.self = self;
            this.missing = missing;
        }

        MethodHandle virtual(Class<?> owner, String name, Class<?> returns, Class<?>... parameters) {
            if (owner == null || returns == null || anyNull(parameters)) {
                return null;
            }
            try {
                return lookupIn(owner).findVirtual(owner, name, MethodType.methodType(returns, parameters));
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add("method " + owner.getSimpleName() + "." + name + " " + MethodType.methodType(returns, parameters) + " (" + e + ")");
                return null;
            }
        }

        MethodHandle constructor(Class<?> owner, Class<?>... parameters) {
            if (owner == null || anyNull(parameters)) {
                return null;
            }
            try {
                return lookupIn(owner).findConstructor(owner, MethodType.methodType(void.class, parameters));
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add("constructor of " + owner.getSimpleName() + " (" + e + ")");
                return null;
            }
        }

        MethodHandle getter(Class<?> owner, String name, Class<?> type) {
            if (owner == null || type == null) {
                return null;
            }
            try {
                return lookupIn(owner).findGetter(owner, name, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add("field " + owner.getSimpleName() + "." + name + " (" + e + ")");
                return null;
            }
        }

        VarHandle varHandle(Class<?> owner, String name, Class<?> type) {
            if (owner == null) {
                return null;
            }
            try {
                return lookupIn(owner).findVarHandle(owner, name, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add("field " + owner.getSimpleName() + "." + name + " (" + e + ")");
                return null;
            }
        }

        Object staticValue(Class<?> owner, String name) {
            if (owner == null) {
                return null;
            }
            try {
                Field field = owner.getField(name);
                return field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add("field " + owner.getSimpleName() + "." + name + " (" + e + ")");
                return null;
            }
        }

        private MethodHandles.Lookup lookupIn(Class<?> owner) throws IllegalAccessException {
            return MethodHandles.privateLookupIn(owner, self);
        }

        private static boolean anyNull(Class<?>[] types) {
            for (Class<?> type : types) {
                if (type == null) {
                    return true;
                }
            }
            return false;
        }
    }
}
