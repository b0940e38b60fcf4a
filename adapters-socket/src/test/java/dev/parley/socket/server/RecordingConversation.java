package dev.parley.socket.server;

import dev.parley.core.session.Input;
import java.util.ArrayList;
import java.util.List;

/** A conversation as the server's handler is to the desk: an id, an address, and what was posted to its session, in order. */
final class RecordingConversation implements ConversationHandle {
    final int id;
    final List<Input> posted = new ArrayList<>();

    RecordingConversation(int id) {
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String remote() {
        return "198.51.100.7:" + (40000 + id);
    }

    @Override
    public void post(Input input) {
        posted.add(input);
    }
}
