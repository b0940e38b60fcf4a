package dev.parley.archfixture.socket;

import dev.parley.archfixture.console.ConsoleThing;

/** Deliberately bad: a socket adapter class that reaches into the console adapter. */
public class SocketThingUsingConsole {
    public String show(String text) {
        return new ConsoleThing().render(text);
    }
}
