package dev.parley.console;

import dev.parley.core.session.Input;
import java.util.function.Consumer;

/**
 * The person's side of the process, wherever it is: a pipe ({@link StreamConsole}) or a terminal
 * with a line editor ({@link LineEditorConsole}); {@link Consoles#open} picks one. It decides
 * nothing about turns or bye: every line a person enters goes to the conversation in front of them
 * ({@link #forwardTo}), saying whether it was entered at the {@code you> } prompt, and the session
 * answers (a {@linkplain #status status line} for a line it does not send). A pipe's lines are a
 * script's answers: each goes to the next question ({@link #ask}), in order, whenever it was
 * written. Messages and status lines go out. Every method may be called from any thread.
 */
public interface Console {

    /** Starts reading the person's input (on a thread of its own); the listener hears from it only after this. */
    Console start();

    /**
     * The conversation in front of the person is now {@code conversation}: each line a person enters
     * from now goes to it as an {@link Input.OperatorLine}, in or out of turn, prompted when entered
     * at {@code you> }. Told by the program or the desk whenever it changes, never guessed; a pipe's
     * lines go to the questions instead.
     */
    void forwardTo(Consumer<Input> conversation);

    /**
     * {@code conversation} asks for the person's next line: a person at a terminal sees the prompt
     * {@code you> } (while it is the one in front); a pipe answers with its next line as an
     * {@link Input.OperatorLine} (or {@link Input.OperatorDone} once input has ended), once. Only
     * one question is open at a time; a new one replaces it.
     */
    void ask(Consumer<Input> conversation);

    /** Forgets {@code conversation}'s open question (it ended): no one is prompted now. */
    void withdraw(Consumer<Input> conversation);

    /**
     * What a person at a terminal sees in place of the prompt while it is not their turn, e.g.
     * {@code (server's turn) }; nothing is shown for an empty one.
     */
    void idle(String label);

    /** The peer ({@code who}: client or server) said {@code text}: shown as one line, rendered safe. */
    void message(String who, String text);

    /**
     * A status line (a notice, an ending, a log line), apart from the messages. The caller has
     * rendered any text from the network in it ({@link TerminalSafe}).
     */
    void status(String line);

    /** Restores the terminal, if this console changed it; idempotent. */
    void close();

    /** What the console tells its program, on the console's own thread. */
    interface Listener {

        /**
         * The person is done: input ended (end of the pipe, or Ctrl-D at a terminal) with no line
         * left for anyone and no question open. A question asked later is answered
         * {@link Input.OperatorDone}.
         */
        void inputEnded();

        /** The person pressed Ctrl-C at the line editor (which takes the signal while it reads). */
        void interrupted();

        /**
         * Standard output cannot be written: {@code brokenPipe} when its reader has gone (a pipe to
         * {@code head} that has its line), else a real failure described by {@code reason}.
         */
        void outputFailed(boolean brokenPipe, String reason);
    }
}
