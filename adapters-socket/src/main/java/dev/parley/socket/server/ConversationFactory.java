package dev.parley.socket.server;

/** Builds the conversation for a new admitted connection: the app chooses session, operator and transcript. */
@FunctionalInterface
public interface ConversationFactory {
    Conversation create(ConversationHandle handle);
}
