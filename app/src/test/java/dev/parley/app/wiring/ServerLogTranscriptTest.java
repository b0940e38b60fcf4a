package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.socket.server.ConversationHandle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Transcript contract on the server's log of one conversation: its notices and its ending, one safe line each, never its messages. */
class ServerLogTranscriptTest extends TranscriptContract {

    private final List<String> lines = new ArrayList<>();
    private final List<Outcome> endings = new ArrayList<>();

    private Transcript logged(boolean quiet) {
        ServerLog log = new ServerLog(new ServerLog.Style(lines::add, false, false, quiet, Clock.systemUTC()), () -> { });
        return log.conversation(new ConversationHandle() {
            @Override
            public int id() {
                return 7;
            }

            @Override
            public String remote() {
                return "127.0.0.1:5000";
            }

            @Override
            public void post(Input input) {
                // the log tells the conversation nothing
            }
        }, endings::add);
    }

    @Override
    protected Transcript transcript() {
        return logged(false);
    }

    @Override
    protected String shown() {
        return String.join("\n", lines);
    }

    @Override
    protected boolean showsMessages() {
        return false;
    }

    @Test
    void noticesAndTheEndingAreLinesNamingTheConversationAndTheEndingIsHandedOn() {
        Transcript t = transcript();
        t.heard("hello");
        t.said(new Sent.Message("hello"));
        t.notice("client: waiting");
        Outcome bye = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");
        t.ended(bye);
        assertEquals(List.of("conversation 7 with 127.0.0.1:5000: client: waiting", "conversation 7 with 127.0.0.1:5000 ended: client said bye"),
                lines);
        assertEquals(List.of(bye), endings);
    }

    @Test
    void quietLeavesOutTheNormalEndingsOnly() {
        Transcript quiet = logged(true);
        quiet.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));
        Transcript failed = logged(true);
        failed.ended(new Outcome(Outcome.Ending.IDLE_TIMEOUT, Role.CLIENT, "idle"));
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(2, endings.size(), "each ending is handed on, logged or not");
    }
}
