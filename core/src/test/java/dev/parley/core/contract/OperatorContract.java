package dev.parley.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.Operator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract of the {@link Operator} port for operators that say prepared lines in order. */
public abstract class OperatorContract {

    /** An operator whose input is exactly {@code lines}, then ends. */
    protected abstract Operator operatorSaying(List<String> lines) throws Exception;

    @Test
    void saysItsLinesInOrderWhateverItHearsThenEnds() throws Exception {
        Operator operator = operatorSaying(List.of("first", "second"));
        assertEquals(Optional.of("first"), operator.nextMessage(Optional.empty()));
        assertEquals(Optional.of("second"), operator.nextMessage(Optional.of("heard something")));
        assertEquals(Optional.empty(), operator.nextMessage(Optional.of("more")));
        assertEquals(Optional.empty(), operator.nextMessage(Optional.of("more")), "stays ended");
    }

    @Test
    void keepsEmptyLinesWhiteSpaceAndNonAsciiText() throws Exception {
        List<String> lines = List.of("", "  spaced  ", "h\u00e9 \u4f60\u597d \uD83D\uDE00", "bye");
        Operator operator = operatorSaying(lines);
        for (String line : lines) {
            assertEquals(Optional.of(line), operator.nextMessage(Optional.empty()));
        }
    }

    @Test
    void anEmptyInputEndsAtOnce() throws Exception {
        assertEquals(Optional.empty(), operatorSaying(List.of()).nextMessage(Optional.empty()));
    }
}
