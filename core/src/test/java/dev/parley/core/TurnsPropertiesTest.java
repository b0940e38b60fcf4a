package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** The state machine under any sequence of events, legal or not, checked against a model. */
class TurnsPropertiesTest {

    /**
     * The model, written from docs/PROTOCOL.md and not from the implementation: who holds the turn
     * and whether it is over; null when the event is illegal.
     */
    record Model(Role turn, boolean over) {
        static final Model START = new Model(Role.CLIENT, false);

        Model after(Event event) {
            if (event instanceof Event.Hangup) {
                return new Model(turn, true); // always allowed, even after the end
            }
            if (over) {
                return null;
            }
            if (event instanceof Event.Bye) {
                return new Model(turn, true);
            }
            return event.by() == turn ? new Model(turn.other(), false) : null;
        }

        State state() {
            return over ? State.ENDED : turn == Role.CLIENT ? State.CLIENT_TURN : State.SERVER_TURN;
        }
    }

    @Property
    void anyEventsLeaveTheMachineWhereTheModelSaysAndIllegalOnesChangeNothing(
            @ForAll("events") List<Event> events) {
        Turns turns = new Turns();
        Model model = Model.START;
        for (Event event : events) {
            State before = turns.state();
            assertNotNull(before, "always in a defined state");
            assertSame(model.state(), before);
            Model next = model.after(event);
            assertEquals(next != null, turns.allows(event), "allows " + event + " in " + before);
            if (next == null) {
                IllegalEventException e = assertThrows(IllegalEventException.class, () -> turns.apply(event));
                assertSame(before, e.state());
                assertSame(event, e.event());
                assertSame(before, turns.state(), "an illegal event leaves the state unchanged");
            } else {
                assertSame(next.state(), turns.apply(event));
                model = next;
            }
            assertSame(model.state(), turns.state());
            assertEquals(model.state() != State.ENDED && model.state().isTurnOf(Role.CLIENT),
                    turns.state().isTurnOf(Role.CLIENT));
        }
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Role> role = Arbitraries.of(Role.class);
        Arbitrary<String> text = Arbitraries.of("hi", "", "bye", " BYE ", "!x");
        Arbitrary<Event> say = Combinators.combine(role, text).as(Event.Say::new);
        Arbitrary<Event> bye = role.map(Event.Bye::new);
        Arbitrary<Event> hangup = role.map(Event.Hangup::new);
        // Mostly says, so that conversations last long enough to reach every state often.
        return Arbitraries.frequencyOf(List.of(Tuple.of(8, say), Tuple.of(1, bye), Tuple.of(1, hangup)))
                .list().ofMaxSize(40);
    }
}
