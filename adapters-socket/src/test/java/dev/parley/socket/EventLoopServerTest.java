package dev.parley.socket;

/** The server contract for the event-loop server, with two loops. */
class EventLoopServerTest extends ServerContract {

    @Override
    ConversationServer create(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        return new EventLoopServer(settings, factory, events, 2);
    }
}
