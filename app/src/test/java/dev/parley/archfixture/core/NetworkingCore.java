package dev.parley.archfixture.core;

import java.io.IOException;
import java.net.Socket;

/** Deliberately bad: a core class that opens a socket. */
public class NetworkingCore {
    public Socket open() throws IOException {
        return new Socket("localhost", 1);
    }
}
