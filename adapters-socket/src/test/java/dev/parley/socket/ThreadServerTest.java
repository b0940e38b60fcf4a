package dev.parley.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.EchoOperator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server contract for the thread-per-conversation server, and its serial mode. */
class ThreadServerTest extends ServerContract {

    @Override
    ConversationServer create(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        return new SocketServer(settings, factory, events);
    }

    @Test
    void aSerialServerTakesTheNextClientWhenTheFirstHasEnded() throws Exception {
        ConversationServer server = server(1, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024, true, new EchoOperator());
        try (WireClient first = new WireClient(server.port()); WireClient second = new WireClient(server.port())) {
            assertEquals("one", first.ask("one"));
            second.send("two\n");
            assertEquals(1, server.openConversations());
            first.send("bye\n");
            assertEquals("two", second.readLine(), "served once the first has ended");
        }
    }

}
