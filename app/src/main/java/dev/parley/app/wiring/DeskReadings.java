package dev.parley.app.wiring;

import dev.parley.socket.server.DeskDriver;
import dev.parley.socket.server.Front;
import java.util.OptionalInt;

/**
 * What the metrics read from whoever answers the clients: how many operators are online, and how
 * many conversations wait for one, by front: from the operators' desk ({@link #of}), counting this
 * server's own (a desk shared by replicas: each counts its own, and they add up).
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

    /** The operators' desk: this server's operators, and its conversations waiting in line (shared or not). */
    static DeskReadings of(DeskDriver desk) {
        return new DeskReadings() {
            @Override
            public int operatorsOnline() {
                return desk.operatorsOnline();
            }

            @Override
            public OptionalInt waiting(Front front) {
                return OptionalInt.of(desk.waiting(front));
            }
        };
    }
}
