package dev.parley.archfixture.core;

import java.io.IOException;
import java.io.InputStream;

/** Deliberately bad: a core class that reads a stream itself. */
public class StreamingCore {
    public int first(InputStream in) throws IOException {
        return in.read();
    }
}
