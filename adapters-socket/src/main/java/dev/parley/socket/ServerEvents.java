package dev.parley.socket;

import dev.parley.core.Outcome;

/** What a {@link SocketServer} reports as it runs; the app decides how to show it. */
public interface ServerEvents {

    void listening(String address);

    void opened(int id, String remote);

    void ended(int id, String remote, Outcome outcome);

    void refusedBusy(String remote, int open);

    /** A conversation failed in a way the core did not expect; the server goes on. */
    void crashed(int id, String remote, RuntimeException e);
}
