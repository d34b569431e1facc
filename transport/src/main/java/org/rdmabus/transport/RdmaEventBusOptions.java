package org.rdmabus.transport;

import io.vertx.core.json.JsonObject;
import org.rdmabus.pool.TransportService;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Options of the rdmabus event-bus transport, following Vert.x conventions: fluent setters, a copy constructor,
 * a {@link JsonObject} constructor and {@link #toJson()}.
 *
 * <p>Every option can be overridden at start-up, without code, by a system property {@code rdmabus.<name>} or an
 * environment variable {@code RDMABUS_<NAME>} (upper snake case, e.g. {@code RDMABUS_POLLER_THREADS}); see
 * {@link #withOverrides(Map, Map)}. System properties win over the environment, which wins over the options set in
 * code. Options set in code reach the transport through {@link RdmaEventBus#configure(RdmaEventBusOptions)}.
 *
 * <p>The {@link #getAccessKey() access key} is a cluster secret: {@link #toString()} and {@link #toJson()} never
 * show it; {@link #toJson(boolean) toJson(true)} includes it for callers that need to persist it.
 */
public final class RdmaEventBusOptions {

    /** Default of {@link #isEnabled()}. */
    public static final boolean DEFAULT_ENABLED = true;
    /** Default of {@link #getProvider()}: the best provider that works on this machine. */
    public static final String DEFAULT_PROVIDER = "auto";
    /** Default of {@link #isAllowWithTls()}: a TLS-protected event bus stays on TCP. */
    public static final boolean DEFAULT_ALLOW_WITH_TLS = false;
    /** Default of {@link #getPollerThreads()}: one, so that small machines are not starved. */
    public static final int DEFAULT_POLLER_THREADS = 1;
    /** Default of {@link #getIdleStrategy()}. */
    public static final PollerIdleStrategy DEFAULT_IDLE_STRATEGY = PollerIdleStrategy.ADAPTIVE;
    /** Default of {@link #getInitiatorsPerPoller()}. */
    public static final int DEFAULT_INITIATORS_PER_POLLER = 2;
    /** Default of {@link #getPromotionThreshold()}: the pool's own default. */
    public static final int DEFAULT_PROMOTION_THRESHOLD = org.rdmabus.pool.PoolOptions.DEFAULT_PROMOTION_THRESHOLD;
    /** Default of {@link #getTransportService()}: DC where the device has it, RC otherwise. */
    public static final TransportService DEFAULT_TRANSPORT_SERVICE = TransportService.AUTO;
    /** Default of {@link #getMaxMessageSize()}: 32 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 32 * 1024 * 1024;
    /** Default of {@link #getInlineThreshold()}. */
    public static final int DEFAULT_INLINE_THRESHOLD = 256;

    /** Default of {@link #isMetricsEnabled()}: meters under {@code rdmabus.*} are registered. */
    public static final boolean DEFAULT_METRICS_ENABLED = true;

    /** Default of {@link #isNativeTransport()}: event loops on Netty's native transport where available. */
    public static final boolean DEFAULT_NATIVE_TRANSPORT = true;

    /** The smallest accepted {@link #getMaxMessageSize()}: room for Vert.x's message header and a small body. */
    public static final int MIN_MAX_MESSAGE_SIZE = 1024;

    private static final String SYSTEM_PROPERTY_PREFIX = "rdmabus.";
    private static final String ENVIRONMENT_PREFIX = "RDMABUS_";

    private boolean enabled;
    private String provider;
    private boolean allowWithTls;
    private int pollerThreads;
    private PollerIdleStrategy idleStrategy;
    private int initiatorsPerPoller;
    private int promotionThreshold;
    private int maxMessageSize;
    private String accessKey;
    private int inlineThreshold;
    private boolean metricsEnabled;
    private boolean nativeTransport;
    private TransportService transportService;

    /** Options with every default. */
    public RdmaEventBusOptions() {
        enabled = DEFAULT_ENABLED;
        provider = DEFAULT_PROVIDER;
        allowWithTls = DEFAULT_ALLOW_WITH_TLS;
        pollerThreads = DEFAULT_POLLER_THREADS;
        idleStrategy = DEFAULT_IDLE_STRATEGY;
        initiatorsPerPoller = DEFAULT_INITIATORS_PER_POLLER;
        promotionThreshold = DEFAULT_PROMOTION_THRESHOLD;
        maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        accessKey = null;
        inlineThreshold = DEFAULT_INLINE_THRESHOLD;
        metricsEnabled = DEFAULT_METRICS_ENABLED;
        nativeTransport = DEFAULT_NATIVE_TRANSPORT;
        transportService = DEFAULT_TRANSPORT_SERVICE;
    }

    /**
     * A copy of other options.
     *
     * @param other the options to copy
     */
    public RdmaEventBusOptions(RdmaEventBusOptions other) {
        enabled = other.enabled;
        provider = other.provider;
        allowWithTls = other.allowWithTls;
        pollerThreads = other.pollerThreads;
        idleStrategy = other.idleStrategy;
        initiatorsPerPoller = other.initiatorsPerPoller;
        promotionThreshold = other.promotionThreshold;
        transportService = other.transportService;
        maxMessageSize = other.maxMessageSize;
        accessKey = other.accessKey;
        inlineThreshold = other.inlineThreshold;
        metricsEnabled = other.metricsEnabled;
        nativeTransport = other.nativeTransport;
    }

    /**
     * Options read from JSON; absent keys keep their default.
     *
     * @param json the options, with the keys of {@link #toJson(boolean)}
     * @throws IllegalArgumentException when a key has a value of the wrong type or out of range
     */
    public RdmaEventBusOptions(JsonObject json) {
        this();
        for (Option option : Option.values()) {
            if (json.containsKey(option.key)) {
                Object value = json.getValue(option.key);
                option.apply(this, value == null ? null : value.toString(), "JSON key '" + option.key + "'");
            }
        }
    }

    /**
     * Whether rdmabus moves a clustered instance's event loops to Netty's native transport (epoll on Linux) when
     * Vert.x would otherwise use the JDK's selector and the native library is on the class path. Every message the
     * channel delivers hands work to an event loop, and waking an idle loop costs several times more with the JDK's
     * selector. Instances that chose a transport themselves ({@code VertxOptions.setPreferNativeTransport(true)} or a
     * transport other than NIO) are left alone; set this to {@code false} to keep NIO.
     *
     * @return whether the native transport is preferred
     */
    public boolean isNativeTransport() {
        return nativeTransport;
    }

    /**
     * Chooses whether rdmabus moves event loops to the native transport.
     *
     * @param nativeTransport {@code false} to leave Vert.x's transport as configured
     * @return these options
     */
    public RdmaEventBusOptions setNativeTransport(boolean nativeTransport) {
        this.nativeTransport = nativeTransport;
        return this;
    }

    /**
     * Whether each Vert.x instance registers its Micrometer meters ({@code rdmabus.*}, see {@link RdmaBusMetrics}) in
     * the registry of {@link RdmaEventBus#metricsRegistry(io.micrometer.core.instrument.MeterRegistry)}, by default
     * Micrometer's global registry.
     *
     * @return whether meters are registered automatically
     */
    public boolean isMetricsEnabled() {
        return metricsEnabled;
    }

    /**
     * Turns the automatic registration of meters on or off.
     *
     * @param metricsEnabled whether each instance registers its meters
     * @return these options
     */
    public RdmaEventBusOptions setMetricsEnabled(boolean metricsEnabled) {
        this.metricsEnabled = metricsEnabled;
        return this;
    }

    /**
     * Whether rdmabus diverts event-bus traffic at all; {@code false} leaves Vert.x untouched.
     *
     * @return whether rdmabus is enabled
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Enables or disables rdmabus.
     *
     * @param enabled whether rdmabus diverts event-bus traffic
     * @return these options
     */
    public RdmaEventBusOptions setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    /**
     * The channel provider: {@code auto} (the best one that works here), {@code soft} (shared memory between JVMs on
     * one host), {@code rdma} (the NIC), or the name of another service-loaded provider.
     *
     * @return the provider name
     */
    public String getProvider() {
        return provider;
    }

    /**
     * Selects the channel provider.
     *
     * @param provider {@code auto}, {@code soft}, {@code rdma} or another provider's name
     * @return these options
     * @throws IllegalArgumentException when blank
     */
    public RdmaEventBusOptions setProvider(String provider) {
        Objects.requireNonNull(provider, "provider");
        String name = provider.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("provider must not be blank");
        }
        this.provider = name;
        return this;
    }

    /**
     * Whether rdmabus diverts traffic of an event bus configured with TLS. The channel does not encrypt, so by
     * default such a bus stays on TCP; opting in trades confidentiality on the wire for speed.
     *
     * @return whether a TLS event bus may use the channel
     */
    public boolean isAllowWithTls() {
        return allowWithTls;
    }

    /**
     * Opts a TLS event bus in (or out) of the channel.
     *
     * @param allowWithTls whether a TLS event bus may use the channel
     * @return these options
     */
    public RdmaEventBusOptions setAllowWithTls(boolean allowWithTls) {
        this.allowWithTls = allowWithTls;
        return this;
    }

    /**
     * How many dedicated completion-poller threads the channel runs.
     *
     * @return the poller thread count
     */
    public int getPollerThreads() {
        return pollerThreads;
    }

    /**
     * Sets the completion-poller thread count.
     *
     * @param pollerThreads at least 1
     * @return these options
     * @throws IllegalArgumentException when below 1
     */
    public RdmaEventBusOptions setPollerThreads(int pollerThreads) {
        this.pollerThreads = atLeast("pollerThreads", pollerThreads, 1);
        return this;
    }

    /**
     * What a poller does when it finds no completion.
     *
     * @return the idle strategy
     */
    public PollerIdleStrategy getIdleStrategy() {
        return idleStrategy;
    }

    /**
     * Sets the pollers' idle strategy.
     *
     * @param idleStrategy the strategy
     * @return these options
     */
    public RdmaEventBusOptions setIdleStrategy(PollerIdleStrategy idleStrategy) {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return this;
    }

    /**
     * How many pooled DC initiators each poller serves.
     *
     * @return initiators per poller
     */
    public int getInitiatorsPerPoller() {
        return initiatorsPerPoller;
    }

    /**
     * Sets how many pooled DC initiators each poller serves.
     *
     * @param initiatorsPerPoller at least 1
     * @return these options
     * @throws IllegalArgumentException when below 1
     */
    public RdmaEventBusOptions setInitiatorsPerPoller(int initiatorsPerPoller) {
        this.initiatorsPerPoller = atLeast("initiatorsPerPoller", initiatorsPerPoller, 1);
        return this;
    }

    /**
     * Frames per second to one peer, both directions counted, above which the pool gives that peer a dedicated
     * reliable queue pair instead of the shared DC initiators; it returns to the shared ones when it goes quiet.
     * {@code 0} keeps every peer on the shared initiators.
     *
     * @return the threshold in frames per second
     */
    public int getPromotionThreshold() {
        return promotionThreshold;
    }

    /**
     * Sets the rate above which a peer gets a dedicated queue pair.
     *
     * @param promotionThreshold frames per second, or 0 to never promote
     * @return these options
     * @throws IllegalArgumentException when negative
     */
    public RdmaEventBusOptions setPromotionThreshold(int promotionThreshold) {
        this.promotionThreshold = atLeast("promotionThreshold", promotionThreshold, 0);
        return this;
    }

    /**
     * How the pool reaches other nodes: {@code auto} takes DC initiators where the device has them (mlx5, the soft
     * fabric) and pooled RC queue pairs connected at first contact otherwise (Soft-RoCE and most NICs); {@code dc}
     * or {@code rc} insist, and the node stays on TCP if the device lacks it.
     *
     * @return the transport service
     */
    public TransportService getTransportService() {
        return transportService;
    }

    /**
     * Sets how the pool reaches other nodes.
     *
     * @param transportService {@code AUTO}, {@code DC} or {@code RC}
     * @return these options
     */
    public RdmaEventBusOptions setTransportService(TransportService transportService) {
        this.transportService = Objects.requireNonNull(transportService, "transportService");
        return this;
    }

    /**
     * The largest encoded event-bus message, in bytes, that goes over the channel. A larger message switches its
     * destination to TCP for good (a warning says so), because mixing paths would reorder the sender's stream.
     *
     * @return the limit in bytes
     */
    public int getMaxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Sets the largest encoded message the channel carries.
     *
     * @param maxMessageSize at least {@link #MIN_MAX_MESSAGE_SIZE} bytes
     * @return these options
     * @throws IllegalArgumentException when below the minimum
     */
    public RdmaEventBusOptions setMaxMessageSize(int maxMessageSize) {
        this.maxMessageSize = atLeast("maxMessageSize", maxMessageSize, MIN_MAX_MESSAGE_SIZE);
        return this;
    }

    /**
     * The cluster secret that protects the DC targets; every node of a cluster needs the same one.
     *
     * @return the access key, or {@code null} when none is configured
     */
    public String getAccessKey() {
        return accessKey;
    }

    /**
     * Sets the cluster secret.
     *
     * @param accessKey the access key, or {@code null} for none
     * @return these options
     */
    public RdmaEventBusOptions setAccessKey(String accessKey) {
        this.accessKey = accessKey;
        return this;
    }

    /**
     * Messages up to this many bytes are posted inline in the work request rather than from a registered buffer.
     *
     * @return the inline threshold in bytes
     */
    public int getInlineThreshold() {
        return inlineThreshold;
    }

    /**
     * Sets the inline threshold.
     *
     * @param inlineThreshold at least 0 bytes
     * @return these options
     * @throws IllegalArgumentException when negative
     */
    public RdmaEventBusOptions setInlineThreshold(int inlineThreshold) {
        this.inlineThreshold = atLeast("inlineThreshold", inlineThreshold, 0);
        return this;
    }

    /**
     * A copy of these options with overrides applied: environment variables {@code RDMABUS_*} first, then system
     * properties {@code rdmabus.*}, so a system property wins.
     *
     * @param systemProperties the system properties, e.g. {@link System#getProperties()} as a map
     * @param environment      the environment, e.g. {@link System#getenv()}
     * @return the overridden copy; these options are unchanged
     * @throws IllegalArgumentException naming the property or variable whose value is invalid
     */
    public RdmaEventBusOptions withOverrides(Map<?, ?> systemProperties, Map<String, String> environment) {
        RdmaEventBusOptions result = new RdmaEventBusOptions(this);
        for (Option option : Option.values()) {
            String variable = ENVIRONMENT_PREFIX + option.environmentSuffix();
            String fromEnvironment = environment.get(variable);
            if (fromEnvironment != null) {
                option.apply(result, fromEnvironment, "environment variable " + variable);
            }
        }
        for (Option option : Option.values()) {
            String property = SYSTEM_PROPERTY_PREFIX + option.key;
            Object fromProperties = systemProperties.get(property);
            if (fromProperties != null) {
                option.apply(result, fromProperties.toString(), "system property " + property);
            }
        }
        return result;
    }

    /**
     * These options as JSON, without the access key.
     *
     * @return a new JSON object
     */
    public JsonObject toJson() {
        return toJson(false);
    }

    /**
     * These options as JSON.
     *
     * @param includeSecrets whether to include the access key (when set)
     * @return a new JSON object, readable by {@link #RdmaEventBusOptions(JsonObject)}
     */
    public JsonObject toJson(boolean includeSecrets) {
        JsonObject json = new JsonObject()
            .put(Option.ENABLED.key, enabled)
            .put(Option.PROVIDER.key, provider)
            .put(Option.ALLOW_WITH_TLS.key, allowWithTls)
            .put(Option.POLLER_THREADS.key, pollerThreads)
            .put(Option.IDLE_STRATEGY.key, idleStrategy.name().toLowerCase(Locale.ROOT))
            .put(Option.INITIATORS_PER_POLLER.key, initiatorsPerPoller)
            .put(Option.PROMOTION_THRESHOLD.key, promotionThreshold)
            .put(Option.TRANSPORT_SERVICE.key, transportService.name().toLowerCase(Locale.ROOT))
            .put(Option.MAX_MESSAGE_SIZE.key, maxMessageSize)
            .put(Option.INLINE_THRESHOLD.key, inlineThreshold)
            .put(Option.METRICS_ENABLED.key, metricsEnabled)
            .put(Option.NATIVE_TRANSPORT.key, nativeTransport);
        if (includeSecrets && accessKey != null) {
            json.put(Option.ACCESS_KEY.key, accessKey);
        }
        return json;
    }

    /**
     * These options for logs: the JSON form, with the access key shown only as present or absent.
     *
     * @return a description without secrets
     */
    @Override
    public String toString() {
        return "RdmaEventBusOptions" + toJson(false).put(Option.ACCESS_KEY.key, accessKey == null ? "<none>" : "<hidden>").encode();
    }

    private static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    /** Every option with its JSON key and its parser; the single list that JSON and overrides share. */
    private enum Option {
        ENABLED("enabled", (o, v) -> o.setEnabled(parseBoolean(v))),
        PROVIDER("provider", RdmaEventBusOptions::setProvider),
        ALLOW_WITH_TLS("allowWithTls", (o, v) -> o.setAllowWithTls(parseBoolean(v))),
        POLLER_THREADS("pollerThreads", (o, v) -> o.setPollerThreads(Integer.parseInt(v.trim()))),
        IDLE_STRATEGY("idleStrategy", (o, v) -> o.setIdleStrategy(PollerIdleStrategy.valueOf(v.trim().toUpperCase(Locale.ROOT)))),
        INITIATORS_PER_POLLER("initiatorsPerPoller", (o, v) -> o.setInitiatorsPerPoller(Integer.parseInt(v.trim()))),
        PROMOTION_THRESHOLD("promotionThreshold", (o, v) -> o.setPromotionThreshold(Integer.parseInt(v.trim()))),
        TRANSPORT_SERVICE("transportService",
            (o, v) -> o.setTransportService(TransportService.valueOf(v.trim().toUpperCase(Locale.ROOT)))),
        MAX_MESSAGE_SIZE("maxMessageSize", (o, v) -> o.setMaxMessageSize(Integer.parseInt(v.trim()))),
        ACCESS_KEY("accessKey", RdmaEventBusOptions::setAccessKey),
        INLINE_THRESHOLD("inlineThreshold", (o, v) -> o.setInlineThreshold(Integer.parseInt(v.trim()))),
        METRICS_ENABLED("metricsEnabled", (o, v) -> o.setMetricsEnabled(parseBoolean(v))),
        NATIVE_TRANSPORT("nativeTransport", (o, v) -> o.setNativeTransport(parseBoolean(v)));

        final String key;
        private final BiConsumer<RdmaEventBusOptions, String> setter;

        Option(String key, BiConsumer<RdmaEventBusOptions, String> setter) {
            this.key = key;
            this.setter = setter;
        }

        /** {@code pollerThreads} becomes {@code POLLER_THREADS}. */
        String environmentSuffix() {
            return name();
        }

        void apply(RdmaEventBusOptions options, String text, String source) {
            if (text == null) {
                throw new IllegalArgumentException(source + " must not be null");
            }
            try {
                setter.accept(options, text);
            } catch (IllegalArgumentException e) {
                // NumberFormatException is an IllegalArgumentException too. The access key accepts any text, so it never
                // gets here and is never echoed.
                throw new IllegalArgumentException("Invalid rdmabus option from " + source + ": '" + text + "' (" + e.getMessage() + ")", e);
            }
        }

        private static boolean parseBoolean(String text) {
            String value = text.trim().toLowerCase(Locale.ROOT);
            switch (value) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException("expected true or false");
            }
        }
    }
}
