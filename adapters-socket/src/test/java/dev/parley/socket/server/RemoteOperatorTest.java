package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A remote operator's connection as Netty's handlers are tested: an {@link EmbeddedChannel}, lines
 * of the operators' protocol in and out, the desk's tasks a queue the test runs, time moved by hand.
 */
class RemoteOperatorTest {

    private static final int MAX_MESSAGE = 16;
    private static final Duration HELLO = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(60);

    private final Queue<Runnable> deskThread = new ArrayDeque<>();
    private final List<Throwable> bugs = new ArrayList<>();
    private final DeskDriver desk = new DeskDriver(deskThread::add, bugs::add);
    private final RecordingEvents events = new RecordingEvents();
    private final AtomicInteger connected = new AtomicInteger();
    private MemoryBudget memory = new MemoryBudget(1 << 20);
    private final OperatorPort port = new OperatorPort("127.0.0.1", 0, desk, null, 2, HELLO, "127.0.0.1:1234");

    private EmbeddedChannel operator() {
        return new EmbeddedChannel(new RemoteOperator(port, MAX_MESSAGE, IDLE, connected, memory, events, HeldBytes.NOTHING));
    }

    /** Runs the desk's tasks, then the channel's tasks (what the desk wrote), until both are quiet. */
    private void settle(EmbeddedChannel channel) {
        do {
            while (!deskThread.isEmpty()) {
                deskThread.poll().run();
            }
            channel.runPendingTasks();
        } while (!deskThread.isEmpty());
    }

    private static void send(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Every line written to the operator since the last call. */
    private static List<String> written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.isEmpty() ? List.of() : List.of(out.toString().split("\n", -1)).subList(0, out.toString().split("\n", -1).length - 1);
    }

    private EmbeddedChannel welcomed(String name) {
        EmbeddedChannel channel = operator();
        send(channel, "parley-operator/1 " + name + "\n");
        settle(channel);
        assertEquals(List.of("welcome " + name), written(channel));
        return channel;
    }

