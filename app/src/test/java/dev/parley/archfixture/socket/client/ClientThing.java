package dev.parley.archfixture.socket.client;

/** A client class in the fixture. */
public class ClientThing {
    public String say(String text) {
        return text;
    }
}
