package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TurnsTest {

    /** Every event the machine knows, from both roles. */
    static List<Event> allEvents() {
        List<Event> events = new ArrayList<>();
        for (Role role : Role.values()) {
            events.add(new Event.Say(role, "hello"));
            events.add(new Event.Bye(role));
            events.add(new Event.Hangup(role));
        }
        return events;
    }

    /** The expected table, written out independently of the implementation; null means illegal. */
    static State expected(State from, Event event) {
        if (from == State.ENDED) {
            return event instanceof Event.Hangup ? State.ENDED : null;
        }
        if (event instanceof Event.Say) {
            if (!from.isTurnOf(event.by())) {
                return null;
            }
            return from == State.CLIENT_TURN ? State.SERVER_TURN : State.CLIENT_TURN;
        }
        return State.ENDED;
    }

    static Stream<Arguments> everyStateAndEvent() {
        return Stream.of(State.values())
                .flatMap(state -> allEvents().stream().map(event -> Arguments.of(state, event)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStateAndEvent")
    void everyStateAndEventFollowsTheTable(State from, Event event) {
        Turns turns = in(from);
        State want = expected(from, event);
        assertEquals(want != null, turns.allows(event));
        if (want == null) {
            IllegalEventException e = assertThrows(IllegalEventException.class, () -> turns.apply(event));
            assertSame(from, e.state());
            assertSame(event, e.event());
            assertSame(from, turns.state(), "an illegal event leaves the state unchanged");
        } else {
            assertSame(want, turns.apply(event));
            assertSame(want, turns.state());
        }
    }

    @Test
    void theClientSpeaksFirstAndTurnsAlternate() {
        Turns turns = new Turns();
        assertSame(State.CLIENT_TURN, turns.state());
        assertSame(State.SERVER_TURN, turns.apply(new Event.Say(Role.CLIENT, "hi")));
        assertSame(State.CLIENT_TURN, turns.apply(new Event.Say(Role.SERVER, "hello")));
        assertSame(State.SERVER_TURN, turns.apply(new Event.Say(Role.CLIENT, "how are you")));
    }

    @Test
    void theServerAnswersEachMessageExactlyOnce() {
        Turns turns = new Turns();
        turns.apply(new Event.Say(Role.CLIENT, "hi"));
        turns.apply(new Event.Say(Role.SERVER, "hello"));
        assertThrows(IllegalEventException.class, () -> turns.apply(new Event.Say(Role.SERVER, "again")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bye", "BYE", "Bye", " bye ", "\tbYe\n", "bye\r", "\u2003bye\u2003"})
    void byeIsTheWholeMessageTrimmedAndCaseFolded(String text) {
        assertTrue(Event.isBye(text));
        assertTrue(Event.said(Role.CLIENT, text) instanceof Event.Bye);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "by", "byee", "bye bye", "goodbye", "bye!", "b ye", "\u0432ye"})
    void anythingElseIsAMessage(String text) {
        assertFalse(Event.isBye(text));
        assertEquals(new Event.Say(Role.SERVER, text), Event.said(Role.SERVER, text));
    }

    @Test
    void byeIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertTrue(Event.isBye("BYE"));
            // In Turkish "I" folds to dotless "ı", so a locale-sensitive fold would get this wrong.
            assertFalse(Event.isBye("BIYE"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static Turns in(State state) {
        Turns turns = new Turns();
        if (state == State.SERVER_TURN) {
            turns.apply(new Event.Say(Role.CLIENT, "hi"));
        } else if (state == State.ENDED) {
            turns.apply(new Event.Bye(Role.CLIENT));
        }
        assertSame(state, turns.state());
        return turns;
    }
}
