package dev.parley.archfixture.load;

import dev.parley.archfixture.socket.server.ServerThing;

/** Deliberately bad: the load generator reaches into the server it measures. */
public class LoadThingUsingServer {
    public String use(String text) {
        return new ServerThing().serve(text);
    }
}
