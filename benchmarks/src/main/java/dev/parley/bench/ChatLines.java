package dev.parley.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/** {@link LineDecoding} of short chat lines: 1600 lines in 64 KiB, 40.96 bytes each on average. */
@OperationsPerInvocation(ChatLines.LINES)
public class ChatLines extends LineDecoding {

    static final int LINES = 1600;

    public ChatLines() {
        super(ChatText.chat(LINES));
    }
}
