package dev.parley.bench;

import static dev.parley.bench.ChatText.READ_SIZE;
import static dev.parley.bench.ChatText.TOTAL_BYTES;

import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.RawDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parley's {@link RawDecoder} (the tutorial's framing: one read is one message) over the chat input
 * in 8 KiB reads, so one operation is one 8192-byte message; reads split multi-byte characters,
 * which the decoder holds back and completes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(RawDecoding.READS)
public class RawDecoding {

    static final int READS = TOTAL_BYTES / READ_SIZE;

    private final byte[] bytes = ChatText.chat(ChatLines.LINES).bytes();
    private FrameDecoder decoder;

    @Setup
    public void setUp() {
        decoder = new RawDecoder();
    }

    @Benchmark
    public void parleyRawDecoder(Blackhole blackhole) {
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            decoder.feed(bytes, offset, READ_SIZE);
            for (Frame frame = decoder.next(); frame instanceof Frame.Message; frame = decoder.next()) {
                blackhole.consume(((Frame.Message) frame).text());
            }
        }
    }
}
