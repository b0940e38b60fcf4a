package dev.parley.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.testkit.Link;
import dev.parley.core.wire.Decoding;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.LineModel;
import dev.parley.core.wire.WireArbitraries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The session against models, over generated inputs: whatever the bytes and however they are cut
 * into reads, the session does what a simple model of the rules says, and its invariants hold.
 */
class SessionPropertiesTest {

    private static final Limits LIMITS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10));

    /**
     * An echo server fed any bytes, in any reads, then the end of input: it echoes exactly the
     * messages that a whole-input model of line framing finds, up to the first ending, and ends as
     * the model says (an unterminated last line is cut off: not echoed, a failure of its own).
     */
    @Property
    void anEchoServerAnswersWhatTheModelOfTheWireSays(
            @ForAll("arbitraryInput") byte[] input, @ForAll("readSizes") List<Integer> sizes,
            @ForAll @IntRange(min = 1, max = 24) int limit) {
        Session server = Session.server(new LineFraming(limit), LIMITS, Responder.echo());
        List<Action> actions = new ArrayList<>(server.handle(0, new Input.Open()));
        int pos = 0;
        int i = 0;
        while (pos < input.length && server.state() != State.CLOSED && server.state() != State.CLOSING) {
            int size = Math.max(1, sizes.get(i++ % sizes.size()));
            int end = Math.min(input.length, pos + size);
            actions.addAll(server.handle(i, new Input.PeerBytes(Arrays.copyOfRange(input, pos, end))));
            pos = end;
        }
        if (server.state() == State.PEER_TURN) {
            actions.addAll(server.handle(i, new Input.PeerClosed()));
        }

        Model model = Model.echoOf(input, limit);
        assertEquals(model.echoes, sentMessages(actions));
        assertEquals(model.ending, server.outcome().orElseThrow().ending());
        if (model.cutOff != null) {
            assertEquals(model.cutOff, server.outcome().orElseThrow().detail(), "what came of the cut-off line, for the record");
        }
        assertOneEndingAndNothingAfterClose(actions);
    }

    /** What an echo server must do with a whole input, worked out line by line from the wire's model. */
    private record Model(List<String> echoes, Ending ending, String cutOff) {
        Model(List<String> echoes, Ending ending) {
            this(echoes, ending, null);
        }

        static Model echoOf(byte[] input, int limit) {
            List<String> echoes = new ArrayList<>();
            for (String line : LineModel.lines(input, limit)) {
                if (line.equals(Decoding.TOO_LONG)) {
                    return new Model(echoes, Ending.PEER_LINE_TOO_LONG);
                }
                if (Decoding.isCutOff(line)) {
                    return new Model(echoes, Ending.PEER_CUT_OFF, Decoding.cutOffText(line)); // never a message, whatever it says
                }
                String message = line;
                if (line.startsWith("!!")) {
                    message = line.substring(1);
                } else if (line.startsWith("!notice: ")) {
                    continue;
                } else if (line.startsWith("!")) {
                    return new Model(echoes, Ending.PEER_FAILED);
                }
                if (message.strip().toLowerCase(java.util.Locale.ROOT).equals("bye")) {
                    return new Model(echoes, Ending.PEER_SAID_BYE);
                }
                echoes.add(message);
            }
            return new Model(echoes, Ending.PEER_CLOSED);
        }
    }

    /** A client and an echo server in memory, any messages, any read size: the client hears each of its messages back. */
    @Property
    void aClientHearsEachOfItsMessagesEchoedUntilItsBye(
            @ForAll("messages") List<String> messages, @ForAll @IntRange(min = 1, max = 50) int readSize) {
        List<String> said = new ArrayList<>(messages);
        said.add("bye");
        Link link = Link.between(Session.client(new LineFraming(), LIMITS), Session.server(new LineFraming(), LIMITS, Responder.echo()))
                .clientSays(said.toArray(String[]::new))
                .chunked(readSize)
                .run();

        List<String> before = untilBye(messages);
        assertEquals(before, link.client().transcript().heard());
        assertEquals(before, link.server().transcript().heard());
        assertEquals(Ending.SAID_BYE, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Ending.PEER_SAID_BYE, link.server().transcript().outcome().orElseThrow().ending());
        assertEquals(1, link.client().transcript().endings());
        assertEquals(1, link.server().transcript().endings());
    }

    /**
     * Two people (scripted) take turns: the server's person answers each client message with its
     * next line. Whoever runs out of lines first leaves; everything said before is heard, in order.
     */
    @Property
    void twoPeopleTakeTurnsUntilOneRunsOutOrSaysBye(
            @ForAll("messages") List<String> clientLines, @ForAll("messages") List<String> serverLines,
            @ForAll @IntRange(min = 1, max = 50) int readSize) {
        Link link = Link.between(Session.client(new LineFraming(), LIMITS), Session.serverForOperator(new LineFraming(), LIMITS))
                .clientSays(clientLines.toArray(String[]::new))
                .serverSays(serverLines.toArray(String[]::new))
                .chunked(readSize)
                .run();

        // The model: alternate, client first; a bye or the end of someone's lines ends it.
        List<String> clientSaid = new ArrayList<>();
        List<String> serverSaid = new ArrayList<>();
        Ending clientEnding = null;
        for (int turn = 0; clientEnding == null; turn++) {
            if (turn >= clientLines.size()) {
                clientEnding = Ending.INPUT_ENDED;
            } else if (Session.isBye(clientLines.get(turn))) {
                clientEnding = Ending.SAID_BYE;
            } else {
                clientSaid.add(clientLines.get(turn));
                if (turn >= serverLines.size() || Session.isBye(serverLines.get(turn))) {
                    clientEnding = Ending.PEER_SAID_BYE;
                } else {
                    serverSaid.add(serverLines.get(turn));
                }
            }
        }
        assertEquals(clientSaid, link.server().transcript().heard());
        assertEquals(serverSaid, link.client().transcript().heard());
        assertEquals(clientEnding, link.client().transcript().outcome().orElseThrow().ending());
        assertTrue(link.client().isClosed() && link.server().isClosed());
    }

    /**
     * Any sequence of inputs, legal or not, at any times: an illegal one changes nothing, Ended
     * comes exactly once by the time the session closes, nothing comes after Close, and a server
     * never sends more messages than it heard.
     */
    @Property
    void anyInputsKeepTheInvariants(@ForAll("inputs") List<Input> inputs, @ForAll("kinds") int kind) {
        Limits limits = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5));
        Session session = kind == 0 ? Session.client(new LineFraming(8), limits)
                : kind == 1 ? Session.server(new LineFraming(8), limits, Responder.echo())
                : Session.serverForOperator(new LineFraming(8), limits);
        List<Action> all = new ArrayList<>();
        long now = 0;
        for (Input input : inputs) {
            now += 3_000_000_000L;
            State before = session.state();
            try {
                List<Action> actions = session.handle(now, input);
                if (before == State.CLOSED) {
                    assertEquals(List.of(), actions, "nothing after Close");
                }
                all.addAll(actions);
            } catch (IllegalInputException e) {
                assertEquals(before, session.state(), "an illegal input changes nothing");
            }
        }
        assertOneEndingAndNothingAfterClose(all);
        if (session.state() == State.CLOSED || session.state() == State.CLOSING) {
            assertEquals(1, all.stream().filter(a -> a instanceof Action.Ended).count());
        }
        if (kind != 0) {
            long shown = all.stream().filter(a -> a instanceof Action.Show).count();
            assertTrue(sentMessages(all).size() <= shown, "a server only answers what it heard");
        }
    }

    /**
     * Any sequence of inputs, legal or not, at any times: a twin given only the legal ones answers
     * each the same, and cannot be told apart at any point: an illegal input changes nothing at all.
     */
    @Property
    void anIllegalInputLeavesNoTrace(@ForAll("inputs") List<Input> inputs, @ForAll("kinds") int kind) {
        Limits limits = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5));
        java.util.function.Supplier<Session> make = () -> kind == 0 ? Session.client(new LineFraming(8), limits)
                : kind == 1 ? Session.server(new LineFraming(8), limits, Responder.echo())
                : Session.serverForOperator(new LineFraming(8), limits);
        Session session = make.get();
        Session twin = make.get();
        long now = 0;
        for (Input input : inputs) {
            now += 3_000_000_000L;
            List<Action> actions;
            try {
                actions = session.handle(now, input);
            } catch (IllegalInputException e) {
                actions = null;
            }
            if (actions != null) {
                assertEquals(actions, twin.handle(now, input), input.toString());
            }
            assertEquals(List.of(twin.state(), twin.deadline(), twin.wantsPeerBytes(), twin.bufferedBytes(), twin.outcome()),
                    List.of(session.state(), session.deadline(), session.wantsPeerBytes(), session.bufferedBytes(), session.outcome()),
                    input.toString());
        }
    }

    private static void assertOneEndingAndNothingAfterClose(List<Action> actions) {
        assertTrue(actions.stream().filter(a -> a instanceof Action.Ended).count() <= 1, actions.toString());
        int close = actions.indexOf(new Action.Close());
        assertTrue(close < 0 || close == actions.size() - 1, "Close is the last action: " + actions);
        int ended = indexOfEnded(actions);
        assertTrue(close < 0 || (ended >= 0 && ended < close), "Ended comes before Close: " + actions);
    }

    private static int indexOfEnded(List<Action> actions) {
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i) instanceof Action.Ended) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> sentMessages(List<Action> actions) {
        List<String> texts = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Send && ((Action.Send) a).what() instanceof Sent.Message) {
                texts.add(((Sent.Message) ((Action.Send) a).what()).text());
            }
        }
        return texts;
    }

    private static List<String> untilBye(List<String> messages) {
        List<String> before = new ArrayList<>();
        for (String m : messages) {
            if (Session.isBye(m)) {
                break;
            }
            before.add(m);
        }
        return before;
    }

    @Provide
    Arbitrary<byte[]> arbitraryInput() {
        return WireArbitraries.input();
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return WireArbitraries.readSizes();
    }

    @Provide
    Arbitrary<List<String>> messages() {
        return Arbitraries.frequencyOf(List.of(
                WireArbitraries.weighted(8, WireArbitraries.lineMessages()),
                WireArbitraries.weighted(1, Arbitraries.of("bye", " BYE", "Bye\t"))))
                .list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> kinds() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<Input> peerBytes = Arbitraries.of("hi\n", "bye\n", "!busy\n", "!notice: n\n", "par", "tial\n",
                "x".repeat(20) + "\n", "a\nb\nc\n").map(s -> new Input.PeerBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Arbitrary<Input> others = Arbitraries.of(new Input.Open(), new Input.Refuse(new Refusal.Busy(1)), new Input.PeerClosed(),
                new Input.PeerFailed("reset"), new Input.OperatorLine("ok"), new Input.OperatorLine("bye"),
                new Input.OperatorLine(""), new Input.OperatorDone(), new Input.Stop(), new Input.Tick(),
                new Input.Attend(), new Input.Attend(2), new Input.Wait(2), new Input.Drop(new Refusal.ShortOfMemory()),
                new Input.OutputBlocked(), new Input.OutputFlowing());
        return Arbitraries.frequencyOf(List.of(
                WireArbitraries.weighted(3, peerBytes),
                WireArbitraries.weighted(4, others)))
                .list().ofMaxSize(20)
                .map(list -> {
                    List<Input> withOpen = new ArrayList<>();
                    withOpen.add(new Input.Open());
                    withOpen.addAll(list);
                    return withOpen;
                });
    }
}