    @Test
    void anOperatorSaysHelloIsWelcomedAndServesTheClientInFrontLineByLine() {
        EmbeddedChannel ann = welcomed("Ann");
        assertTrue(events.lines().contains("operator joined Ann"));
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = desk.seat(one, new RecordingTranscript());
        settle(ann);
        assertEquals(List.of("with 1 0 conversation 1 (198.51.100.7:40001)"), written(ann));

        seat.heard("hi\\there\nsecond line");
        seat.ask();
        settle(ann);
        assertEquals(List.of("said 1 hi\\\\there\\nsecond line", "ask 1"), written(ann));

        send(ann, "line 1 hello \\\\o/\r\nunasked 1 too early\n");
        settle(ann);
        assertEquals(List.of(new Input.OperatorLine("hello \\o/", true), new Input.OperatorLine("too early", false)),
                one.posted.stream().filter(Input.OperatorLine.class::isInstance).toList());

        seat.notice("client closed its side");
        seat.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));
        settle(ann);
        assertEquals(List.of("notice 1 client closed its side", "ended 1 client said bye"), written(ann));

        send(ann, "line - /who\n");
        settle(ann);
        assertEquals(1, written(ann).stream().filter(line -> line.startsWith("tell ")).count(), "a command's answer is a tell");
        assertTrue(ann.isOpen());
        assertTrue(bugs.isEmpty(), bugs::toString);
    }

    @Test
    void anOperatorWhoseInputEndsLeavesAndItsClientGoesBackToTheFrontOfTheLine() {
        EmbeddedChannel ann = welcomed("Ann");
        RecordingConversation one = new RecordingConversation(1);
        desk.seat(one, new RecordingTranscript());
        settle(ann);
        written(ann);

        ann.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        settle(ann);
        assertTrue(one.posted.stream().anyMatch(Input.Wait.class::isInstance), "handed back to the line: " + one.posted);
        assertTrue(events.lines().contains("operator left Ann: left"), events.lines()::toString);

        EmbeddedChannel bob = operator();
        send(bob, "parley-operator/1 Bob\n");
        settle(bob);
        assertEquals(List.of("welcome Bob", "with 1 0 conversation 1 (198.51.100.7:40001)"), written(bob), "the next operator takes it");
    }

    @Test
    void aConnectionThatGoesMidConversationLeavesOnceThroughTheOneDoor() {
        EmbeddedChannel ann = welcomed("Ann");
        RecordingConversation one = new RecordingConversation(1);
        desk.seat(one, new RecordingTranscript());
        settle(ann);
        ann.close();
        settle(ann);
        assertEquals(1, events.lines().stream().filter(line -> line.startsWith("operator left Ann")).count(), events.lines()::toString);
        assertTrue(one.posted.stream().anyMatch(Input.Wait.class::isInstance));
        assertEquals(0, connected.get(), "its place is free");
        assertEquals(0, memory.held());
    }

    @Test
    void aStopTellsTheOperatorOnceItsClientsEndingIsToldAndEndsItsOutputNotCutOff() {
        EmbeddedChannel ann = welcomed("Ann");
        EmbeddedChannel silent = operator(); // no hello yet
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = desk.seat(one, new RecordingTranscript());
        settle(ann);
        written(ann);

        RemoteOperator annOperator = ann.pipeline().get(RemoteOperator.class);
        annOperator.stop();
        silent.pipeline().get(RemoteOperator.class).stop();
        settle(ann);
        settle(silent);
        assertEquals(List.of(), written(ann), "not while a conversation is at the desk");
        assertTrue(ann.isOpen());

        seat.ended(new Outcome(Outcome.Ending.STOPPED, Role.CLIENT, ""));
        settle(ann);
        settle(silent);
        assertEquals(List.of("ended 1 stopped; told the client", "stopping"), written(ann), "its client's ending first, then the stop");
        assertTrue(events.lines().contains("operator left Ann: stopped; told the operator"), events.lines()::toString);
        assertEquals(1, events.lines().stream().filter(line -> line.startsWith("operator left Ann")).count(), events.lines()::toString);
        assertFalse(silent.isOpen(), "one with no hello is closed, with nothing to say");
        assertEquals(List.of(), written(silent));
    }

    @Test
    void aClientAtTheOperatorsPortIsToldWhereClientsGoInOneLine() {
        EmbeddedChannel client = operator();
        send(client, "hello, is anyone there?\n");
        assertEquals(List.of("!this is the operators' port; clients connect to 127.0.0.1:1234"), written(client));
        assertTrue(events.lines().contains("refused operators' port: this is the operators' port; clients connect to 127.0.0.1:1234"));
        send(client, "line 1 more\n");
        assertEquals(List.of(), written(client), "nothing more is read");
        assertTrue(deskThread.isEmpty(), "it never came to the desk");
    }

    @Test
    void noHelloWithinTheHandshakeTimeoutEndsTheConnection() {
        EmbeddedChannel silent = operator();
        silent.advanceTimeBy(HELLO.toSeconds() - 1, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertEquals(List.of(), written(silent));
        silent.advanceTimeBy(1, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertEquals(List.of("!no operator's hello within 10s (handshake timeout); this is the operators' port; clients connect to 127.0.0.1:1234"),
                written(silent));
    }

    @Test
    void eachFaultEndsTheConnectionWithOneLineThatSaysWhatWasWrong() {
        List<String[]> cases = List.of(
                new String[] {"parley-operator/1 \u001b[2J\n", "!malformed hello: the operator's name holds a control character"},
                new String[] {"parley-operator/2 Ann\n", "!malformed hello: unsupported operators' protocol 'parley-operator/2'; this server speaks parley-operator/1"},
                new String[] {"parley-operator/1 Ann\nsay 1 hi\n", "!malformed line: unknown verb 'say'"},
                new String[] {"parley-operator/1 Ann\nline 1 a\\tb\n", "!malformed line: unknown escape \\t (only \\\\, \\n and \\r)"},
                new String[] {"parley-operator/1 Ann\nparley-operator/1 Bob\n", "!malformed line: a second hello"},
                new String[] {"parley-operator/1 Ann\nline 1 " + "x".repeat(2 * MAX_MESSAGE + 200) + "\n",
                        "!line longer than 232 bytes (the operators' protocol's limit)"},
                new String[] {"\u0000\u00ff\u00fe garbage\n", "!this is the operators' port; clients connect to 127.0.0.1:1234"});
        for (String[] fault : cases) {
            EmbeddedChannel channel = operator();
            send(channel, fault[0]);
            settle(channel);
            List<String> lines = written(channel);
            assertEquals(fault[1], lines.get(lines.size() - 1), fault[0]);
            send(channel, "line - /who\n");
            settle(channel);
            assertEquals(List.of(), written(channel), "nothing more is read: " + fault[0]);
            channel.close();
            settle(channel);
        }
        assertEquals(0, connected.get());
        assertEquals(0, memory.held(), "every byte given back");
    }

    @Test
    void aLineOverTheLimitIsRefusedBeforeItsEndComesAndHoldsNoMoreThanTheLimit() {
        EmbeddedChannel ann = welcomed("Ann");
        for (int i = 0; i < 10; i++) {
            send(ann, "x".repeat(100));
        }
        settle(ann);
        assertEquals(List.of("!line longer than 232 bytes (the operators' protocol's limit)"), written(ann));
        assertTrue(events.lines().stream().anyMatch(line -> line.startsWith("operator left Ann: ended: line longer")), events.lines()::toString);
    }

    @Test
    void operatorsBeyondTheLimitAreToldThePortIsBusy() {
        EmbeddedChannel one = operator();
        EmbeddedChannel two = operator();
        EmbeddedChannel three = operator();
        assertEquals(List.of("!busy: 2 operators are connected, the most this server takes (--max-operators)"), written(three));
        assertEquals(List.of(), written(one));
        assertEquals(2, connected.get());
        two.close();
        three.close();
        assertEquals(1, connected.get());
        assertEquals(List.of(), written(operator()), "a place is free again");
    }

    @Test
    void whatAnOperatorHoldsIsChargedToTheOneMemoryAccountWhichEndsItWhenSpent() {
        memory = new MemoryBudget(3000);
        EmbeddedChannel ann = new EmbeddedChannel(new RemoteOperator(port, 4096, IDLE, connected, memory, events, HeldBytes.NOTHING));
        send(ann, "parley-operator/1 Ann\n");
        settle(ann);
        assertEquals(List.of("welcome Ann"), written(ann));
        send(ann, "line - " + "x".repeat(2000));
        assertTrue(memory.held() >= 2000, "a line in part is held: " + memory.held());
        send(ann, "x".repeat(2000));
        settle(ann);
        assertEquals(List.of("!memory: the server is short of memory; try again later"), written(ann));
        ann.close();
        assertEquals(0, memory.held());
    }

    @Test
    void anOperatorThatTakesNoneOfItsLinesIsNotReadMeanwhileAndIsCutOffAfterTheIdleTimeout() {
        EmbeddedChannel ann = welcomed("Ann");
        ann.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ann.runPendingTasks();
        assertFalse(ann.config().isAutoRead(), "its commands would queue answers it does not take");
        ann.advanceTimeBy(IDLE.toNanos(), TimeUnit.NANOSECONDS);
        ann.runScheduledPendingTasks();
        settle(ann);
        assertFalse(ann.isOpen());
        assertTrue(events.lines().contains("operator left Ann: cut off: took none of its lines for 1m (idle timeout)"), events.lines()::toString);
    }

    @Test
    void anOperatorThatTakesItsLinesAgainIsReadAgain() {
        EmbeddedChannel ann = welcomed("Ann");
        ann.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ann.runPendingTasks();
        assertFalse(ann.config().isAutoRead());
        ann.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ann.runPendingTasks();
        assertTrue(ann.config().isAutoRead());
        ann.advanceTimeBy(IDLE.toNanos(), TimeUnit.NANOSECONDS);
        ann.runScheduledPendingTasks();
        assertTrue(ann.isOpen());
        assertNull(ann.readOutbound());
    }

}
