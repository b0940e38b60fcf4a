package dev.parley.core.wire;

import java.util.List;

/**
 * Inputs that hit a known bug in the main code, reported and not yet fixed. The properties and
 * the fuzz target skip exactly these inputs (and say so); {@code KnownBugsTest} reproduces each
 * bug. When a bug is fixed, delete its predicate here and the skips go with it.
 */
final class KnownBugs {

    private KnownBugs() {}

    /**
     * LineDecoder.append, called with no bytes (the read starts with the {@code \n}), reads
     * {@code bytes[from - 1]} to decide whether a line of exactly {@code limit + 1} bytes ending in
     * {@code \r} fits. Fed at offset 0 that is index -1: ArrayIndexOutOfBoundsException. It
     * happens when a line of exactly the limit, ended by {@code \r\n}, has its {@code \r} and its
     * {@code \n} in different reads.
     */
    static boolean crOfAFullLineEndsARead(byte[] input, List<Integer> readStarts, int limit) {
        int lineStart = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] != '\n') {
                continue;
            }
            int content = i - lineStart;
            if (content == limit + 1 && input[i - 1] == '\r' && readStarts.contains(i)) {
                return true;
            }
            lineStart = i + 1;
        }
        return false;
    }

    /** The same, for several ways of cutting one input. */
    static boolean crOfAFullLineEndsARead(byte[] input, int limit, Chunks... cuts) {
        for (Chunks chunks : cuts) {
            if (crOfAFullLineEndsARead(input, chunks.starts(), limit)) {
                return true;
            }
        }
        return false;
    }
}
