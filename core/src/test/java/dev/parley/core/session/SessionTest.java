package dev.parley.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session's table, row by row: given a state and an input, these actions and this state. The
 * time starts at an arbitrary origin near the end of the long range, to show that only differences
 * count (System.nanoTime may be negative or wrap).
 */
class SessionTest {

    private static final long T0 = Long.MAX_VALUE - 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final Framing LINE = new LineFraming(16);
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10));

    private static final Action ASK = new Action.AskOperator();
    private static final Action END_OUTPUT = new Action.EndOutput();
    private static final Action CLOSE = new Action.Close();

    private static Input bytes(String text) {
        return new Input.PeerBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Action send(String message) {
        return new Action.Send(new Sent.Message(message), LINE.encode(message));
    }

    private static Action bye() {
        return new Action.Send(new Sent.Bye(), LINE.farewell().orElseThrow());
    }

    private static Action failure(String reason) {
        return new Action.Send(new Sent.Failure(reason), LINE.failure(reason).orElseThrow());
    }

    private static Action ended(Ending ending, Role peer, String detail) {
        return new Action.Ended(new Outcome(ending, peer, detail));
    }

    private static Session echoServer() {
        return Session.server(LINE, LIMITS, Responder.echo());
    }

    private static Session opened(Session session) {
        session.handle(T0, new Input.Open());
        return session;
    }

    /** A server answered by a person, opened and attended. */
    private static Session personServer() {
        Session session = opened(Session.serverForOperator(LINE, LIMITS));
        session.handle(T0, new Input.Attend());
        return session;
    }

    /** A client that has said {@code hello} and waits for the server's reply. */
    private static Session clientWaiting() {
        Session client = opened(Session.client(LINE, LIMITS));
        client.handle(T0, new Input.OperatorLine("hello"));
        return client;
    }

    /** A session that has said bye and drains the peer's input. */
    private static Session closing() {
        Session client = opened(Session.client(LINE, LIMITS));
        client.handle(T0, new Input.OperatorLine("bye"));
        return client;
    }

    private static Session closed() {
        Session client = opened(Session.client(LINE, LIMITS));
        client.handle(T0, new Input.PeerFailed("reset"));
        return client;
    }

    /** An illegal input raises the named error and changes nothing. */
    private static void assertIllegal(Supplier<Session> make, Input input) {
        Session session = make.get();
        State before = session.state();
        IllegalInputException e = assertThrows(IllegalInputException.class, () -> session.handle(T0, input));
        assertEquals(before, e.state());
        assertEquals(before, session.state());
        assertEquals(input, e.input());
    }

    @Nested
    class New {
        @Test
        void openingAClientAsksItsPersonToSpeakFirst() {
            Session client = Session.client(LINE, LIMITS);
            assertEquals(List.of(ASK), client.handle(T0, new Input.Open()));
            assertEquals(State.OWN_TURN, client.state());
            assertEquals(OptionalLong.empty(), client.deadline(), "no deadline while a person types");
        }

        @Test
        void openingAServerWaitsForTheClientWithAnIdleDeadline() {
            Session server = echoServer();
            assertEquals(List.of(), server.handle(T0, new Input.Open()));
            assertEquals(State.PEER_TURN, server.state());
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline());
            assertTrue(server.wantsPeerBytes());
        }

        @Test
        void aRefusalTellsThePeerWhyThenDrains() {
            Session server = echoServer();
            String reason = "busy: 3 conversations open, the most this server takes; try again later";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.REFUSED, Role.CLIENT, reason)),
                    server.handle(T0, new Input.Refuse(new Refusal.Busy(3))));
            assertEquals(State.CLOSING, server.state());
            assertEquals(OptionalLong.of(T0 + Session.LINGER.toNanos()), server.deadline());
        }

        @Test
        void stoppingBeforeOpeningEndsAndCloses() {
            assertEquals(List.of(ended(Ending.STOPPED, Role.CLIENT, ""), CLOSE), echoServer().handle(T0, new Input.Stop()));
        }

        @Test
        void aTickChangesNothing() {
            Session server = echoServer();
            assertEquals(List.of(), server.handle(T0, new Input.Tick()));
            assertEquals(State.NEW, server.state());
        }

        @Test
        void theOtherInputsAreIllegal() {
            for (Input input : List.of(bytes("hi\n"), new Input.PeerClosed(), new Input.PeerFailed("reset"))) {
                assertIllegal(SessionTest::echoServer, input);
            }
            for (Input input : List.of(new Input.OperatorLine("hi"), new Input.OperatorDone())) {
                assertIllegal(() -> Session.client(LINE, LIMITS), input);
            }
        }
    }

    @Nested
    class PeerTurn {
        @Test
        void aMessageIsShownAndAnsweredByTheResponderAtOnce() {
            Session server = opened(echoServer());
            assertEquals(List.of(new Action.Show("hi"), send("hi")), server.handle(T0 + SECOND, bytes("hi\n")));
            assertEquals(State.PEER_TURN, server.state());
            assertEquals(OptionalLong.of(T0 + 61 * SECOND), server.deadline(), "the idle deadline starts again");
        }

        @Test
        void aMessageIsShownAndAPersonAsked() {
            Session server = personServer();
            assertEquals(List.of(new Action.Show("hi"), ASK), server.handle(T0, bytes("hi\n")));
            assertEquals(State.OWN_TURN, server.state());
            assertEquals(OptionalLong.empty(), server.deadline(), "no idle deadline while the operator types");
        }

        @Test
        void pipelinedMessagesAreTakenInOrderOnePerTurn() {
            Session server = opened(echoServer());
            assertEquals(List.of(new Action.Show("one"), send("one"), new Action.Show("two"), send("two"),
                    new Action.Show("three"), send("three")), server.handle(T0, bytes("one\ntwo\nthree\n")));
        }

        @Test
        void aMessageSplitAcrossReadsIsOneMessage() {
            Session server = opened(echoServer());
            assertEquals(List.of(), server.handle(T0, new Input.PeerBytes(new byte[] {'h', (byte) 0xC3})));
            assertEquals(List.of(new Action.Show("h\u00e9"), send("h\u00e9")),
                    server.handle(T0, new Input.PeerBytes(new byte[] {(byte) 0xA9, '\n'})));
        }

        @ParameterizedTest
        @ValueSource(strings = {"bye\n", "BYE\r\n", " Bye \n", "\tbye\n"})
        void byeEndsAndCloses(String line) {
            Session server = opened(echoServer());
            assertEquals(List.of(ended(Ending.PEER_SAID_BYE, Role.CLIENT, ""), CLOSE), server.handle(T0, bytes(line)));
            assertEquals(State.CLOSED, server.state());
            assertFalse(server.wantsPeerBytes());
        }

        @Test
        void aFailureReportEndsAndCloses() {
            Session client = clientWaiting();
            assertEquals(List.of(ended(Ending.PEER_FAILED, Role.SERVER, "busy: later"), CLOSE),
                    client.handle(T0, bytes("!busy: later\n")));
        }

        @Test
        void aNoticeIsShownAndEndsNothing() {
            Session client = clientWaiting();
            assertEquals(List.of(new Action.ShowNotice("server: wait")), client.handle(T0, bytes("!notice: wait\n")));
            assertEquals(State.PEER_TURN, client.state());
        }

        @Test
        void aTooLongLineIsRefusedAndTheConversationEnds() {
            Session server = opened(echoServer());
            String reason = "line longer than 16 bytes";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.PEER_LINE_TOO_LONG, Role.CLIENT, reason)),
                    server.handle(T0, bytes("x".repeat(17) + "\n")));
            assertEquals(State.CLOSING, server.state());
        }

        @Test
        void theEndOfThePeersInputEndsTheConversation() {
            Session server = opened(echoServer());
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerClosed()));
        }

        @Test
        void aLastLineCutOffByTheEndOfInputIsNeitherShownNorAnsweredButEndsAsAFailure() {
            Session server = opened(echoServer());
            assertEquals(List.of(new Action.Show("one"), send("one")), server.handle(T0, bytes("one\nI agree t")));
            assertEquals(List.of(ended(Ending.PEER_CUT_OFF, Role.CLIENT, "I agree t"), CLOSE), server.handle(T0, new Input.PeerClosed()));
            assertFalse(server.outcome().orElseThrow().isNormal());
        }

        @Test
        void aServersLineCutOffByItsCloseIsNeverItsReply() {
            Session client = clientWaiting();
            client.handle(T0, bytes("I agree to pay"));
            assertEquals(List.of(ended(Ending.PEER_CUT_OFF, Role.SERVER, "I agree to pay"), CLOSE),
                    client.handle(T0, new Input.PeerClosed()));
        }

        @Test
        void aCutOffLineIsNoControlLineEither() {
            Session client = clientWaiting();
            client.handle(T0, bytes("!busy: lat"));
            assertEquals(List.of(ended(Ending.PEER_CUT_OFF, Role.SERVER, "!busy: lat"), CLOSE), client.handle(T0, new Input.PeerClosed()),
                    "the start of a failure report is not one");
            Session tooLong = clientWaiting();
            tooLong.handle(T0, bytes("x".repeat(17)));
            assertEquals(Ending.PEER_LINE_TOO_LONG, tooLong.outcome().orElseThrow().ending(), "too long is known before the end");
        }

        @Test
        void rawFramingHasNoLineToCut() {
            Session server = opened(Session.server(new RawFraming(), LIMITS, Responder.echo()));
            assertEquals(List.of(new Action.Show("last"), new Action.Send(new Sent.Message("last"), "last".getBytes(StandardCharsets.UTF_8))),
                    server.handle(T0, bytes("last")));
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerClosed()),
                    "each read was a message: nothing is left to cut");
        }

        @Test
        void aFailedConnectionEndsAndCloses() {
            Session server = opened(echoServer());
            assertEquals(List.of(ended(Ending.PEER_LOST, Role.CLIENT, "connection reset by peer"), CLOSE),
                    server.handle(T0, new Input.PeerFailed("connection reset by peer")));
        }

        @Test
        void anOperatorLineOutOfTurnIsRefusedVisiblyAndNotSent() {
            Session client = clientWaiting();
            assertEquals(List.of(new Action.ShowNotice("not sent (server's turn): 'again'")),
                    client.handle(T0, new Input.OperatorLine("again")));
            assertEquals(State.PEER_TURN, client.state());
        }

        @Test
        void theOperatorsEndOfInputLeaves() {
            Session client = clientWaiting();
            assertEquals(List.of(bye(), END_OUTPUT, ended(Ending.INPUT_ENDED, Role.SERVER, "")),
                    client.handle(T0, new Input.OperatorDone()));
            assertEquals(State.CLOSING, client.state());
        }

        @Test
        void stopSaysByeOutOfTurn() {
            Session server = opened(echoServer());
            assertEquals(List.of(bye(), END_OUTPUT, ended(Ending.STOPPED, Role.CLIENT, "")), server.handle(T0, new Input.Stop()));
        }

        @Test
        void theIdleDeadlineEndsASilentPeerAndTellsIt() {
            Session server = opened(echoServer());
            assertEquals(List.of(), server.handle(T0 + 59 * SECOND, new Input.Tick()));
            String reason = "idle: no message for 1m (idle timeout)";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, reason)),
                    server.handle(T0 + 60 * SECOND, new Input.Tick()));
        }

        @Test
        void theLineDeadlineEndsAPeerThatNeverFinishesItsLine() {
            Session server = opened(echoServer());
            server.handle(T0, bytes("slo"));
            assertEquals(OptionalLong.of(T0 + 10 * SECOND), server.deadline(), "the line deadline comes before the idle one");
            server.handle(T0 + 5 * SECOND, bytes("w"));
            assertEquals(OptionalLong.of(T0 + 10 * SECOND), server.deadline(), "more bytes do not move the line deadline");
            String reason = "too slow: a message not finished within 10s (line timeout)";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.LINE_TIMEOUT, Role.CLIENT, reason)),
                    server.handle(T0 + 10 * SECOND, new Input.Tick()));
        }

        @Test
        void aFinishedLineStopsTheLineDeadline() {
            Session server = opened(echoServer());
            server.handle(T0, bytes("slo"));
            server.handle(T0 + SECOND, bytes("w\n"));
            assertEquals(OptionalLong.of(T0 + 61 * SECOND), server.deadline());
        }

        @Test
        void zeroTimeoutsMeanNoDeadline() {
            Session server = opened(Session.server(LINE, Limits.NONE, Responder.echo()));
            server.handle(T0, bytes("part"));
            assertEquals(OptionalLong.empty(), server.deadline());
        }

        @Test
        void openAndRefuseAreIllegal() {
            assertIllegal(() -> opened(echoServer()), new Input.Open());
            assertIllegal(() -> opened(echoServer()), new Input.Refuse(new Refusal.Busy(1)));
        }

        @Test
        void bytesAfterThePeersEndAreIllegal() {
            assertIllegal(() -> {
                Session server = personServer();
                server.handle(T0, bytes("one\n"));
                server.handle(T0, new Input.PeerClosed());
                return server;
            }, bytes("more\n"));
        }
    }

    @Nested
    class OwnTurn {
        @Test
        void theOperatorsLineIsSentAndTheTurnPasses() {
            Session client = opened(Session.client(LINE, LIMITS));
            assertEquals(List.of(send("hello")), client.handle(T0, new Input.OperatorLine("hello")));
            assertEquals(State.PEER_TURN, client.state());
        }

        @Test
        void aMessageStartingWithABangIsEscaped() {
            Session client = opened(Session.client(LINE, LIMITS));
            List<Action> actions = client.handle(T0, new Input.OperatorLine("!important"));
            assertEquals(List.of(new Action.Send(new Sent.Message("!important"), "!!important\n".getBytes(StandardCharsets.UTF_8))), actions);
        }

        @Test
        void theOperatorsByeLeaves() {
            Session client = opened(Session.client(LINE, LIMITS));
            assertEquals(List.of(bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.SERVER, "")),
                    client.handle(T0, new Input.OperatorLine(" Bye ")));
        }

        @Test
        void aLineTheFramingCannotCarryIsRefusedAndThePersonAskedAgain() {
            Session client = opened(Session.client(new RawFraming(), LIMITS));
            assertEquals(List.of(new Action.ShowNotice("not sent: raw framing cannot carry an empty message; type another message"), ASK),
                    client.handle(T0, new Input.OperatorLine("")));
            assertEquals(State.OWN_TURN, client.state());
        }

        @Test
        void aResponderReplyTheFramingCannotCarryEndsTheConversationOnce() {
            Session server = opened(Session.server(new RawFraming(), LIMITS, (turn, heard) -> ""));
            String reason = "raw framing cannot carry an empty message";
            assertEquals(List.of(new Action.Show("hi"), new Action.EndOutput(), ended(Ending.UNSENDABLE_REPLY, Role.CLIENT, reason)),
                    server.handle(T0, bytes("hi")), "raw framing has no failure line; the conversation just ends");
        }

        @Test
        void theServersByeWhileThePersonTypesEndsTheClientAtOnce() {
            Session client = opened(Session.client(LINE, LIMITS));
            assertEquals(List.of(ended(Ending.PEER_SAID_BYE, Role.SERVER, ""), CLOSE), client.handle(T0, bytes("bye\n")));
        }

        @Test
        void theServerClosingWhileThePersonTypesEndsTheClientAtOnce() {
            Session client = opened(Session.client(LINE, LIMITS));
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.SERVER, ""), CLOSE), client.handle(T0, new Input.PeerClosed()));
            Session cut = opened(Session.client(LINE, LIMITS));
            cut.handle(T0, bytes("unasked"));
            assertEquals(List.of(ended(Ending.PEER_CUT_OFF, Role.SERVER, "unasked"), CLOSE), cut.handle(T0, new Input.PeerClosed()),
                    "cut off, whatever the turn");
        }

        @Test
        void aServerThatSpeaksOutOfTurnIsAProtocolFailure() {
            Session client = opened(Session.client(LINE, LIMITS));
            String reason = "out of turn: the server sent a message while it was the client's turn to speak";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.PEER_OUT_OF_TURN, Role.SERVER, reason)),
                    client.handle(T0, bytes("unasked\n")));
        }

        @Test
        void aSecondReplyIsOutOfTurnToo() {
            Session client = clientWaiting();
            List<Action> actions = client.handle(T0, bytes("one\ntwo\n"));
            assertEquals(new Action.Show("one"), actions.get(0));
            assertEquals(ASK, actions.get(1));
            assertEquals(Ending.PEER_OUT_OF_TURN, client.outcome().orElseThrow().ending());
        }

        @Test
        void aPipelinedMessageWaitsForItsTurnAndReadingStops() {
            Session server = personServer();
            assertEquals(List.of(new Action.Show("one"), ASK), server.handle(T0, bytes("one\ntwo\n")));
            assertFalse(server.wantsPeerBytes(), "one frame ahead is held; the rest waits in the network");
            assertEquals(List.of(send("first"), new Action.Show("two"), ASK), server.handle(T0, new Input.OperatorLine("first")));
            assertTrue(server.wantsPeerBytes());
        }

        @Test
        void theClientsByeWhileThePersonTypesEndsTheConversationAtOnce() {
            Session server = personServer();
            server.handle(T0, bytes("hello\n"));
            assertEquals(List.of(ended(Ending.PEER_SAID_BYE, Role.CLIENT, ""), CLOSE), server.handle(T0, bytes("bye\n")));
            assertEquals(List.of(), server.handle(T0, new Input.OperatorLine("too late")),
                    "nothing after Close: the console, told the conversation ended, withdraws its prompt");
        }

        @Test
        void theClientsHalfCloseIsToldAndItsAnswerStillSent() {
            Session server = personServer();
            server.handle(T0, bytes("last words\n"));
            assertEquals(List.of(new Action.ShowNotice("client closed its side of the connection; it can still read your answer")),
                    server.handle(T0, new Input.PeerClosed()));
            assertEquals(List.of(send("noted"), ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE),
                    server.handle(T0, new Input.OperatorLine("noted")));
        }

        @Test
        void aLineTheClientCutsOffByClosingWaitsLikeItsHalfCloseAndIsNeverAnswered() {
            Session server = personServer();
            server.handle(T0, bytes("last words\nand th"));
            assertEquals(List.of(new Action.ShowNotice(
                    "client closed its side of the connection in the middle of a line (cut off, not a message); it can still read your answer")),
                    server.handle(T0, new Input.PeerClosed()));
            assertEquals(List.of(send("noted"), ended(Ending.PEER_CUT_OFF, Role.CLIENT, "and th"), CLOSE),
                    server.handle(T0, new Input.OperatorLine("noted")));
        }

        @Test
        void aLineOfTheOperatorsBeforeBeingAskedIsRefused() {
            Session server = opened(Session.serverForOperator(LINE, LIMITS));
            server.handle(T0, bytes("hello\n"));
            assertEquals(List.of(new Action.ShowNotice("not sent (client's turn): 'hi'")),
                    server.handle(T0, new Input.OperatorLine("hi")), "not attended: the operator was not asked");
        }

        @Test
        void aResponderSideTakesNoOperatorInput() {
            assertIllegal(() -> opened(echoServer()), new Input.OperatorLine("hi"));
            assertIllegal(() -> opened(echoServer()), new Input.OperatorDone());
            assertIllegal(() -> opened(echoServer()), new Input.Attend());
        }
    }

    @Nested
    class Waiting {
        @Test
        void aConversationWaitingForTheOperatorIsToldItsPlaceAndShowsNothing() {
            Session server = opened(Session.serverForOperator(LINE, LIMITS));
            List<Action> actions = server.handle(T0, new Input.Wait(2));
            assertEquals(1, actions.size());
            Action.Send notice = (Action.Send) actions.get(0);
            assertEquals(new Sent.Notice("waiting: number 2"), notice.what());
            assertEquals("!notice: waiting for the operator; you are number 2 in line\n",
                    new String(notice.bytes(), StandardCharsets.UTF_8));
            assertEquals(List.of(), server.handle(T0, bytes("hello\n")), "heard, but not shown before the operator comes");
            assertEquals(List.of(new Action.Show("hello"), ASK), server.handle(T0, new Input.Attend()));
        }

        @Test
        void whatAWaitingClientSaidCountsAgainstTheMemoryBudgetUntilItIsAnswered() {
            Session server = opened(Session.serverForOperator(new LineFraming(), LIMITS));
            String latin = "l".repeat(65_000);
            server.handle(T0, bytes(latin + "\n"));
            int afterFirst = server.bufferedBytes();
            assertTrue(afterFirst >= 65_000, "the unshown message is counted: " + afterFirst);
            String greek = "\u03b1".repeat(30_000); // two bytes a char in a string, as in UTF-8
            server.handle(T0, bytes(greek + "\n"));
            int afterSecond = server.bufferedBytes();
            assertTrue(afterSecond >= 65_000 + 60_000, "the pipelined message is counted too: " + afterSecond);
            assertEquals(List.of(new Action.Show(latin), ASK), server.handle(T0, new Input.Attend()));
            assertTrue(server.bufferedBytes() >= afterFirst, "shown, kept until answered (for a hand-back): " + server.bufferedBytes());
            server.handle(T0, new Input.OperatorLine("answer"));
            assertTrue(server.bufferedBytes() < afterSecond - 65_000 && server.bufferedBytes() >= 60_000,
                    "answered: given back; the second, taken in its turn, is the question now: " + server.bufferedBytes());
            server.handle(T0, new Input.OperatorLine("answer"));
            assertTrue(server.bufferedBytes() < 2048, "both answered: given back " + server.bufferedBytes());
        }

        @Test
        void aCutOffLineTakenAheadCountsUntilTheConversationEnds() {
            Session server = opened(Session.serverForOperator(new LineFraming(), LIMITS));
            server.handle(T0, bytes("question\n" + "c".repeat(65_000)));
            server.handle(T0, new Input.PeerClosed());
            assertTrue(server.bufferedBytes() >= 65_000, "the cut-off line held for the client's turn is counted: "
                    + server.bufferedBytes());
            server.handle(T0, new Input.Attend());
            server.handle(T0, new Input.OperatorLine("answer"));
            assertEquals(State.CLOSED, server.state());
            assertEquals(0, server.bufferedBytes());
        }

        @Test
        void aDroppedWaitingClientGivesBackWhatItSaid() {
            Session server = opened(Session.serverForOperator(new LineFraming(), LIMITS));
            server.handle(T0, bytes("m".repeat(65_000) + "\n" + "n".repeat(65_000) + "\n"));
            assertTrue(server.bufferedBytes() >= 130_000, "both held: " + server.bufferedBytes());
            server.handle(T0, new Input.Drop(new Refusal.ShortOfMemory()));
            assertEquals(0, server.bufferedBytes());
        }

        @Test
        void aWaitingClientThatLeavesEndsWithoutTheOperator() {
            Session server = opened(Session.serverForOperator(LINE, LIMITS));
            server.handle(T0, bytes("hello\n"));
            assertEquals(List.of(ended(Ending.PEER_SAID_BYE, Role.CLIENT, ""), CLOSE), server.handle(T0, bytes("bye\n")));
            assertEquals(List.of(), server.handle(T0, new Input.Attend()), "a late attend shows nothing");
        }

        @Test
        void theOperatorComingToAClientThatCutOffItsLastLineIsToldSo() {
            Session server = opened(Session.serverForOperator(LINE, LIMITS));
            server.handle(T0, new Input.Wait(1));
            server.handle(T0, bytes("hello\ncut"));
            assertEquals(List.of(), server.handle(T0, new Input.PeerClosed()), "nothing shown before the operator comes");
            assertEquals(List.of(new Action.Show("hello"), new Action.ShowNotice(
                    "client closed its side of the connection in the middle of a line (cut off, not a message); it can still read your answer"),
                    ASK), server.handle(T0, new Input.Attend()));
        }

        @Test
        void aConversationHandedBackIsToldSoAndTheNextOperatorIsShownTheQuestionAndAsked() {
            Session server = personServer();
            assertEquals(List.of(new Action.Show("are you there?"), ASK), server.handle(T0, bytes("are you there?\n")));
            List<Action> back = server.handle(T0, new Input.Wait(1));
            assertEquals(1, back.size(), back.toString());
            assertEquals("!notice: back in line for the next operator; you are number 1 in line\n",
                    new String(((Action.Send) back.get(0)).bytes(), StandardCharsets.UTF_8));
            assertEquals(List.of(new Action.ShowNotice("not sent (client's turn): 'too late'")),
                    server.handle(T0, new Input.OperatorLine("too late")), "no one is asked while it waits");
            assertEquals(List.of(new Action.Show("are you there?"), ASK), server.handle(T0, new Input.Attend()),
                    "the next operator sees what waits for an answer");
            assertEquals(List.of(send("yes")), server.handle(T0, new Input.OperatorLine("yes")));
        }

        @Test
        void aConversationHandedBackInTheClientsTurnShowsNothingToTheNext() {
            Session server = personServer();
            server.handle(T0, bytes("hi\n"));
            server.handle(T0, new Input.OperatorLine("hello"));
            server.handle(T0, new Input.Wait(2));
            assertEquals(List.of(), server.handle(T0, new Input.Attend()));
            assertEquals(List.of(new Action.Show("more"), ASK), server.handle(T0, bytes("more\n")));
        }
    }

    @Nested
    class Closing {
        @Test
        void thePeersBytesAreDrainedUnread() {
            Session client = closing();
            assertEquals(List.of(), client.handle(T0, bytes("hi\nbye\n")));
            assertTrue(client.wantsPeerBytes(), "drained, so that the last words are not lost to a reset");
        }

        @Test
        void thePeerClosingClosesAndTheLingerDeadlineClosesAnyway() {
            Session client = closing();
            assertEquals(List.of(CLOSE), client.handle(T0, new Input.PeerClosed()));
            Session other = closing();
            assertEquals(List.of(), other.handle(T0 + Session.LINGER.toNanos() - 1, new Input.Tick()));
            assertEquals(List.of(CLOSE), other.handle(T0 + Session.LINGER.toNanos(), new Input.Tick()));
            assertEquals(State.CLOSED, other.state());
        }

        @Test
        void aFailedConnectionCloses() {
            assertEquals(List.of(CLOSE), closing().handle(T0, new Input.PeerFailed("reset")));
        }

        @Test
        void leavingAgainChangesNothing() {
            assertEquals(List.of(), closing().handle(T0, new Input.Stop()));
            assertEquals(List.of(), closing().handle(T0, new Input.OperatorDone()));
        }

        @Test
        void itCannotOpenAgain() {
            assertIllegal(SessionTest::closing, new Input.Open());
        }
    }

    /** A peer that has gone (a browser's WebSocket Close) reads nothing more: the conversation ends at once (k). */
    @Nested
    class Gone {
        @Test
        void inTheOperatorsTurnItEndsAtOnceAndTheOperatorIsNotLeftHoldingIt() {
            Session server = personServer();
            server.handle(T0, bytes("thanks!\n"));
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerGone()),
                    "not a half-close: no answer is waited for");
            assertEquals(0, server.bufferedBytes());
        }

        @Test
        void aMessageHeldForItsNextTurnGoesWithIt() {
            Session server = personServer();
            server.handle(T0, bytes("one\ntwo\n"));
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerGone()));
        }

        @Test
        void afterAHalfCloseItEndsWhatWasWaitingForAnAnswer() {
            Session server = personServer();
            server.handle(T0, bytes("last\n"));
            server.handle(T0, new Input.PeerClosed());
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerGone()));
        }

        @Test
        void inItsOwnTurnItsInputEndsAsAnyEndDoes() {
            Session server = opened(echoServer());
            assertEquals(List.of(ended(Ending.PEER_CLOSED, Role.CLIENT, ""), CLOSE), server.handle(T0, new Input.PeerGone()));
            Session cut = opened(echoServer());
            cut.handle(T0, bytes("half a li"));
            assertEquals(List.of(ended(Ending.PEER_CUT_OFF, Role.CLIENT, "half a li"), CLOSE), cut.handle(T0, new Input.PeerGone()));
        }

        @Test
        void whileClosingItCloses() {
            assertEquals(List.of(CLOSE), closing().handle(T0, new Input.PeerGone()));
        }
    }

    @Nested
    class Closed {
        @Test
        void endingsAfterTheCloseChangeNothing() {
            for (Input input : List.of(new Input.PeerClosed(), new Input.PeerFailed("x"), new Input.Stop(), new Input.Tick(),
                    new Input.OperatorLine("late"))) {
                assertEquals(List.of(), closed().handle(T0, input), input.toString());
            }
        }

        @Test
        void bytesAfterTheCloseAreIllegal() {
            assertIllegal(SessionTest::closed, bytes("late\n"));
        }
    }

    /**
     * The person's lines, every one of which a console hands over, in or out of turn: which are sent,
     * and what the person is told of the rest (e). One row for each place, line and prompt.
     */
    @Nested
    class OperatorsLines {
        private record Row(String where, Supplier<Session> session, Input.OperatorLine line, List<Action> expected) {}

        private static Row row(String where, Supplier<Session> session, String line, boolean prompted, Action... expected) {
            return new Row(where, session, new Input.OperatorLine(line, prompted), List.of(expected));
        }

        private static Action notice(String text) {
            return new Action.ShowNotice(text);
        }

        private static Session serverAsked() {
            Session server = personServer();
            server.handle(T0, bytes("hi\n"));
            return server;
        }

        /** A person's server whose client spoke while it waited in line: its turn, but the person has not come. */
        private static Session serverInLine() {
            Session server = opened(Session.serverForOperator(LINE, LIMITS));
            server.handle(T0, new Input.Wait(1));
            server.handle(T0, bytes("hi\n"));
            return server;
        }

        @Test
        void eachLineIsSentOnlyWhenAskedAndEnteredAtThePromptElseThePersonIsToldWhy() {
            Supplier<Session> asked = () -> opened(Session.client(LINE, LIMITS));
            Supplier<Session> waiting = SessionTest::clientWaiting;
            List<Row> rows = List.of(
                    row("client, asked", asked, "hello", true, send("hello")),
                    row("client, asked", asked, "hello", false, notice("not sent (entered before your turn came): 'hello'")),
                    row("client, asked", asked, "bye", true, bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.SERVER, "")),
                    row("client, asked", asked, "bye", false, bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.SERVER, "")),
                    row("client, waiting", waiting, "hello", true, notice("not sent (server's turn): 'hello'")),
                    row("client, waiting", waiting, "hello", false, notice("not sent (server's turn): 'hello'")),
                    row("client, waiting", waiting, " Bye ", true, bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.SERVER, "")),
                    row("client, waiting", waiting, "bye", false, bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.SERVER, "")),
                    row("server, asked", OperatorsLines::serverAsked, "hi there", true, send("hi there")),
                    row("server, asked", OperatorsLines::serverAsked, "hi there", false,
                            notice("not sent (entered before your turn came): 'hi there'")),
                    row("server, in line", OperatorsLines::serverInLine, "hi there", true, notice("not sent (client's turn): 'hi there'")),
                    row("server, in line", OperatorsLines::serverInLine, "bye", false, bye(), END_OUTPUT,
                            ended(Ending.SAID_BYE, Role.CLIENT, "")),
                    row("server, asked", OperatorsLines::serverAsked, "bye", false, bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.CLIENT, "")),
                    row("closing", SessionTest::closing, "hello", true, notice("not sent (the conversation has ended): 'hello'")),
                    row("closing", SessionTest::closing, "bye", false, notice("not sent (the conversation has ended): 'bye'")),
                    row("closed", SessionTest::closed, "hello", true),
                    row("closed", SessionTest::closed, "bye", false));
            for (Row row : rows) {
                assertEquals(row.expected(), row.session().get().handle(T0, row.line()), row.where() + ", " + row.line());
            }
        }

        @Test
        void aLineEnteredBeforeTheQuestionShowedLeavesItOpenForTheNext() {
            Session client = opened(Session.client(LINE, LIMITS));
            client.handle(T0, new Input.OperatorLine("typed early", false));
            assertEquals(State.OWN_TURN, client.state());
            assertEquals(List.of(send("at the prompt")), client.handle(T0, new Input.OperatorLine("at the prompt", true)));
        }
    }

    @Nested
    class Deadlines {
        @Test
        void anyBytesFromThePeerRestartTheIdleDeadline() {
            Session server = opened(Session.server(LINE, new Limits(Duration.ofSeconds(10), Duration.ZERO), Responder.echo()));
            server.handle(T0 + 5 * SECOND, bytes("par"));
            assertEquals(OptionalLong.of(T0 + 15 * SECOND), server.deadline(), "a byte is a sign of life");
            assertEquals(List.of(), server.handle(T0 + 14 * SECOND, new Input.Tick()));
        }

        @Test
        void noIdleDeadlineWhileThisSideHoldsTheTurn() {
            Session server = personServer();
            server.handle(T0, bytes("question\n"));
            assertEquals(List.of(), server.handle(T0 + 3600 * SECOND, new Input.Tick()), "the operator may think for an hour");
            assertEquals(State.OWN_TURN, server.state());
        }

        @Test
        void afterTheEndOnlyTheLingerDeadlineCounts() {
            Session client = closing();
            client.handle(T0 + SECOND, bytes("par"));
            assertEquals(OptionalLong.of(T0 + Session.LINGER.toNanos()), client.deadline());
        }

        @Test
        void theEarlierOfTheIdleAndLineDeadlinesComesFirst() {
            Session server = opened(Session.server(LINE, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30)), Responder.echo()));
            server.handle(T0, bytes("par"));
            assertEquals(OptionalLong.of(T0 + 10 * SECOND), server.deadline(), "idle before line");
        }
    }

    @Nested
    class Hardening {
        private final Limits firstMessage = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5));

        @Test
        void theServerMayDropAnOpenConversationTellingThePeerWhy() {
            Session server = opened(echoServer());
            String reason = new Refusal.ShortOfMemory().reason();
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.DROPPED, Role.CLIENT, reason)),
                    server.handle(T0, new Input.Drop(new Refusal.ShortOfMemory())));
            assertEquals(List.of(), server.handle(T0, new Input.Drop(new Refusal.ShortOfMemory())), "once is enough");
            assertIllegal(SessionTest::echoServer, new Input.Drop(new Refusal.ShortOfMemory()));
        }

        @Test
        void whatATransportCarriesButIsNotAMessageEndsTheConversationLikeALongLine() {
            Session server = opened(echoServer());
            server.handle(T0, bytes("half a mess"));
            Refusal binary = new Refusal.NotAMessage("a binary frame; messages are text");
            assertEquals("not a message: a binary frame; messages are text", binary.reason());
            assertEquals(List.of(failure(binary.reason()), END_OUTPUT, ended(Ending.DROPPED, Role.CLIENT, binary.reason())),
                    server.handle(T0, new Input.Drop(binary)));
            assertEquals(0, server.bufferedBytes(), "the partial message goes with it");
        }

        @Test
        void anEndedConversationGivesBackWhatItHeldAtOnce() {
            Session server = opened(Session.server(new LineFraming(), LIMITS, Responder.echo()));
            server.handle(T0, bytes("x".repeat(60_000)));
            assertTrue(server.bufferedBytes() >= 60_000);
            server.handle(T0, new Input.Drop(new Refusal.ShortOfMemory()));
            assertEquals(0, server.bufferedBytes(), "dropped for memory: the memory goes with it");
        }

        @Test
        void aPeerThatTakesNoneOfItsRepliesIsEndedByTheIdleTimeoutWhateverTheTurn() {
            Session server = personServer();
            server.handle(T0, bytes("question\n")); // the operator's turn: no idle deadline of its own
            server.handle(T0, new Input.OutputBlocked());
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline());
            String reason = "idle: took none of the replies for 1m (idle timeout)";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, reason), CLOSE),
                    server.handle(T0 + 60 * SECOND, new Input.Tick()), "no linger for a peer that reads nothing");
            assertEquals(State.CLOSED, server.state());
        }

        @Test
        void aPeerWhoseRepliesBackedUpIsNotToldItSentNothingWhenItsIdleDeadlineComesFirst() {
            Session server = opened(echoServer());
            server.handle(T0, bytes("hi\n"));
            server.handle(T0 + 1, new Input.OutputBlocked()); // its echo is what filled the queue
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline(), "the idle deadline, a nanosecond before the stalled one");
            String reason = "idle: took none of the replies for 1m (idle timeout)";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, reason), CLOSE),
                    server.handle(T0 + 60 * SECOND, new Input.Tick()), "not read because it reads nothing: not 'no message'");
        }

        @Test
        void aPeerThatTakesItsRepliesAgainIsNotEnded() {
            Session server = opened(echoServer());
            server.handle(T0, new Input.OutputBlocked());
            server.handle(T0 + 30 * SECOND, new Input.OutputFlowing());
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline(), "only its own idle deadline is left");
            server.handle(T0 + 40 * SECOND, bytes("hi\n"));
            assertEquals(List.of(), server.handle(T0 + 61 * SECOND, new Input.Tick()));
        }

        @Test
        void aSilentClientTheOperatorCameToIsLetGoQuicklyWhenOthersWait() {
            Session server = opened(Session.serverForOperator(LINE, firstMessage));
            server.handle(T0 + SECOND, new Input.Attend(2));
            assertEquals(OptionalLong.of(T0 + 6 * SECOND), server.deadline());
            String reason = "idle: no first message within 5s while others wait for the operator (first-message timeout)";
            assertEquals(List.of(failure(reason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, reason)),
                    server.handle(T0 + 6 * SECOND, new Input.Tick()));
        }

        @Test
        void theFirstMessageDeadlineHoldsOnlyWhileOthersWaitAndTheClientHasSaidNothing() {
            Session alone = opened(Session.serverForOperator(LINE, firstMessage));
            alone.handle(T0, new Input.Attend(0));
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), alone.deadline(), "no one waits: the idle timeout");
            alone.handle(T0 + SECOND, new Input.Attend(1));
            assertEquals(OptionalLong.of(T0 + 6 * SECOND), alone.deadline(), "someone came to wait");
            alone.handle(T0 + 2 * SECOND, new Input.Attend(0));
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), alone.deadline(), "and left");

            Session spoke = opened(Session.serverForOperator(LINE, firstMessage));
            spoke.handle(T0, new Input.Attend(3));
            spoke.handle(T0, bytes("hello\n"));
            assertEquals(OptionalLong.empty(), spoke.deadline(), "it spoke: the operator's turn, no deadline");
        }

        private final String firstReason = "idle: no first message within 5s while others wait for the operator (first-message timeout)";

        private Session inLine() {
            Session server = opened(Session.serverForOperator(LINE, firstMessage));
            server.handle(T0, new Input.Wait(3));
            return server;
        }

        @Test
        void aClientInLineHasTheFirstMessageTimeoutFromItsArrivalNotFromWhenTheOperatorComes() {
            Session server = inLine();
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline(), "not counted while the operator is elsewhere");
            server.handle(T0 + 2 * SECOND, new Input.Wait(2));
            assertEquals(List.of(), server.handle(T0 + 3 * SECOND, new Input.Attend(2)));
            assertEquals(OptionalLong.of(T0 + 5 * SECOND), server.deadline(), "5 s from its arrival, 2 s left");
            assertEquals(List.of(failure(firstReason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, firstReason)),
                    server.handle(T0 + 5 * SECOND, new Input.Tick()));
        }

        @Test
        void aSilentClientWhoseTimeRanOutInLineIsLetGoAsSoonAsTheOperatorComes() {
            assertEquals(List.of(failure(firstReason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, firstReason)),
                    inLine().handle(T0 + 7 * SECOND, new Input.Attend(1)));
            Session beforeOpen = Session.serverForOperator(LINE, firstMessage);
            beforeOpen.handle(T0, new Input.Wait(1));
            beforeOpen.handle(T0 + SECOND, new Input.Open());
            assertEquals(Ending.IDLE_TIMEOUT, ((Action.Ended) beforeOpen.handle(T0 + 5 * SECOND, new Input.Attend(1)).get(2))
                    .outcome().ending(), "told to wait before it opened: its clock ran from then");
        }

        @Test
        void theClockCountsOnlyWhileOthersWaitAndNeverRestarts() {
            Session server = inLine();
            assertEquals(List.of(), server.handle(T0 + 7 * SECOND, new Input.Attend(0)), "no one behind it: it holds no one up");
            assertEquals(OptionalLong.of(T0 + 60 * SECOND), server.deadline());
            assertEquals(List.of(failure(firstReason), END_OUTPUT, ended(Ending.IDLE_TIMEOUT, Role.CLIENT, firstReason)),
                    server.handle(T0 + 8 * SECOND, new Input.Attend(1)), "someone came to wait: its time had run out already");

            Session attendedAtOnce = opened(Session.serverForOperator(LINE, firstMessage));
            attendedAtOnce.handle(T0, new Input.Attend(0));
            attendedAtOnce.handle(T0 + 30 * SECOND, new Input.Attend(1));
            assertEquals(OptionalLong.of(T0 + 35 * SECOND), attendedAtOnce.deadline(),
                    "attended on arrival: its clock starts when someone first waits behind it");
        }

        @Test
        void aClientThatSpokeInLineIsNeverTimedForItsFirstMessage() {
            Session server = inLine();
            assertEquals(List.of(), server.handle(T0 + SECOND, bytes("hello\n")));
            assertEquals(List.of(new Action.Show("hello"), ASK), server.handle(T0 + 7 * SECOND, new Input.Attend(4)));
            assertEquals(OptionalLong.empty(), server.deadline());
        }
    }

    @Test
    void aScriptResponderAnswersEachTurnWithItsNextLineThenBye() {
        Session server = opened(Session.server(LINE, LIMITS, Responder.script(dev.parley.core.responder.Script.ofLines("one", "two"))));
        assertEquals(List.of(new Action.Show("a"), send("one"), new Action.Show("b"), send("two"), new Action.Show("c"),
                bye(), END_OUTPUT, ended(Ending.SAID_BYE, Role.CLIENT, "")), server.handle(T0, bytes("a\nb\nc\n")));
    }

    @Test
    void aLongLineRefusedOutOfTurnIsQuotedShort() {
        Session client = clientWaiting();
        String long50 = "x".repeat(50);
        assertEquals(List.of(new Action.ShowNotice("not sent (server's turn): '" + "x".repeat(40) + "...'")),
                client.handle(T0, new Input.OperatorLine(long50)));
        assertEquals(List.of(new Action.ShowNotice("not sent (server's turn): '" + "y".repeat(40) + "'")),
                client.handle(T0, new Input.OperatorLine("y".repeat(40))));
    }

    @Test
    void aRefusingSessionRefusesAndHoldsOnlyWhatThePeerSendsMeanwhile() {
        Session refused = Session.refusing(LINE);
        assertEquals(Ending.REFUSED, ((Action.Ended) refused.handle(T0, new Input.Refuse(new Refusal.Busy(1))).get(2)).outcome().ending());
        assertEquals(0, refused.bufferedBytes(), "what a refused peer sends is drained, not kept");
        Session server = opened(echoServer());
        server.handle(T0, bytes("partial line"));
        assertTrue(server.bufferedBytes() >= "partial line".length(), "a partial line is held: " + server.bufferedBytes());
    }

    @Test
    void describesItselfForLogsAndDebuggers() {
        assertEquals("Session[server, PEER_TURN]", opened(echoServer()).toString());
        assertEquals("PeerBytes[3 bytes]", bytes("abc").toString());
    }

    @Test
    void aMillionPipelinedMessagesInOneReadAreAnsweredWithoutDeepRecursion() {
        Session server = opened(Session.server(new LineFraming(), LIMITS, Responder.echo()));
        List<Action> actions = server.handle(T0, new Input.PeerBytes("x\n".repeat(1_000_000).getBytes(StandardCharsets.UTF_8)));
        assertEquals(2_000_000, actions.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bye", "BYE", "Bye", " bye ", "\tbYe\n", "bye\r", "\u2003bye\u2003"})
    void byeIsTheWordAloneWhateverItsCaseAndSpace(String text) {
        assertTrue(Session.isBye(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"byebye", "bye!", "good bye", "b ye", "", "\u00a0bye", "by"})
    void anythingElseIsAMessage(String text) {
        assertFalse(Session.isBye(text));
    }
}
