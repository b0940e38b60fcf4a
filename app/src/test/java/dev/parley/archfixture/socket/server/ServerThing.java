package dev.parley.archfixture.socket.server;

/** A TCP server class in the fixture. */
public class ServerThing {
    public String serve(String text) {
        return text;
    }
}
