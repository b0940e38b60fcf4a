package dev.parley.app.wiring;

import dev.parley.core.session.Outcome;
import dev.parley.socket.server.ConversationHandle;
import dev.parley.socket.server.Front;
import dev.parley.socket.server.ServerEvents;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * The server's metrics, in Prometheus's own client, scraped as its text format ({@code --metrics}):
 * conversations opened, open and waiting by front, operators online, refusals by kind, endings by
 * front and way, TLS handshakes failed, and the memory held against the budget. Counted from the
 * server's events ({@link #observing}) and each conversation's ending ({@link #ended}); every label
 * value is the name of an enum constant ({@link Front}, {@link RefusalKind}, {@link Outcome.Ending}),
 * never text from the network. Built only with {@code --metrics}, so the client's classes load only
 * then. See docs/OPERATING.md for each metric.
 */
final class ServerMetrics {

    /** The content type of {@link #scrape()}'s text. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final Map<Front, CounterDataPoint> opened = new EnumMap<>(Front.class);
    private final Map<Front, GaugeDataPoint> open = new EnumMap<>(Front.class);
    private final Map<RefusalKind, CounterDataPoint> refusals = new EnumMap<>(RefusalKind.class);
    private final Map<Front, Map<Outcome.Ending, CounterDataPoint>> endings = new EnumMap<>(Front.class);
    private final CounterDataPoint handshakesFailed;
    private volatile DeskReadings desk;

    /** Metrics of a server whose memory account holds {@code memoryHeld} bytes of {@code memoryBudget}, answered by {@code desk}. */
    ServerMetrics(LongSupplier memoryHeld, long memoryBudget, DeskReadings desk) {
        this.desk = desk;
        Counter openedTotal = Counter.builder().name("parley_conversations_opened")
                .help("Conversations admitted since the server started, by front").labelNames("front").withoutExemplars().register(registry);
        Gauge openNow = Gauge.builder().name("parley_conversations_open")
                .help("Conversations open now, by front (those waiting for an operator included)").labelNames("front")
                .withoutExemplars().register(registry);
        Counter ended = Counter.builder().name("parley_conversations_ended")
                .help("Conversations ended, by front and by how they ended (the server's view: peer_said_bye is the client's bye)")
                .labelNames("front", "reason").withoutExemplars().register(registry);
        for (Front front : Front.values()) {
            opened.put(front, openedTotal.labelValues(front.label()));
            open.put(front, openNow.labelValues(front.label()));
            Map<Outcome.Ending, CounterDataPoint> byReason = new EnumMap<>(Outcome.Ending.class);
            for (Outcome.Ending ending : Outcome.Ending.values()) {
                byReason.put(ending, ended.labelValues(front.label(), label(ending)));
            }
            endings.put(front, byReason);
        }
        Counter refused = Counter.builder().name("parley_refusals")
                .help("Connections refused (told why, then closed), by kind").labelNames("reason").withoutExemplars().register(registry);
        for (RefusalKind kind : RefusalKind.values()) {
            refusals.put(kind, refused.labelValues(kind.label()));
        }
        handshakesFailed = Counter.builder().name("parley_tls_handshake_failures")
                .help("TLS handshakes that failed or did not finish (each also counted as a refusal with reason tls)")
                .withoutExemplars().register(registry).labelValues();
        GaugeWithCallback.builder().name("parley_conversations_waiting")
                .help("Conversations waiting for an operator now, by front (absent when the desk cannot tell)").labelNames("front")
                .callback(callback -> {
                    DeskReadings now = this.desk;
                    for (Front front : Front.values()) {
                        OptionalInt waiting = now.waiting(front);
                        if (waiting.isPresent()) {
                            callback.call(waiting.getAsInt(), front.label());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("parley_operators_online").help("Operators online to answer clients now")
                .callback(callback -> callback.call(this.desk.operatorsOnline())).register(registry);
        GaugeWithCallback.builder().name("parley_memory_held_bytes")
                .help("Bytes of clients' data the server holds now, against the memory budget")
                .callback(callback -> callback.call(memoryHeld.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("parley_memory_budget_bytes").help("The memory budget (--memory-budget), in bytes")
                .callback(callback -> callback.call(memoryBudget)).register(registry);
    }

    /** The label of an ending: its name in lower case. */
    static String label(Outcome.Ending ending) {
        return ending.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The messages this replica exchanged with the help desk's cluster (--cluster), read when scraped. */
    void cluster(java.util.function.LongSupplier in, java.util.function.LongSupplier out) {
        CounterWithCallback.builder().name("parley_cluster_messages").help("Messages this replica received from and sent to the help "
                + "desk's cluster (--cluster): the desk's log, turns relayed between replicas, heartbeats").labelNames("direction")
                .callback(callback -> {
                    callback.call(in.getAsLong(), "in");
                    callback.call(out.getAsLong(), "out");
                }).register(registry);
    }

    /** From now on, the operators and the waiting are read from {@code readings} (the operators' desk's hook). */
    void desk(DeskReadings readings) {
        this.desk = readings;
    }

    /** The server's events: told to {@code log} first, then counted. */
    ServerEvents observing(ServerEvents log) {
        return new ServerEvents() {
            @Override
            public void listening(String address) {
                log.listening(address);
            }

            @Override
            public void opened(ConversationHandle conversation) {
                log.opened(conversation);
                Front front = conversation.front();
                opened.get(front).inc();
                open.get(front).inc();
            }

            @Override
            public void closed(ConversationHandle conversation) {
                log.closed(conversation);
                open.get(conversation.front()).dec();
            }

            @Override
            public void refused(String remote, String reason) {
                log.refused(remote, reason);
                RefusalKind kind = RefusalKind.of(reason);
                refusals.get(kind).inc();
                if (kind == RefusalKind.TLS) {
                    handshakesFailed.inc();
                }
            }

            @Override
            public void acceptFailed(String reason) {
                log.acceptFailed(reason);
            }

            @Override
            public void acceptingAgain() {
                log.acceptingAgain();
            }

            @Override
            public void crashed(ConversationHandle conversation, Throwable e) {
                log.crashed(conversation, e);
            }
        };
    }

    /** A conversation that came in by {@code front} ended with {@code outcome}. */
    void ended(Front front, Outcome outcome) {
        endings.get(front).get(outcome.ending()).inc();
    }

    /** Every metric now, in Prometheus's text format (version 0.0.4). */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            text.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
