package dev.parley.core.testkit;

import dev.parley.core.port.Operator;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * An operator that says prepared lines in order, whatever it hears, then ends its input: each time
 * it is asked, {@link #answer()} gives its next line (empty once the lines are used up). A
 * {@link Link} feeds the answer back to the session.
 */
public final class ScriptedOperator implements Operator {

    private final ArrayDeque<String> lines;
    private final boolean endsInput;
    private int asked;
    private boolean pending;

    /**
     * Says {@code lines}; then its input ends ({@code endsInput}) or it stays silent, as a person who walked away.
     *
     * @param lines what it says, in order
     * @param endsInput whether its input ends after the last line (else it never answers again)
     */
    public ScriptedOperator(List<String> lines, boolean endsInput) {
        this.lines = new ArrayDeque<>(lines);
        this.endsInput = endsInput;
    }

    /**
     * Says {@code lines} in order, then its input ends.
     *
     * @param lines what it says
     * @return the operator
     */
    public static ScriptedOperator saying(String... lines) {
        return new ScriptedOperator(List.of(lines), true);
    }

    /**
     * Says {@code lines} in order, then never answers again (its input does not end either).
     *
     * @param lines what it says
     * @return the operator
     */
    public static ScriptedOperator sayingThenSilent(String... lines) {
        return new ScriptedOperator(List.of(lines), false);
    }

    @Override
    public void ask() {
        asked++;
        pending = true;
    }

    /**
     * True when it was asked and has an answer to give: a line, or the end of its input.
     *
     * @return whether {@link #answer()} may be called
     */
    public boolean wasAsked() {
        return pending && (endsInput || !lines.isEmpty());
    }

    /**
     * Answers the pending question: the next line, or empty when its input has ended.
     *
     * @return the next line ({@link dev.parley.core.session.Input.OperatorLine}), or empty
     *     ({@link dev.parley.core.session.Input.OperatorDone})
     * @throws IllegalStateException if it was not asked, or has nothing more to say
     */
    public Optional<String> answer() {
        if (!wasAsked()) {
            throw new IllegalStateException("not asked, or silent");
        }
        pending = false;
        return Optional.ofNullable(lines.poll());
    }

    /** Drops a pending question (its conversation ended before it was answered); no line is used up. */
    public void withdraw() {
        pending = false;
    }

    /**
     * How many times it was asked.
     *
     * @return the number of {@link #ask()} calls
     */
    public int timesAsked() {
        return asked;
    }
}
