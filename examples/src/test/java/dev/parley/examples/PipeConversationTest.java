package dev.parley.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome.Ending;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example program's driver, end to end: two real sessions over real pipes, on one thread, on the real clock. */
class PipeConversationTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void theClientSpeaksTheServerShoutsBackAndByeEndsIt() {
        PipeConversation.Outcomes outcomes = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PipeConversation.run(
                LinesOperator.saying(List.of("hello", "how are you?", "bye")), new Shouter(), PipeConversation.SERVER_LIMITS, out));

        assertEquals(Ending.SAID_BYE, outcomes.client().ending());
        assertEquals(Ending.PEER_SAID_BYE, outcomes.server().ending());
        assertEquals(List.of("client said: hello", "client heard: HELLO!", "client said: how are you?",
                "client heard: HOW ARE YOU?!", "client said bye", "client ended: you said bye"), linesOf("client"));
        assertEquals(List.of("server heard: hello", "server said: HELLO!", "server heard: how are you?",
                "server said: HOW ARE YOU?!", "server ended: client said bye"), linesOf("server"));
    }

    @Test
    void aClientWhoseLinesRunOutLeavesWithBye() {
        PipeConversation.Outcomes outcomes = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PipeConversation.run(
                LinesOperator.saying(List.of("just this")), new Shouter(), PipeConversation.SERVER_LIMITS, out));

        assertEquals(Ending.INPUT_ENDED, outcomes.client().ending());
        assertEquals(Ending.PEER_SAID_BYE, outcomes.server().ending());
        assertEquals(List.of("client said: just this", "client heard: JUST THIS!", "client said bye",
                "client ended: your input ended; left the conversation"), linesOf("client"));
    }

    @Test
    void theServersIdleDeadlineEndsASilentClientAndTellsItWhy() {
        Limits quick = new Limits(Duration.ofMillis(200), Duration.ofSeconds(10));

        PipeConversation.Outcomes outcomes = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PipeConversation.run(
                LinesOperator.sayingThenSilent(List.of("hello")), new Shouter(), quick, out));

        assertEquals(Ending.IDLE_TIMEOUT, outcomes.server().ending());
        assertEquals(Ending.PEER_FAILED, outcomes.client().ending());
        assertEquals("idle: no message for 200ms (idle timeout)", outcomes.client().detail());
        assertEquals("server reported: idle: no message for 200ms (idle timeout)", linesOf("server").get(2));
    }

    @Test
    void controlCharactersFromThePeerAreShownEscaped() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PipeConversation.run(
                LinesOperator.saying(List.of("red \u001b[31m text", "bye")), new Shouter(), PipeConversation.SERVER_LIMITS, out));

        assertEquals("server heard: red \\u001B[31m text", linesOf("server").get(0));
        assertEquals("client heard: RED \\u001B[31M TEXT!", linesOf("client").get(1));
    }

    private List<String> linesOf(String side) {
        return printed.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith(side + " "))
                .collect(Collectors.toList());
    }
}
