package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Role;
import dev.parley.socket.server.ConversationHandle;
import dev.parley.socket.server.DeskDriver;
import dev.parley.socket.server.Front;
import dev.parley.socket.server.ServerEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The metrics count what the server reports, label only with names of enum constants, and hand every event on to the log. */
class ServerMetricsTest {

    private final AtomicLong held = new AtomicLong();
    private final List<String> logged = new ArrayList<>();
    private final ServerMetrics metrics = new ServerMetrics(held::get, 1 << 20, DeskReadings.AUTOMATIC);
    private final ServerEvents events = metrics.observing(
            new ServerLog(new ServerLog.Style(logged::add, false, false, false, Clock.systemUTC()), () -> { }));

    private static ConversationHandle conversation(int id, Front front) {
        return new ConversationHandle() {
            @Override
            public int id() {
                return id;
            }

            @Override
            public String remote() {
                return "127.0.0.1:5000";
            }

            @Override
            public void post(Input input) {
                // metrics tell a conversation nothing
            }

            @Override
            public Front front() {
                return front;
            }
        };
    }

    private String scraped() {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    private void assertSample(String sample) {
        String text = scraped();
        assertTrue(text.lines().anyMatch(sample::equals), "no line '" + sample + "' in:\n" + text);
    }

    @Test
    void conversationsOpenCountUpAtTheOpeningAndDownAtTheCloseByFront() {
        ConversationHandle tcp = conversation(1, Front.TCP);
        ConversationHandle web = conversation(2, Front.WEB);
        events.opened(tcp);
        events.opened(web);
        events.opened(conversation(3, Front.WEB));
        events.closed(web);
        assertSample("parley_conversations_open{front=\"tcp\"} 1.0");
        assertSample("parley_conversations_open{front=\"web\"} 1.0");
        assertSample("parley_conversations_open{front=\"tls\"} 0.0");
        assertSample("parley_conversations_opened_total{front=\"web\"} 2.0");
        assertEquals(3, logged.stream().filter(line -> line.contains(" opened")).count(), "the log still hears every opening");
    }

    @Test
    void endingsAreCountedByFrontAndByTheWayTheyEnded() {
        metrics.ended(Front.TLS, new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));
        metrics.ended(Front.TLS, new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));
        metrics.ended(Front.TCP, new Outcome(Outcome.Ending.IDLE_TIMEOUT, Role.CLIENT, "idle"));
        assertSample("parley_conversations_ended_total{front=\"tls\",reason=\"peer_said_bye\"} 2.0");
        assertSample("parley_conversations_ended_total{front=\"tcp\",reason=\"idle_timeout\"} 1.0");
        assertSample("parley_conversations_ended_total{front=\"web\",reason=\"dropped\"} 0.0");
    }

    @Test
    void refusalsAreCountedByKindAndTlsOnesAreFailedHandshakesToo() {
        events.refused("10.0.0.1:1", new Refusal.Busy(100).reason());
        events.refused("10.0.0.1:2", "tls: the client closed the connection during the handshake");
        events.refused("10.0.0.1:3", "proxy protocol: not a PROXY header");
        assertSample("parley_refusals_total{reason=\"busy\"} 1.0");
        assertSample("parley_refusals_total{reason=\"tls\"} 1.0");
        assertSample("parley_refusals_total{reason=\"proxy_protocol\"} 1.0");
        assertSample("parley_refusals_total{reason=\"memory\"} 0.0");
        assertSample("parley_tls_handshake_failures_total 1.0");
        assertTrue(logged.get(0).startsWith("refused 10.0.0.1:1: busy"), "the log still hears the refusal: " + logged);
    }

    @Test
    void aReasonNoOneWroteIsOtherNeverALabelOfItsOwn() {
        events.refused("10.0.0.1:1", "evil\"} 1e9\nparley_x{a=\"b: x");
        events.refused("10.0.0.1:2", "no colon at all");
        assertSample("parley_refusals_total{reason=\"other\"} 2.0");
        assertFalse(scraped().contains("evil"));
    }

    @Test
    void theMemoryHeldIsReadAtEachScrapeBesideTheBudget() {
        held.set(4096);
        assertSample("parley_memory_held_bytes 4096.0");
        assertSample("parley_memory_budget_bytes 1048576.0");
        held.set(0);
        assertSample("parley_memory_held_bytes 0.0");
    }

    @Test
    void operatorsAndWaitingComeFromTheDeskAndAreAbsentWhenItCannotTell() {
        assertSample("parley_operators_online 0.0");
        assertSample("parley_conversations_waiting{front=\"tcp\"} 0.0");
        DeskDriver desk = new DeskDriver(Runnable::run, e -> {
            throw new AssertionError(e);
        });
        desk.join("console", new dev.parley.core.port.DeskOperator() {
            @Override
            public void joined(Lines lines) {}

            @Override
            public void with(String conversation, String label, int waiting) {}

            @Override
            public void heard(String conversation, String message) {}

            @Override
            public void ask(String conversation) {}

            @Override
            public void notice(String conversation, String text) {}

            @Override
            public void ended(String conversation, dev.parley.core.session.Outcome outcome) {}

            @Override
            public void handedBack(String conversation, dev.parley.core.desk.DeskAction.Why why) {}

            @Override
            public void tell(String text) {}
        });
        metrics.desk(DeskReadings.of(desk));
        assertSample("parley_operators_online 1.0");
        assertSample("parley_conversations_waiting{front=\"tcp\"} 0.0");
        metrics.desk(new DeskReadings() {
            @Override
            public int operatorsOnline() {
                return 1;
            }

            @Override
            public OptionalInt waiting(Front front) {
                return OptionalInt.empty();
            }
        });
        assertFalse(scraped().contains("parley_conversations_waiting{"), "a desk that cannot tell: no sample");
        metrics.desk(new DeskReadings() {
            @Override
            public int operatorsOnline() {
                return 3;
            }

            @Override
            public OptionalInt waiting(Front front) {
                return OptionalInt.of(front == Front.WEB ? 2 : 0);
            }
        });
        assertSample("parley_operators_online 3.0");
        assertSample("parley_conversations_waiting{front=\"web\"} 2.0");
    }

    @Test
    void clusterMessagesAreCountedBothWays() {
        AtomicLong in = new AtomicLong(7);
        metrics.cluster(in::get, () -> 3);
        assertSample("parley_cluster_messages_total{direction=\"in\"} 7.0");
        assertSample("parley_cluster_messages_total{direction=\"out\"} 3.0");
        in.set(9);
        assertSample("parley_cluster_messages_total{direction=\"in\"} 9.0");
    }
}
