package dev.parley.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/** {@link LineDecoding} of long lines: 16 lines in 64 KiB, 4096 bytes each on average. */
@OperationsPerInvocation(LongLines.LINES)
public class LongLines extends LineDecoding {

    static final int LINES = 16;

    public LongLines() {
        super(ChatText.longLines(LINES));
    }
}
