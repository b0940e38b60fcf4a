package dev.parley.bench;

import dev.parley.core.Event;
import dev.parley.core.Role;
import dev.parley.core.Turns;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core's state machine over one whole conversation: 999 messages in turn, then bye, one
 * operation per event. {@code turnsApply} applies ready-made events; {@code saidThenApply} first
 * classifies each message's text (is it bye?), as the conversation loop does for every message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ConversationTurns.EVENTS)
public class ConversationTurns {

    static final int EVENTS = 1000;

    private final String[] texts = new String[EVENTS];
    private final Role[] speakers = new Role[EVENTS];
    private final Event[] events = new Event[EVENTS];

    public ConversationTurns() {
        List<String> messages = ChatText.chat(ChatLines.LINES).messages();
        for (int i = 0; i < EVENTS; i++) {
            speakers[i] = i % 2 == 0 ? Role.CLIENT : Role.SERVER;
            texts[i] = i == EVENTS - 1 ? "bye" : messages.get(i);
            events[i] = Event.said(speakers[i], texts[i]);
        }
        if (!(events[EVENTS - 1] instanceof Event.Bye) || events[EVENTS - 2] instanceof Event.Bye) {
            throw new IllegalStateException("the conversation must end with its last event, a bye");
        }
    }

    @Benchmark
    public void turnsApply(Blackhole blackhole) {
        Turns turns = new Turns();
        for (Event event : events) {
            blackhole.consume(turns.apply(event));
        }
    }

    @Benchmark
    public void saidThenApply(Blackhole blackhole) {
        Turns turns = new Turns();
        for (int i = 0; i < EVENTS; i++) {
            blackhole.consume(turns.apply(Event.said(speakers[i], texts[i])));
        }
    }
}
