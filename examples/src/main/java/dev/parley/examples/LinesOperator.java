package dev.parley.examples;

import dev.parley.core.port.Operator;
import dev.parley.core.session.Input;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Operator} port for a person whose lines are known in advance (a script, the command
 * line's arguments). The port only prompts; the answer reaches the session later, as an input: the
 * driver takes it from {@link #answer()} after carrying out each batch of actions.
 */
public final class LinesOperator implements Operator {

    private final ArrayDeque<String> lines;
    private final boolean endsInput;
    private boolean asked;

    private LinesOperator(List<String> lines, boolean endsInput) {
        this.lines = new ArrayDeque<>(lines);
        this.endsInput = endsInput;
    }

    /**
     * Says {@code lines} in order, one each time it is asked, then its input ends (as at the end of
     * a file), and the session leaves the conversation.
     *
     * @param lines what the person says
     * @return the operator
     */
    public static LinesOperator saying(List<String> lines) {
        return new LinesOperator(lines, true);
    }

    /**
     * Says {@code lines} in order, then never answers again, as a person who walked away: the
     * other side's idle timeout ends the conversation.
     *
     * @param lines what the person says
     * @return the operator
     */
    public static LinesOperator sayingThenSilent(List<String> lines) {
        return new LinesOperator(lines, false);
    }

    @Override
    public void ask() {
        asked = true;
    }

    /**
     * The answer to the question pending, if one is and the person has an answer.
     *
     * @return the next line as {@link Input.OperatorLine}, {@link Input.OperatorDone} once the
     *     lines are used up (unless silent), or empty
     */
    Optional<Input> answer() {
        if (!asked || (lines.isEmpty() && !endsInput)) {
            return Optional.empty();
        }
        asked = false;
        String line = lines.poll();
        return Optional.of(line != null ? new Input.OperatorLine(line) : new Input.OperatorDone());
    }
}
