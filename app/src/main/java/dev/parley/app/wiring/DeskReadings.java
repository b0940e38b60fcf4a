package dev.parley.app.wiring;

import dev.parley.socket.server.Front;
import java.util.OptionalInt;

/**
 * What the metrics read from whoever answers the clients: how many operators are online, and how
 * many conversations wait for one, by front. The hook the operators' desk ({@code DeskDriver}) is
 * to feed ({@link ServerMetrics#desk}); until it does, the console counts as one operator whose
 * queue the metrics cannot see.
 */
interface DeskReadings {

    /** Operators online to answer clients now. */
    int operatorsOnline();

    /** Conversations on {@code front} waiting for an operator now; empty when this desk cannot tell. */
    OptionalInt waiting(Front front);

    /** An automatic responder (echo, a file): no operators, and no one ever waits for one. */
    DeskReadings AUTOMATIC = new DeskReadings() {
        @Override
        public int operatorsOnline() {
            return 0;
        }

        @Override
        public OptionalInt waiting(Front front) {
            return OptionalInt.of(0);
        }
    };

    /** The person at the server's console: one operator; who waits is the console's own, not shown. */
    DeskReadings CONSOLE = new DeskReadings() {
        @Override
        public int operatorsOnline() {
            return 1;
        }

        @Override
        public OptionalInt waiting(Front front) {
            return OptionalInt.empty();
        }
    };
}
