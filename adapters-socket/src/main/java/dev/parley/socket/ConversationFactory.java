package dev.parley.socket;

import dev.parley.core.Conversation;
import dev.parley.core.Peer;

/** Builds the conversation for a new connection: the app chooses operator and transcript. */
@FunctionalInterface
public interface ConversationFactory {
    Conversation create(int id, Peer peer);
}
